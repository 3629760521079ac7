package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.merkle.LogLeaf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export ID --out DIR}: a case file for a referral, written from the local cache
 * (offline; run {@code sync} first) into a directory that must not exist or be empty:
 *
 * <pre>
 *   report.txt          the report and its follow-ups rendered as {@code show} renders them
 *   questionnaire.json  the report's questionnaire JSON (re-serialised, indented)
 *   attachments/        the decrypted attachments, named as {@code files} names them
 *   history.txt         the verified event trail as {@code history} prints it, every event
 *                       with its details (notes and replies in full), in --lang
 *   case.json           the case: status, outcome, assignee, priority, labels, deadlines,
 *                       referrals with their outcome stages, status lines published to the
 *                       source, replies to the source (text, language, sender), notes, links
 *   events.json         every verified event: id, author alias and key, Lamport counter,
 *                       claimed time, parents, action type and decrypted content JSON v1,
 *                       replay flag, signed encoding
 *   README.txt          what the case file holds, in --lang
 *   hashes.txt          SHA-256 of each envelope as stored (the object hash of its log
 *                       leaf, LogLeaf v1) with the leaf hash, and of each event's signed
 *                       encoding (the object hash a case-event leaf carries)
 *   MANIFEST.txt        SHA-256 and path of every other file, sorted by path
 * </pre>
 *
 * Guarantees: every envelope's SHA-256 is checked against the server's listing before
 * anything is written (mismatch: exit 3, nothing written); only events that verified against
 * the manifest chain from the pinned root appear; files are created mode 0600 and never
 * replace an existing file. The case file holds the team's notes and the replies sent to the
 * source in clear: it is as sensitive as the report.
 * Atomic: everything is written into a 0700 staging directory beside DIR
 * ({@code .testigo-export-*}) and renamed to DIR once MANIFEST.txt is written; on any failure
 * the staging directory (decrypted files) is deleted and DIR is left as it was. A process
 * killed mid-export may leave a staging directory behind (0700, to delete by hand).
 * Attachment names are made safe by {@link AttachmentNames}; JSON files escape C1 and bidi
 * controls ({@link SafeJson}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a case file for referral: the decrypted report and follow-ups, questionnaire,"
        + " attachments, the case (status, outcome, referrals, replies to the source, notes), the verified"
        + " history, hashes tying them to the log, a README.txt saying what it holds and a MANIFEST.txt.",
        "Works from the local cache: run sync first. DIR must not exist or be empty."})
public final class ExportCommand implements Callable<Integer> {
  static final String REPORT = "report.txt";
  static final String QUESTIONNAIRE = "questionnaire.json";
  static final String ATTACHMENTS = "attachments";
  static final String HISTORY = "history.txt";
  static final String EVENTS = "events.json";
  static final String CASE = "case.json";
  static final String README = "README.txt";
  static final String HASHES = "hashes.txt";
  static final String MANIFEST = "MANIFEST.txt";
  private static final ObjectMapper JSON = SafeJson.mapper();

  /** A step of an export that may fail; tests inject a failure through {@link #fault}. */
  interface Step {
    void before(String what) throws IOException;
  }

  /** Test seam: called before each file and before the final rename; null in normal runs. */
  static volatile Step fault;

  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "New or empty directory to write into.")
  Path out;
  @Option(names = "--lang", defaultValue = "${env:TESTIGO_LANG:-es}", paramLabel = "es|en",
      description = "Language of report.txt, history.txt and README.txt: es or en (default: $TESTIGO_LANG, else es).")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
  String id;
  /** The staging directory (a 0700 sibling of {@code out}) while the export is written. */
  private Path dir;

  @Override
  public Integer call() throws IOException, CryptoException {
    if (!ReportRenderer.LANGUAGES.contains(lang)) {
      throw new CliException(ExitCodes.USAGE, "--lang must be one of " + ReportRenderer.LANGUAGES);
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
      throw new CliException(ExitCodes.REFUSED, out + " exists and is not an empty directory; choose a new one");
    }
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    if (cache.manifest().isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no manifest cached for this server yet; run sync first");
    }
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    ReportIndex index;
    try {
      index = ReportIndex.forCase(home, cache, identity, id, spec.commandLine().getErr());
      // Checks the id (and that the report opens) before anything is written.
      CachedReports.open(index, cache, id, identity.encryptionKey(), null);
    } catch (IOException | RuntimeException e) {
      identity.destroy();
      throw e;
    }
    ReportRenderer renderer = new ReportRenderer(lang);
    Path parent = PrivateFiles.directory(out.toAbsolutePath().normalize().getParent());
    dir = Files.createTempDirectory(parent, ".testigo-export-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    int n = 0;
    int files;
    CaseState state;
    LocalCache.Submission listing;
    try {
      CachedReports.Case c;
      CaseLog log;
      AttachmentWriter attachments = new AttachmentWriter(dir.resolve(ATTACHMENTS), spec.commandLine().getErr());
      attachments.before = ExportCommand::step;
      try {
        c = CachedReports.open(index, cache, id, identity.encryptionKey(), attachments);
        log = CaseLog.load(cache, RemoteSession.server(home), identity, index.eventSeqs(c.report().listing().id()));
      } finally {
        identity.destroy();
        attachments.discardUnfinished();
      }
      if (attachments.failed > 0) {
        throw new IOException("an attachment could not be written");
      }
      n = attachments.count;
      listing = c.report().listing();
      CaseId caseId = CaseId.fromHex(listing.id());
      state = log.state(listing.id(), listing.day());
      List<DecryptedSubmission> all = new ArrayList<>();
      all.add(c.report());
      all.addAll(c.followUps());
      String hashes = hashes(cache, all, state, log.known(caseId));
      CaseText text = new CaseText(lang);
      write(REPORT, renderer.render(c.report(), c.followUps(),
          text.caseLines(state, index.followUpDays(listing.id()), Instant.now())));
      write(QUESTIONNAIRE, JSON.writeValueAsString(c.report().document()) + "\n");
      write(HISTORY, text.history(listing.id(), listing.receivedDay(), state, log.refused));
      write(CASE, JSON.writeValueAsString(caseJson(state)) + "\n");
      write(EVENTS, JSON.writeValueAsString(events(state, log.known(caseId))) + "\n");
      write(HASHES, hashes);
      write(README, contents(text, listing.id(), state, c.followUps().size(), attachments.count));
      List<Path> written = listFiles(dir);
      StringBuilder m = new StringBuilder();
      for (Path f : written) {
        m.append(hex(sha256(Files.readAllBytes(f)))).append("  ").append(relative(f)).append('\n');
      }
      write(MANIFEST, m.toString());
      files = written.size() + 1;
      step("rename");
      publish();
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      if (e instanceof CliException) {
        throw e;
      }
      throw new CliException(ExitCodes.IO, "the export failed (" + e.getClass().getSimpleName() + "); nothing was"
          + " written to " + out + " and the partial copy was deleted");
    }
    spec.commandLine().getOut().println("Exported case " + listing.id() + " to " + out + ": " + files
        + " file(s), " + n + " attachment(s), " + state.history().size() + " verified event(s); with "
        + state.replies().size() + " reply(ies), " + state.notes().size() + " note(s), " + state.referrals().size()
        + " referral(s), outcome " + (state.outcome() == null ? "none (open)" : state.outcome().wire())
        + " (see " + README + ")");
    if (n > 0) {
      spec.commandLine().getErr().println("testigo-reviewer: warning: " + renderer.label("files.warning"));
    }
    return ExitCodes.OK;
  }

  /**
   * Renames the complete staging directory to {@code out} in one step: {@code out} appears
   * with every file, MANIFEST.txt last written, or not at all. An empty {@code out} is
   * replaced (rename(2) replaces an empty directory); one that gained files meanwhile is not.
   */
  private void publish() throws IOException {
    try {
      Files.move(dir, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      throw new CliException(ExitCodes.REFUSED, out + " is no longer an empty directory; nothing replaced,"
          + " the export was not written");
    }
  }

  private static void step(String what) throws IOException {
    Step f = fault;
    if (f != null) {
      f.before(what);
    }
  }

  /** Deletes a staging directory that holds decrypted files (best effort, depth first). */
  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // left for the reviewer to remove; the directory is 0700
        }
      });
    } catch (IOException ignored) {
      // nothing more can be done
    }
  }

  /**
   * README.txt: what the case file holds, in the reviewer's language: each file, and how many
   * replies, notes, referrals and follow-ups and which outcome it records.
   */
  static String contents(CaseText text, String caseId, CaseState state, int followUps, int attachments) {
    StringBuilder b = new StringBuilder();
    b.append(text.format("export.title", caseId)).append("\n\n");
    b.append(text.format("export.counts", state.replies().size(), state.notes().size(), state.referrals().size(),
        state.outcome() == null ? text.get("export.open") : text.outcome(state.outcome()), followUps, attachments,
        state.history().size())).append("\n\n");
    for (String f : List.of(REPORT, QUESTIONNAIRE, ATTACHMENTS, HISTORY, CASE, EVENTS, HASHES, README, MANIFEST)) {
      b.append(String.format("%-20s %s%n", f.equals(ATTACHMENTS) ? f + "/" : f, text.get("export.file." + f)));
    }
    return b.toString();
  }

  /**
   * case.json: the replayed case (status, outcome, assignee, priority, labels, deadlines), its
   * referrals, replies to the source (text, language, sender) and notes (text, author), links.
   */
  static ObjectNode caseJson(CaseState st) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", "testigo-case-export");
    o.put("version", 1);
    o.put("caseId", st.caseId().hex());
    o.put("receivedDay", st.receivedDay().toString());
    o.put("status", st.status().wire());
    o.put("outcome", st.outcome() == null ? null : st.outcome().wire());
    o.put("closedAt", st.closedAt() == null ? null : st.closedAt().toString());
    o.put("assignee", st.assignee());
    o.put("priority", st.priority().wire());
    ArrayNode labels = o.putArray("labels");
    st.labels().forEach(labels::add);
    ArrayNode deadlines = o.putArray("deadlines");
    for (CaseState.DeadlineStatus d : st.deadlines(Instant.now(), Deadlines.DEFAULT)) {
      ObjectNode n = deadlines.addObject();
      n.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
      n.put("due", d.due().toString());
      n.put("metAt", d.metAt() == null ? null : d.metAt().toString());
      n.put("state", d.state().name().toLowerCase(Locale.ROOT));
    }
    ArrayNode referrals = o.putArray("referrals");
    for (ReferralUpdates.Outcomes out : ReferralUpdates.of(st)) {
      var r = out.referral();
      ObjectNode n = recorded(referrals, r);
      n.put("to", r.action().to().wire());
      n.put("state", r.action().state());
      n.put("institution", r.action().institution());
      n.put("reference", r.action().reference());
      n.put("date", r.action().date().toString());
      // what the institution did since: the referral's outcome stages, in the order recorded
      ArrayNode stages = n.putArray("outcomes");
      for (var u : out.updates()) {
        ObjectNode x = recorded(stages, u);
        x.put("stage", u.action().stage().wire());
        x.put("date", u.action().date().toString());
        x.put("note", u.action().note());
      }
    }
    ArrayNode published = o.putArray("publishedToSource");
    for (var p : ReferralUpdates.published(st)) {
      ObjectNode n = recorded(published, p);
      n.put("status", p.action().progress().status().code());
      n.put("institution", p.action().progress().institution());
      n.put("reference", p.action().progress().reference());
      n.put("outcome", p.action().progress().outcome() == null ? null : p.action().progress().outcome().code());
    }
    ArrayNode replies = o.putArray("replies");
    for (var r : st.replies()) {
      ObjectNode n = recorded(replies, r);
      n.put("replySha256", r.action().replyHex());
      n.put("language", r.action().language());
      n.put("text", r.action().text());
      n.put("textKept", r.action().kept());
    }
    ArrayNode notes = o.putArray("notes");
    for (var r : st.notes()) {
      recorded(notes, r).put("text", r.action().text());
    }
    ArrayNode links = o.putArray("links");
    for (var r : st.links()) {
      ObjectNode n = recorded(links, r);
      n.put("case", r.action().other().hex());
      n.put("relation", r.action().relation().wire());
    }
    return o;
  }

  private static ObjectNode recorded(ArrayNode list, CaseState.Recorded<?> r) {
    ObjectNode n = list.addObject();
    n.put("eventId", r.eventId() == null ? null : r.eventId().hex());
    n.put("author", r.author());
    n.put("at", r.at() == null ? null : r.at().toString());
    return n;
  }

  static ArrayNode events(CaseState state, List<SignedCaseEvent> signed) {
    Map<EventId, SignedCaseEvent> byId = new HashMap<>();
    signed.forEach(e -> byId.put(e.eventId(), e));
    ArrayNode list = JSON.createArrayNode();
    for (CaseState.HistoryEntry h : state.history()) {
      SignedCaseEvent e = byId.get(h.eventId());
      ObjectNode o = list.addObject();
      o.put("eventId", h.eventId().hex());
      o.put("caseId", state.caseId().hex());
      o.put("author", h.author());
      o.put("authorKey", e == null ? null : HexFormat.of().formatHex(e.author().toBytes()));
      o.put("lamport", h.lamport());
      o.put("createdAt", h.createdAt().toString());
      ArrayNode parents = o.putArray("parents");
      if (e != null) {
        e.parents().forEach(p -> parents.add(p.hex()));
      }
      o.put("type", h.action() == null ? null : h.action().type());
      try {
        o.set("content", h.action() == null ? null : JSON.readTree(CaseContent.encode(h.action())));
      } catch (IOException bad) {
        throw new java.io.UncheckedIOException("re-reading content JSON that was just encoded", bad);
      }
      o.put("flag", h.flag().name().toLowerCase(Locale.ROOT));
      o.put("reason", h.reason());
      o.put("signedSha256", e == null ? null : hex(sha256(e.encoded())));
      o.put("signed", e == null ? null : Base64.getEncoder().encodeToString(e.encoded()));
    }
    return list;
  }

  /** hashes.txt; refuses (exit 3) when a cached envelope does not match the server's listing. */
  static String hashes(LocalCache cache, List<DecryptedSubmission> all, CaseState state, List<SignedCaseEvent> signed)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# Testigo case file hashes v1, case ").append(state.caseId().hex()).append('\n');
    b.append("# envelope ID CONTEXT DAY object=SHA-256(envelope as stored) leaf=SHA-256(0x00 || LogLeaf v1)\n");
    for (DecryptedSubmission s : all) {
      LocalCache.Submission l = s.listing();
      byte[] stored = Files.readAllBytes(cache.envelope(l.id()));
      LogLeaf leaf = LogLeaf.ofObject(LogLeaf.EntryType.SUBMISSION,
          l.day().atStartOfDay().toInstant(ZoneOffset.UTC), stored);
      String object = hex(leaf.objectHash());
      if (!object.equals(l.sha256())) {
        throw new CliException(ExitCodes.CRYPTO, "the cached envelope " + l.id() + " does not match the server's listing");
      }
      b.append("envelope ").append(l.id()).append(' ').append(l.context()).append(' ').append(l.receivedDay())
          .append(" object=").append(object).append(" leaf=").append(hex(leaf.leafHash())).append('\n');
    }
    b.append("# event EVENT_ID object=SHA-256(signed encoding) (the object hash of a case-event leaf)\n");
    Map<EventId, SignedCaseEvent> byId = new HashMap<>();
    signed.forEach(e -> byId.put(e.eventId(), e));
    for (CaseState.HistoryEntry h : state.history()) {
      SignedCaseEvent e = byId.get(h.eventId());
      if (e != null) {
        b.append("event ").append(h.eventId().hex()).append(" object=").append(hex(sha256(e.encoded()))).append('\n');
      }
    }
    return b.toString();
  }

  private void write(String name, String text) throws IOException {
    step(name);
    Path p = PrivateFiles.createNew(dir, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    if (!p.getFileName().toString().equals(name)) {
      Files.delete(p);
      throw new CliException(ExitCodes.REFUSED, dir.resolve(name) + " appeared while exporting; nothing replaced");
    }
  }

  private String relative(Path f) {
    return dir.relativize(f).toString().replace('\\', '/');
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      TreeMap<String, Path> sorted = new TreeMap<>();
      s.filter(Files::isRegularFile).forEach(p -> sorted.put(dir.relativize(p).toString(), p));
      return new ArrayList<>(sorted.values());
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

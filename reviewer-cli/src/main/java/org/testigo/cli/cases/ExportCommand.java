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
 *   history.txt         the verified event trail as {@code history} prints it
 *   events.json         every verified event: id, author alias and key, Lamport counter,
 *                       claimed time, parents, action type, replay flag, signed encoding
 *   hashes.txt          SHA-256 of each envelope as stored (the object hash of its log
 *                       leaf, LogLeaf v1) with the leaf hash, and of each event's signed
 *                       encoding (the object hash a case-event leaf carries)
 *   MANIFEST.txt        SHA-256 and path of every other file, sorted by path
 * </pre>
 *
 * Guarantees: every envelope's SHA-256 is checked against the server's listing before
 * anything is written (mismatch: exit 3, nothing written); only events that verified against
 * the manifest chain from the pinned root appear; files are created mode 0600 and never
 * replace an existing file. Note texts are not exported (history shows event types only).
 * Atomic: everything is written into a 0700 staging directory beside DIR
 * ({@code .testigo-export-*}) and renamed to DIR once MANIFEST.txt is written; on any failure
 * the staging directory (decrypted files) is deleted and DIR is left as it was. A process
 * killed mid-export may leave a staging directory behind (0700, to delete by hand).
 * Attachment names are made safe by {@link AttachmentNames}; JSON files escape C1 and bidi
 * controls ({@link SafeJson}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a case file for referral: the decrypted report, questionnaire,"
        + " attachments, verified history, hashes tying them to the log, and a MANIFEST.txt.",
        "Works from the local cache: run sync first. DIR must not exist or be empty."})
public final class ExportCommand implements Callable<Integer> {
  static final String REPORT = "report.txt";
  static final String QUESTIONNAIRE = "questionnaire.json";
  static final String ATTACHMENTS = "attachments";
  static final String HISTORY = "history.txt";
  static final String EVENTS = "events.json";
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
  @Option(names = "--lang", defaultValue = "es", description = "Labels in es or en (default: ${DEFAULT-VALUE}).")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 6+ characters).")
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
      index = ReportIndex.forCommand(home, cache, identity, spec.commandLine().getErr());
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
      write(REPORT, renderer.render(c.report(), c.followUps(), caseLines(renderer, state)));
      write(QUESTIONNAIRE, JSON.writeValueAsString(c.report().document()) + "\n");
      write(HISTORY, history(listing, state, log.refused));
      write(EVENTS, JSON.writeValueAsString(events(state, log.known(caseId))) + "\n");
      write(HASHES, hashes);
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
        + " file(s), " + n + " attachment(s), " + state.history().size() + " verified event(s)");
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

  /** The case lines {@code show} prints under the report's received day. */
  static List<String> caseLines(ReportRenderer renderer, CaseState st) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-28s %s; %s %s; priority %s; labels %s", renderer.label("field.status") + ":",
        st.status().name().toLowerCase(Locale.ROOT), renderer.label("field.assignee").toLowerCase(Locale.ROOT),
        st.assignee() == null ? "-" : st.assignee(), st.priority().name().toLowerCase(Locale.ROOT), st.labels()));
    for (var d : st.deadlines(Instant.now(), Deadlines.DEFAULT)) {
      lines.add(String.format("%-28s %s due %s", "  " + d.kind().name().toLowerCase(Locale.ROOT) + ":",
          d.state().name().toLowerCase(Locale.ROOT), d.due()));
    }
    return lines;
  }

  /** The trail as {@code history} prints it. */
  static String history(LocalCache.Submission report, CaseState state, int refused) {
    StringBuilder b = new StringBuilder();
    b.append("Case ").append(report.id()).append(" received ").append(report.receivedDay()).append(": ")
        .append(state.history().size()).append(" verified event(s)\n");
    for (CaseState.HistoryEntry h : state.history()) {
      b.append(String.format("%s  %-16s  #%-3d %-14s %s  %s%n", h.createdAt(), Text.cell(h.author(), 16), h.lamport(),
          h.action() == null ? "(unreadable)" : h.action().type(), h.flag().name().toLowerCase(Locale.ROOT)
              + (h.reason() == null ? "" : " (" + Text.cell(h.reason(), 80) + ")"),
          h.eventId().hex().substring(0, 16)));
    }
    b.append("status ").append(state.status().name().toLowerCase(Locale.ROOT)).append(", assignee ")
        .append(state.assignee() == null ? "-" : state.assignee()).append(", priority ")
        .append(state.priority().name().toLowerCase(Locale.ROOT)).append(", labels ").append(state.labels()).append('\n');
    if (refused > 0) {
      b.append(refused).append(" event(s) on this server failed verification and are not shown\n");
    }
    return b.toString();
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

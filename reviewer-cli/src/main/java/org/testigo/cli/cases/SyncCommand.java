package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.wire.WireFields;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.EnvelopeBatchReader;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PendingForces;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sync}: bring the local ciphertext cache up to date. Verifies the manifest chain from
 * the pinned root (and refuses one older than the newest seen), then pages through the
 * submissions after the stored cursor in envelope batches (a page of the feed with its
 * envelopes inline, one signed request), checking each envelope's SHA-256 against its entry,
 * and advancing the cursor after each page once the page is on disk: an interrupted sync
 * resumes at the last page it completed and never stores an intact envelope twice. While it
 * downloads, the envelopes of the pages already checkpointed are opened for the report index
 * ({@link IndexPreOpener}), and each file is forced to disk as soon as it is written
 * ({@link PendingForces}), so that a sync takes about as long as the longer of downloading and
 * opening rather than their sum.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Download new submissions (ciphertext only) and the key manifest from the server.",
        "Applies the erasures the server has carried out (each decision checked against the manifest chain):"
            + " the erased cases' envelopes and events leave the cache; their statistical records are kept."})
public final class SyncCommand implements Callable<Integer> {
  static final String SUBMISSIONS_CURSOR = "submissionsCursor";
  static final String MANIFEST_SEQUENCE = LocalCache.MANIFEST_SEQUENCE;
  /** Temporary files older than this were left by a killed command; sync removes them. */
  static final java.time.Duration STALE_TEMP = java.time.Duration.ofMinutes(10);
  static final int MAX_MANIFEST_CHARS = Bounded.MANIFEST_BYTES;
  /** Files forced to disk at once (the file system commits them together). */
  static final int FSYNCS_IN_FLIGHT = 4;
  /** Written files waiting to be forced to disk, at most (each holds a file descriptor). */
  static final int FORCES_QUEUED = 64;

  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--page-size", defaultValue = "100", description = "Submissions per request (default: ${DEFAULT-VALUE}).")
  int pageSize;
  @Option(names = "--rescan", description = "Read the server's feeds again from the start (what is cached is"
      + " kept and checked). After a server sent a position far ahead, which stops every later sync, or after"
      + " the server was restored from a backup.")
  boolean rescan;
  @Option(names = "--max-pages", defaultValue = "0", description = "Stop after this many pages (0: no limit); run sync again to continue.")
  int maxPages;
  @Option(names = "--max-envelope-bytes", defaultValue = "" + DEFAULT_MAX_ENVELOPE_BYTES, paramLabel = "N",
      description = "Largest envelope size the server may list (default: ${DEFAULT-VALUE}, the server's default"
          + " limits.maxEnvelopeBytes); sync stops before a larger one.")
  long maxEnvelopeBytes;

  /** The server's default {@code limits.maxEnvelopeBytes}. */
  static final long DEFAULT_MAX_ENVELOPE_BYTES = 64L * 1024 * 1024;

  /** What one page of the batch feed gave. {@code stopped}: why sync stopped inside it, or null. */
  record PageResult(int fresh, int cached, int invalid, boolean more, String stopped, List<String> freshIds) {}

  @Override
  public Integer call() throws IOException, CryptoException {
    if (pageSize < 1 || pageSize > 500) {
      throw new CliException(ExitCodes.USAGE, "--page-size must be within 1..500");
    }
    if (maxEnvelopeBytes < 1024 || maxEnvelopeBytes > (1L << 40)) {
      throw new CliException(ExitCodes.USAGE, "--max-envelope-bytes must be within 1024..2^40");
    }
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase);
        IndexPreOpener opener = new IndexPreOpener(s.cache, s.identity, Runtime.getRuntime().availableProcessors(),
            2 * pageSize)) {
      try {
        s.cache.sweepStaleTemps(STALE_TEMP);
      } catch (IOException | java.io.UncheckedIOException e) {
        // best effort: a temporary file another command removed meanwhile, or an unreadable one
        spec.commandLine().getErr().println("testigo-reviewer: warning: could not remove leftover temporary files"
            + " from the cache (" + e.getClass().getSimpleName() + "); sync goes on");
      }
      KeyManifest manifest = syncManifest(s);
      if (rescan) {
        for (String cursor : List.of(SUBMISSIONS_CURSOR, CaseLog.EVENTS_CURSOR, Rewraps.REWRAPS_CURSOR,
            Erasures.ERASURES_CURSOR)) {
          s.cache.setCursor(cursor, 0);
        }
      }
      if (manifest.reviewerBySigningKey(s.identity.signingKey().publicKey(), Instant.now()).isEmpty()) {
        spec.commandLine().getErr().println("testigo-reviewer: warning: your key is not in the current"
            + " manifest; the server will refuse your requests");
      }
      PageResult counts = syncSubmissions(s, opener);
      java.io.PrintWriter err = spec.commandLine().getErr();
      boolean early = counts.more() && counts.stopped() == null;
      CaseLog.Synced events = early ? new CaseLog.Synced(0, 0) : CaseLog.sync(s.client, s.cache, err);
      Rewraps.Synced rewrapped = early ? new Rewraps.Synced(0, 0) : Rewraps.sync(s.client, s.cache, s.identity.encryptionKey(), err);
      if (rewrapped.applied() > 0) {
        spec.commandLine().getOut().println(rewrapped.applied() + " cached envelope header(s) replaced by their rewrap"
            + " (new reviewer set; payload unchanged)");
      }
      // built before the erasures, which read the index (and would otherwise open every new envelope again)
      ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err,
          opener.finish());
      int opened = index.lastOpened;
      Erasures.Synced erased = early ? new Erasures.Synced(0, 0, 0) : Erasures.sync(home.home(), home.serverName(),
          s.cache, s.server, s.identity, s.client, spec.commandLine().getOut(), err, index);
      if (erased.applied() > 0) {
        index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
        opened += index.lastOpened;
      }
      int invalid = counts.invalid() + events.invalid() + rewrapped.invalid() + erased.refused();
      // a well-formed event whose author or signature does not verify is cached (history shows
      // it, refused) but is no new case event: it changes nothing; nor is one that an erasure in
      // this same sync deleted again (it is counted in that erasure's line)
      ReportIndex read = index;
      long forged = events.freshSeqs().stream()
          .filter(seq -> read.events.containsKey(seq) && read.events.get(seq) == null).count();
      long fresh = events.freshSeqs().stream().filter(seq -> read.events.get(seq) != null).count();
      spec.commandLine().getOut().println("Synced '" + s.server.name() + "': " + counts.fresh()
          + " new submission(s), " + counts.cached() + " already cached, " + fresh
          + " new case event(s)" + (forged > 0 ? " (and " + forged + " that do not verify: not applied;"
              + " history shows them; tell your administrator)" : "") + ", manifest #"
          + manifest.sequence() + (erased.applied() > 0 ? ", " + erased.applied() + " erased case(s) removed from"
              + " the cache" : "") + (invalid > 0 ? ", " + invalid + " invalid item(s) from the server skipped" : "")
          + (early ? "; more remain, run sync again" : "") + "; report index: " + opened + " envelope(s) opened");
      followUps(index, counts.freshIds(), spec.commandLine().getOut());
      if (counts.stopped() != null) {
        throw new CliException(ExitCodes.SERVER, counts.stopped());
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Names the cases that got new follow-ups, once per case, with their status; a closed case
   * whose follow-up came after the close ({@link CaseState#followUpAfterClose}) is said so,
   * with how to reopen it. Follow-ups are known by their listing (their case id) whether or
   * not they open with this key.
   */
  static void followUps(ReportIndex index, List<String> freshIds, java.io.PrintWriter out) {
    java.util.Set<String> cases = new java.util.LinkedHashSet<>();
    for (String id : freshIds) {
      ReportIndex.Entry e = index.entries.get(id);
      if (e != null && !e.isReport() && e.kind() != ReportIndex.Kind.INVALID && e.caseId() != null) {
        cases.add(e.caseId());
      }
    }
    for (String caseId : cases) {
      ReportIndex.Entry report = index.entries.get(caseId);
      if (report == null || !report.isReport()) {
        out.println("follow-up on case " + caseId.substring(0, 12) + "… (its report is not synced yet)");
        continue;
      }
      CaseState st = index.state(report);
      String status = st.status().wire();
      out.println(index.followUpAfterClose(report) != null
          ? "follow-up on case " + caseId.substring(0, 12) + "… (" + status + "): it arrived after the case was"
              + " closed; see it with: testigo-reviewer show " + caseId.substring(0, 12) + "; reopen it with:"
              + " testigo-reviewer reopen " + caseId.substring(0, 12)
          : "follow-up on case " + caseId.substring(0, 12) + "… (" + status + ")");
    }
  }

  static KeyManifest syncManifest(RemoteSession s) throws IOException {
    String armored;
    try (InputStream in = s.client.get(ApiPaths.REVIEWER_MANIFEST)) {
      armored = new String(Bounded.readAll(in, MAX_MANIFEST_CHARS, "the manifest chain"), StandardCharsets.US_ASCII);
    }
    KeyManifest latest;
    try {
      latest = ManifestChain.verify(SignedManifest.parseArmored(armored), s.server.root());
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.CRYPTO, "the server's key manifest does not verify from the"
          + " pinned root fingerprint; nothing was synced. " + rootHint(armored, s.server.root()));
    }
    if (latest.sequence() < s.cache.cursor(MANIFEST_SEQUENCE)) {
      throw new CliException(ExitCodes.CRYPTO, "the server sent an older key manifest (#" + latest.sequence()
          + ") than one seen before (#" + s.cache.cursor(MANIFEST_SEQUENCE) + "); refusing a rollback");
    }
    s.cache.saveManifest(armored);
    s.cache.setCursor(MANIFEST_SEQUENCE, latest.sequence());
    return latest;
  }

  /**
   * Pages through the batch feed. Each page is one signed request for an envelope batch, and
   * a checkpoint: its envelopes are forced to disk, and only then is the cursor advanced past
   * the page (docs/spec/reviewer-api-and-batches.md §4). A sync killed mid-page asks for the page again; what it had
   * stored is checked against the listed SHA-256 and kept if intact. An envelope over the
   * caps stops the feed before it (docs/spec/reviewer-api-and-batches.md §7.3): what came before it is checkpointed,
   * and {@link PageResult#stopped} says why.
   */
  private PageResult syncSubmissions(RemoteSession s, IndexPreOpener opener) throws IOException {
    int fresh = 0;
    int cached = 0;
    int invalid = 0;
    int pages = 0;
    boolean more = true;
    String stopped = null;
    List<String> freshIds = new ArrayList<>();
    try (PendingForces forces = new PendingForces(FSYNCS_IN_FLIGHT, FORCES_QUEUED); ProgressBar bar = progressBar()) {
      while (more && stopped == null && (maxPages == 0 || pages < maxPages)) {
        long cursor = s.cache.cursor(SUBMISSIONS_CURSOR);
        PageResult page;
        try (InputStream in = s.client.envelopeBatch(cursor, pageSize)) {
          page = batchPage(s, cursor, new EnvelopeBatchReader(in, maxEnvelopeBytes + LocalCache.HEADER_BOUND),
              maxEnvelopeBytes, forces, bar, spec.commandLine().getErr());
        }
        opener.open(page.freshIds());
        pages++;
        fresh += page.fresh();
        cached += page.cached();
        invalid += page.invalid();
        more = page.more();
        stopped = page.stopped();
        freshIds.addAll(page.freshIds());
        if (more && stopped == null && s.cache.cursor(SUBMISSIONS_CURSOR) <= cursor) {
          // A page that promises more but moves the feed nowhere would be asked for again for
          // ever (a hostile or broken server; found by an outside attack).
          stopped = "the server said more submissions follow, but its page after position " + cursor
              + " moved the feed nowhere; nothing more was asked. Run sync again later; if it"
              + " happens again, the server (or a proxy in between) is faulty";
        }
      }
    }
    return new PageResult(fresh, cached, invalid, more, stopped, freshIds);
  }

  /**
   * Stores one page read from an envelope batch (one signed request), forces it to disk (each
   * file handed to {@code forces} as it is written; the checkpoint waits for them all) and
   * moves the cursor past what it stored. Every entry is checked field by field
   * ({@link LocalCache.Submission#parse}) before anything of it is cached: an invalid entry
   * is reported on {@code err}, counted and skipped. An entry listed above
   * {@code maxEnvelopeBytes}, or an envelope longer than its listed size plus the header
   * bound, stops the page there (its temporary file deleted, nothing of it cached).
   */
  static PageResult batchPage(RemoteSession s, long cursor, EnvelopeBatchReader batch, long maxEnvelopeBytes,
      PendingForces forces, ProgressBar bar, java.io.PrintWriter err) throws IOException {
    int fresh = 0;
    int cached = 0;
    int invalid = 0;
    long last = cursor;
    String stopped = null;
    List<String> written = new ArrayList<>();
    for (JsonNode item = batch.next(); item != null; item = batch.next()) {
      JsonNode seqNode = item.get("seq");
      if (seqNode != null && seqNode.isIntegralNumber() && seqNode.canConvertToLong()
          && seqNode.asLong() <= last) {
        throw new CliException(ExitCodes.SERVER, "the server's submission list is out of order");
      }
      LocalCache.Submission sub;
      try {
        sub = LocalCache.Submission.parse(item);
      } catch (WireFields.InvalidEntryException e) {
        invalid++;
        if (seqNode != null && seqNode.isIntegralNumber() && seqNode.canConvertToLong() && seqNode.asLong() > 0) {
          last = seqNode.asLong();
        }
        err.println("testigo-reviewer: warning: skipped a submission entry from the server"
            + (seqNode != null && seqNode.canConvertToLong() ? " (seq " + seqNode.asLong() + ")" : "")
            + ": " + e.getMessage() + "; nothing of it cached");
        continue;
      }
      if (sub.size() > maxEnvelopeBytes) {
        stopped = "the server lists submission " + sub.id() + " at " + sub.size() + " bytes, above --max-envelope-bytes ("
            + maxEnvelopeBytes + "); sync stopped before it (raise the cap if your server accepts larger envelopes)";
        break;
      }
      boolean present = s.cache.hasEnvelope(sub.id());
      if (present && s.cache.hasIntactEnvelope(sub)) {
        cached++;
      } else if (present && s.cache.byId(sub.id()).filter(c -> !c.sha256().equals(sub.sha256())).isPresent()) {
        invalid++;
        last = sub.seq();
        err.println("testigo-reviewer: warning: the server lists submission " + sub.id() + " with another SHA-256"
            + " than the copy cached here; the cached copy is kept, nothing replaced");
      } else {
        boolean stored;
        try {
          stored = s.cache.storeEnvelope(sub, batch.body(), forces);
        } catch (Bounded.TooLargeException e) {
          stopped = "envelope " + sub.id() + " from the server is longer than its listed size plus the header bound ("
              + LocalCache.maxBytes(sub) + " bytes); stopped reading it, nothing of it was kept; sync stopped before it";
          break;
        }
        if (!stored) {
          throw new CliException(ExitCodes.CRYPTO, "envelope " + sub.id() + " does not match the SHA-256 the"
              + " server listed; not stored");
        }
        written.add(sub.id());
        fresh++;
      }
      last = sub.seq();
      bar.step();
    }
    if (stopped != null) {
      checkpoint(s, forces, cursor, last);
      return new PageResult(fresh, cached, invalid, false, stopped, written);
    }
    boolean more = batch.more();
    checkpoint(s, forces, cursor, last);
    return new PageResult(fresh, cached, invalid, more, null, written);
  }

  private static void checkpoint(RemoteSession s, PendingForces forces, long cursor, long last) throws IOException {
    s.cache.force(forces);
    if (last > cursor) {
      s.cache.setCursor(SUBMISSIONS_CURSOR, last);
    }
  }

  private ProgressBar progressBar() {
    return ProgressBars.of("sync", -1);
  }

  /**
   * What to check when the manifest does not verify from the pinned root: the fingerprint pinned
   * here and the one the server's chain names (unverified), so a mistyped pin shows as such;
   * never to copy the server's (a server that is not the organisation's names its own).
   */
  static String rootHint(String armored, org.testigo.crypto.Fingerprint pinned) {
    org.testigo.crypto.Fingerprint claimed;
    try {
      claimed = SignedManifest.parseArmored(armored).get(0).manifest().rootFingerprint();
    } catch (CryptoException | RuntimeException e) {
      claimed = null;
    }
    String said;
    if (claimed == null) {
      said = "You pinned " + pinned.shortForm() + "; the server sent no readable chain";
    } else if (claimed.equals(pinned)) {
      said = "The server's chain names the root you pinned (" + pinned.shortForm() + ") but does not verify from it"
          + " (altered)";
    } else if (claimed.shortForm().equals(pinned.shortForm())) {
      // the short form shows only the start of the fingerprint: a typo further on does not show in it
      said = "You pinned " + pinned.hex() + "; the server's chain names " + claimed.hex() + " (the same short form,"
          + " " + pinned.shortForm() + ": they differ further on)";
    } else {
      said = "You pinned " + pinned.shortForm() + "; the server's chain names " + claimed.shortForm();
    }
    return said + ". Compare the pinned one with your organisation's root fingerprint (on its posters and custody"
        + " record, never from the server): if you mistyped it, run testigo-reviewer server add again with the"
        + " right --root; if it is right, this server is not your organisation's or was tampered with: tell your"
        + " administrator.";
  }
}

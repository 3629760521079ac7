package org.testigo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.testigo.cli.remote.EnvelopeBatchReader;
import org.testigo.cli.remote.LocalCache;
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
 * resumes at the last page it completed and never stores an intact envelope twice.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Download new submissions (ciphertext only) and the key manifest from the server.")
public final class SyncCommand implements Callable<Integer> {
  static final String SUBMISSIONS_CURSOR = "submissionsCursor";
  static final String MANIFEST_SEQUENCE = "manifestSequence";
  static final int MAX_MANIFEST_CHARS = 4 * 1024 * 1024;
  /** Files forced to disk at once at a checkpoint (the file system commits them together). */
  static final int FSYNCS_IN_FLIGHT = 4;

  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--page-size", defaultValue = "100", description = "Submissions per request (default: ${DEFAULT-VALUE}).")
  int pageSize;
  @Option(names = "--max-pages", defaultValue = "0", description = "Stop after this many pages (0: no limit); run sync again to continue.")
  int maxPages;

  @Override
  public Integer call() throws IOException, CryptoException {
    if (pageSize < 1 || pageSize > 500) {
      throw new CliException(ExitCodes.USAGE, "--page-size must be within 1..500");
    }
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      KeyManifest manifest = syncManifest(s);
      if (manifest.reviewerBySigningKey(s.identity.signingKey().publicKey(), Instant.now()).isEmpty()) {
        spec.commandLine().getErr().println("testigo-reviewer: warning: your key is not in the current"
            + " manifest; the server will refuse your requests");
      }
      int[] counts = syncSubmissions(s);
      int events = counts[2] == 1 ? 0 : CaseLog.sync(s.client, s.cache);
      int rewrapped = counts[2] == 1 ? 0 : Rewraps.sync(s.client, s.cache);
      if (rewrapped > 0) {
        spec.commandLine().getOut().println(rewrapped + " cached envelope header(s) replaced by their rewrap"
            + " (new reviewer set; payload unchanged)");
      }
      spec.commandLine().getOut().println("Synced '" + s.server.name() + "': " + counts[0]
          + " new submission(s), " + counts[1] + " already cached, " + events + " new case event(s), manifest #"
          + manifest.sequence() + (counts[2] == 1 ? "; more remain, run sync again" : ""));
      return ExitCodes.OK;
    }
  }

  static KeyManifest syncManifest(RemoteSession s) throws IOException {
    String armored;
    try (InputStream in = s.client.get("/api/v1/reviewer/manifest")) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_CHARS + 1);
      if (bytes.length > MAX_MANIFEST_CHARS) {
        throw new CliException(ExitCodes.BAD_INPUT, "the server's manifest chain is too large");
      }
      armored = new String(bytes, StandardCharsets.US_ASCII);
    }
    KeyManifest latest;
    try {
      latest = ManifestChain.verify(SignedManifest.parseArmored(armored), s.server.root());
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.CRYPTO, "the server's key manifest does not verify from the"
          + " pinned root fingerprint; nothing was synced");
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
   * Returns {new, already cached, 1 if stopped early with more to fetch}. Each page is one
   * signed request for an envelope batch, and a checkpoint: its envelopes are forced to disk,
   * and only then is the cursor advanced past the page (SECURITY.md §17). A sync killed
   * mid-page asks for the page again; what it had stored is checked against the listed
   * SHA-256 and kept if intact.
   */
  private int[] syncSubmissions(RemoteSession s) throws IOException {
    int fresh = 0;
    int cached = 0;
    int pages = 0;
    boolean more = true;
    ExecutorService pool = Executors.newFixedThreadPool(FSYNCS_IN_FLIGHT, r -> {
      Thread t = new Thread(r, "sync-fsync");
      t.setDaemon(true);
      return t;
    });
    try (ProgressBar bar = progressBar()) {
      while (more && (maxPages == 0 || pages < maxPages)) {
        long cursor = s.cache.cursor(SUBMISSIONS_CURSOR);
        int[] counts;
        try (InputStream in = s.client.get("/api/v1/reviewer/submissions/envelopes?after=" + cursor
            + "&limit=" + pageSize)) {
          counts = batchPage(s, cursor, new EnvelopeBatchReader(in), pool, bar);
        }
        pages++;
        fresh += counts[0];
        cached += counts[1];
        more = counts[2] == 1;
      }
    } finally {
      pool.shutdownNow();
    }
    return new int[] {fresh, cached, more ? 1 : 0};
  }

  /**
   * Stores one page read from an envelope batch (one signed request), forces it to disk and
   * moves the cursor past it; returns {new, already cached, 1 if the feed has more}.
   */
  private static int[] batchPage(RemoteSession s, long cursor, EnvelopeBatchReader batch, ExecutorService pool,
      ProgressBar bar) throws IOException {
    int fresh = 0;
    int cached = 0;
    long last = cursor;
    List<String> written = new ArrayList<>();
    for (JsonNode item = batch.next(); item != null; item = batch.next()) {
      String id = item.path("id").asText();
      long seq = item.path("seq").asLong();
      if (seq <= last || !id.matches("[0-9a-f]{32}")) {
        throw new CliException(ExitCodes.SERVER, "the server's submission list is out of order");
      }
      last = seq;
      if (s.cache.hasIntactEnvelope(item)) {
        cached++;
      } else {
        if (!s.cache.storeEnvelope(item, batch.body())) {
          throw new CliException(ExitCodes.CRYPTO, "envelope " + id + " does not match the SHA-256 the"
              + " server listed; not stored");
        }
        written.add(id);
        fresh++;
      }
      bar.step();
    }
    boolean more = batch.more();
    s.cache.force(written, pool);
    if (last > cursor) {
      s.cache.setCursor(SUBMISSIONS_CURSOR, last);
    }
    return new int[] {fresh, cached, more ? 1 : 0};
  }

  private ProgressBar progressBar() {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("sync").setInitialMax(-1).setUnit(" env", 1);
    if (System.console() != null) {
      b.setConsumer(new ConsoleProgressBarConsumer(System.err));
    } else {
      b.setConsumer(new DelegatingProgressBarConsumer(line -> { }));
    }
    return b.build();
  }
}

package org.testigo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
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
 * submissions after the stored cursor, downloading each envelope once, checking its SHA-256
 * against the listing, and advancing the cursor after each one: an interrupted sync resumes
 * where it stopped and never downloads an envelope twice.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Download new submissions (ciphertext only) and the key manifest from the server.")
public final class SyncCommand implements Callable<Integer> {
  static final String SUBMISSIONS_CURSOR = "submissionsCursor";
  static final String MANIFEST_SEQUENCE = "manifestSequence";
  static final int MAX_MANIFEST_CHARS = 4 * 1024 * 1024;

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

  /** Returns {new, already cached, 1 if stopped early with more to fetch}. */
  private int[] syncSubmissions(RemoteSession s) throws IOException {
    int fresh = 0;
    int cached = 0;
    int pages = 0;
    boolean more = true;
    try (ProgressBar bar = progressBar()) {
      while (more && (maxPages == 0 || pages < maxPages)) {
        long cursor = s.cache.cursor(SUBMISSIONS_CURSOR);
        JsonNode page = s.client.getJson("/api/v1/reviewer/submissions?after=" + cursor + "&limit=" + pageSize);
        pages++;
        more = page.path("more").asBoolean(false);
        List<JsonNode> items = new java.util.ArrayList<>();
        page.path("items").forEach(items::add);
        for (JsonNode item : items) {
          String id = item.path("id").asText();
          long seq = item.path("seq").asLong();
          if (seq <= cursor || !id.matches("[0-9a-f]{32}")) {
            throw new CliException(ExitCodes.SERVER, "the server's submission list is out of order");
          }
          if (s.cache.hasEnvelope(id)) {
            cached++;
          } else {
            try (InputStream in = s.client.get("/api/v1/reviewer/submissions/" + id + "/envelope")) {
              if (!s.cache.storeEnvelope(item, in)) {
                throw new CliException(ExitCodes.CRYPTO, "envelope " + id + " does not match the SHA-256 the"
                    + " server listed; not stored");
              }
            }
            fresh++;
          }
          cursor = seq;
          s.cache.setCursor(SUBMISSIONS_CURSOR, cursor);
          bar.step();
        }
      }
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

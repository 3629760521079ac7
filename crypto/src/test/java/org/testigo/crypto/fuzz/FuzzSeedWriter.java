package org.testigo.crypto.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Writes the fuzz seeds that cannot be cut from a golden file: small envelopes sealed to
 * {@code TestKeys.recipient("fuzz")} and requests signed by {@code TestKeys.signing("fuzz")}
 * at 2026-03-01T12:00Z. Not a test: run by hand with the test classpath and the directory
 * {@code crypto/src/test/resources} as argument, then commit the output. The seeds are
 * random (fresh nonces and HPKE encapsulations); rewriting them is harmless.
 */
public final class FuzzSeedWriter {
  private FuzzSeedWriter() {}

  public static void main(String[] args) throws Exception {
    Path res = Path.of(args[0]).resolve("org/testigo/crypto");
    SecureRandom random = new SecureRandom();
    for (int size : new int[] {0, 1, 100, 5000}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Envelope.seal(new ByteArrayInputStream(new byte[size]), out,
          List.of(TestKeys.recipient("fuzz").publicKey()), Envelope.CONTEXT_REPORT, random);
      for (String method : List.of("inspect_refusesOrCopiesExactlyTheInput",
          "open_refusesOrOpensOnlyWellFormedEnvelopes")) {
        write(res.resolve("envelope/EnvelopeFuzzTestInputs/" + method), "fuzz-key-" + size,
            out.toByteArray());
      }
    }
    SigningPrivateKey key = TestKeys.signing("fuzz");
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    Path verify = res.resolve("httpsig/StructuredFieldsFuzzTestInputs/verify_refusesOrVerifiesWithinTheProfile");
    Path dict = res.resolve("httpsig/StructuredFieldsFuzzTestInputs/parseDictionary_refusesOrRoundTrips");
    byte[] sha = MessageDigest.getInstance("SHA-256").digest("{}".getBytes(StandardCharsets.UTF_8));
    record R(String name, String method, String path, String query, byte[] digest) {}
    for (R r : List.of(new R("get", "GET", "/api/v1/reviewer/manifest", null, null),
        new R("get-query", "GET", "/api/v1/reviewer/submissions", "after=5&limit=100", null),
        new R("post", "POST", "/api/v1/reviewer/events", null, sha))) {
      ReviewerRequestSignature.Headers h = ReviewerRequestSignature.sign(key, r.method(),
          "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", r.path(), r.query(),
          r.digest(), now, Duration.ofMinutes(2), random);
      String text = String.join("\n", r.method(),
          "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", r.path(),
          r.query() == null ? "-" : r.query(), h.contentDigest() == null ? "-" : h.contentDigest(),
          h.signatureInput(), h.signature());
      write(verify, "signed-" + r.name(), text.getBytes(StandardCharsets.ISO_8859_1));
      write(dict, "testigo-" + r.name() + "-input", h.signatureInput().getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static void write(Path dir, String name, byte[] data) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), data);
  }
}

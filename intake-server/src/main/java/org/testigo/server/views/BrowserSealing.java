package org.testigo.server.views;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.testigo.api.ApiPaths;

/**
 * What the report page tells its script (docs/spec/payload-and-questionnaire.md §5): the pinned root fingerprint
 * the manifest chain must verify from, the receipt Argon2id parameters, and the limits. The
 * script itself ({@code /assets/testigo.js}) is read once from the class path; its
 * Subresource Integrity value is computed from those exact bytes.
 */
public record BrowserSealing(String rootFingerprintHex, int argon2MemoryKiB, int argon2Iterations,
    int argon2Parallelism, long maxEnvelopeBytes, int maxFiles) {
  public static final String SCRIPT_PATH = ApiPaths.ASSET_SCRIPT;
  private static final byte[] SCRIPT = load();
  private static final String INTEGRITY = "sha384-" + Base64.getEncoder().encodeToString(sha384(SCRIPT));

  private static byte[] load() {
    try (InputStream in = BrowserSealing.class.getResourceAsStream(SCRIPT_PATH)) {
      if (in == null) {
        throw new IllegalStateException("the browser bundle " + SCRIPT_PATH + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bundle's bytes, served as they are. */
  public static byte[] script() {
    return SCRIPT.clone();
  }

  /** {@code sha384-<base64>} of {@link #script()}, for the {@code integrity} attribute. */
  public static String integrity() {
    return INTEGRITY;
  }
}

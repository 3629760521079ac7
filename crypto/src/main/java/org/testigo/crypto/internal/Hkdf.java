package org.testigo.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) over the JDK's HMAC-SHA256. */
public final class Hkdf {
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * HKDF-Extract then HKDF-Expand. An empty {@code salt} means 32 zero bytes (RFC 5869 §2.2).
   *
   * @throws IllegalArgumentException if {@code length} is not in 1..8160
   */
  public static byte[] deriveSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF-SHA256 output is 1..8160 bytes");
    }
    byte[] prk = hmacSha256(salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
    try {
      Mac mac = mac(prk);
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int i = 1; done < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        Arrays.fill(t, (byte) 0);
        t = mac.doFinal();
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, out, done, n);
        done += n;
      }
      Arrays.fill(t, (byte) 0);
      return out;
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /** HMAC-SHA256(key, message parts concatenated). */
  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    Mac mac = mac(key);
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is required by the Java platform", e);
    }
  }
}

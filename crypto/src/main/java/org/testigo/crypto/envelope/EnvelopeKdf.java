package org.testigo.crypto.envelope;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key schedule of envelope v1: HKDF-SHA256 (RFC 5869) with the JDK's HmacSHA256, the labels
 * of SECURITY-envelope.md, and the header MAC.
 */
final class EnvelopeKdf {
  static final String LABEL = "testigo-envelope-v1";
  private static final byte[] MAC_INFO =
      (LABEL + " header-mac").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYLOAD_INFO_PREFIX =
      (LABEL + " payload").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HPKE_INFO_PREFIX = LABEL.getBytes(StandardCharsets.US_ASCII);
  static final int KEY_LENGTH = 32;
  private static final int HASH_LENGTH = 32;

  private EnvelopeKdf() {}

  /** HPKE info of every stanza: {@code "testigo-envelope-v1" || 0x00 || context}. */
  static byte[] hpkeInfo(String context) {
    return labelled(HPKE_INFO_PREFIX, context);
  }

  /** {@code HKDF-SHA256(ikm=fileKey, salt=empty, info="testigo-envelope-v1 header-mac")}. */
  static byte[] macKey(FileKey fileKey) {
    return hkdf(new byte[0], fileKey.exposeSecret(), MAC_INFO, KEY_LENGTH);
  }

  /**
   * {@code HKDF-SHA256(ikm=fileKey, salt=payloadSalt,
   * info="testigo-envelope-v1 payload" || 0x00 || context)}.
   */
  static byte[] payloadKey(FileKey fileKey, byte[] payloadSalt, String context) {
    return hkdf(payloadSalt, fileKey.exposeSecret(), labelled(PAYLOAD_INFO_PREFIX, context),
        KEY_LENGTH);
  }

  /** {@code HMAC-SHA256(macKey, headerBytes)}. */
  static byte[] headerMac(byte[] macKey, byte[] headerBytes, int off, int len) {
    Mac mac = hmac(macKey);
    mac.update(headerBytes, off, len);
    return mac.doFinal();
  }

  static boolean macEquals(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  /** RFC 5869 HKDF-SHA256. An empty salt is HashLen zero bytes, as RFC 5869 says. */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("bad HKDF output length");
    }
    byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt).doFinal(ikm);
    try {
      Mac mac = hmac(prk);
      byte[] okm = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int i = 1; done < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        Arrays.fill(t, (byte) 0);
        t = mac.doFinal();
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, okm, done, n);
        done += n;
      }
      Arrays.fill(t, (byte) 0);
      return okm;
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  private static byte[] labelled(byte[] prefix, String context) {
    byte[] ctx = context.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + 1 + ctx.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(ctx, 0, out, prefix.length + 1, ctx.length);
    return out;
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}

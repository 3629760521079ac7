package org.testigo.crypto.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.testigo.crypto.internal.Hkdf;

/**
 * Key schedule of envelope v1: HKDF-SHA256 (RFC 5869, {@link Hkdf}), the labels of
 * docs/spec/envelope.md, and the header MAC.
 */
final class EnvelopeKdf {
  static final String LABEL = "testigo-envelope-v1";
  private static final byte[] MAC_INFO =
      (LABEL + " header-mac").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYLOAD_INFO_PREFIX =
      (LABEL + " payload").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HPKE_INFO_PREFIX = LABEL.getBytes(StandardCharsets.US_ASCII);
  static final int KEY_LENGTH = 32;

  private EnvelopeKdf() {}

  /** HPKE info of every stanza: {@code "testigo-envelope-v1" || 0x00 || context}. */
  static byte[] hpkeInfo(String context) {
    return labelled(HPKE_INFO_PREFIX, context);
  }

  /** {@code HKDF-SHA256(ikm=fileKey, salt=empty, info="testigo-envelope-v1 header-mac")}. */
  static byte[] macKey(FileKey fileKey) {
    return Hkdf.deriveSha256(fileKey.exposeSecret(), new byte[0], MAC_INFO, KEY_LENGTH);
  }

  /**
   * {@code HKDF-SHA256(ikm=fileKey, salt=payloadSalt,
   * info="testigo-envelope-v1 payload" || 0x00 || context)}.
   */
  static byte[] payloadKey(FileKey fileKey, byte[] payloadSalt, String context) {
    return Hkdf.deriveSha256(fileKey.exposeSecret(), payloadSalt,
        labelled(PAYLOAD_INFO_PREFIX, context), KEY_LENGTH);
  }

  /** {@code HMAC-SHA256(macKey, headerBytes)}. */
  static byte[] headerMac(byte[] macKey, byte[] headerBytes, int off, int len) {
    return Hkdf.hmacSha256(macKey, off == 0 && len == headerBytes.length
        ? headerBytes : Arrays.copyOfRange(headerBytes, off, off + len));
  }

  static boolean macEquals(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] labelled(byte[] prefix, String context) {
    byte[] ctx = context.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + 1 + ctx.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(ctx, 0, out, prefix.length + 1, ctx.length);
    return out;
  }
}

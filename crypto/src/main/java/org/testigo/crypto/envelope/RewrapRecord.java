package org.testigo.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The object a {@code rewrap} (5) leaf of the transparency log stands for, format v1
 * (docs/spec/reviewer-api-and-batches.md §5). The leaf's object hash is SHA-256 of {@link #encoded()}:
 *
 * <pre>
 * ASCII("testigo-rewrap-v1") || 0x00
 *   || envelope_sha256         32  SHA-256 of the envelope as first stored (its submission leaf's object hash)
 *   || previous_header_sha256  32  SHA-256 of the header this one replaces (the original or the previous rewrap's)
 *   || new_header_sha256       32  SHA-256 of the new header, exactly as stored and served
 * </pre>
 *
 * It binds the new header to one logged envelope and to the header it replaced, so the
 * rewraps of an envelope form a chain from its submission leaf. It says nothing about
 * whether the new header opens: see {@link Envelope#isRewrapOf}.
 */
public record RewrapRecord(byte[] envelopeSha256, byte[] previousHeaderSha256, byte[] newHeaderSha256) {
  public static final int VERSION = 1;
  static final byte[] PREFIX = "testigo-rewrap-v1\0".getBytes(StandardCharsets.US_ASCII);
  /** Length of {@link #encoded()}: 18 + 3 * 32. */
  public static final int LENGTH = PREFIX.length + 3 * 32;

  public RewrapRecord {
    envelopeSha256 = check(envelopeSha256);
    previousHeaderSha256 = check(previousHeaderSha256);
    newHeaderSha256 = check(newHeaderSha256);
  }

  /** The record of {@code newHeader} replacing the header with SHA-256 {@code previousHeaderSha256}. */
  public static RewrapRecord of(byte[] envelopeSha256, byte[] previousHeaderSha256, byte[] newHeader) {
    return new RewrapRecord(envelopeSha256, previousHeaderSha256, sha256(newHeader));
  }

  private static byte[] check(byte[] h) {
    if (h == null || h.length != 32) {
      throw new IllegalArgumentException("a rewrap record holds three 32-byte SHA-256 hashes");
    }
    return h.clone();
  }

  @Override
  public byte[] envelopeSha256() {
    return envelopeSha256.clone();
  }

  @Override
  public byte[] previousHeaderSha256() {
    return previousHeaderSha256.clone();
  }

  @Override
  public byte[] newHeaderSha256() {
    return newHeaderSha256.clone();
  }

  public byte[] encoded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(LENGTH);
    out.writeBytes(PREFIX);
    out.writeBytes(envelopeSha256);
    out.writeBytes(previousHeaderSha256);
    out.writeBytes(newHeaderSha256);
    return out.toByteArray();
  }

  /** SHA-256 of {@link #encoded()}: the object hash of the rewrap leaf. */
  public byte[] hash() {
    return sha256(encoded());
  }

  /** SHA-256, as used for every hash in this record. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RewrapRecord r && Arrays.equals(encoded(), r.encoded());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded());
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "RewrapRecord[envelope=" + hex.formatHex(envelopeSha256) + ", previous="
        + hex.formatHex(previousHeaderSha256) + ", new=" + hex.formatHex(newHeaderSha256) + "]";
  }
}

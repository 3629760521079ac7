package org.testigo.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 fingerprint of a public key (or a set of public keys), computed as
 * {@code SHA-256(domain || 0x00 || part_1 || ... || part_n)}.
 *
 * <p>{@link #hex()} is the full hash for machines; {@link #shortForm()} is a
 * human-comparable form for reading aloud: the first 100 bits of the hash, taken as five
 * 20-bit big-endian slices, each written as five decimal digits (value mod 100000).
 */
public final class Fingerprint {
  public static final int LENGTH = 32;
  private final byte[] hash;

  private Fingerprint(byte[] hash) {
    this.hash = hash;
  }

  /** Computes the fingerprint of {@code parts} under a domain-separation label. */
  public static Fingerprint of(String domain, byte[]... parts) {
    MessageDigest sha256 = sha256();
    sha256.update(domain.getBytes(StandardCharsets.US_ASCII));
    sha256.update((byte) 0);
    for (byte[] part : parts) {
      sha256.update(part);
    }
    return new Fingerprint(sha256.digest());
  }

  /** Wraps an existing 32-byte hash, e.g. one read from an envelope header. */
  public static Fingerprint fromBytes(byte[] hash) {
    if (hash.length != LENGTH) {
      throw new IllegalArgumentException("a fingerprint is 32 bytes");
    }
    return new Fingerprint(hash.clone());
  }

  /** Parses the 64-character lowercase or uppercase hex form. */
  public static Fingerprint fromHex(String hex) {
    String h = hex.strip();
    if (h.length() != LENGTH * 2) {
      throw new IllegalArgumentException("a fingerprint is 64 hex characters");
    }
    return new Fingerprint(HexFormat.of().parseHex(h.toLowerCase(java.util.Locale.ROOT)));
  }

  public byte[] toBytes() {
    return hash.clone();
  }

  /** The full hash, 64 lowercase hex characters. */
  public String hex() {
    return HexFormat.of().formatHex(hash);
  }

  /** Five groups of five digits, e.g. {@code 04213 99120 55871 00342 71234}. */
  public String shortForm() {
    StringBuilder sb = new StringBuilder();
    long bits = 0;
    int available = 0;
    int index = 0;
    for (int group = 0; group < 5; group++) {
      while (available < 20) {
        bits = (bits << 8) | (hash[index++] & 0xff);
        available += 8;
      }
      int value = (int) ((bits >>> (available - 20)) & 0xFFFFF);
      available -= 20;
      if (group > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%05d", value % 100000));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f && MessageDigest.isEqual(hash, f.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return hex();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

package org.testigo.crypto.event;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identifier of a case: the 16-byte public id of the report (submission envelope) the
 * case is about. Immutable; compares bytes; {@link #hex()} is 32 lowercase hex characters.
 */
public final class CaseId implements Comparable<CaseId> {
  public static final int LENGTH = 16;
  private final byte[] bytes;

  private CaseId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @throws IllegalArgumentException if not exactly 16 bytes */
  public static CaseId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("a case id is 16 bytes");
    }
    return new CaseId(bytes.clone());
  }

  /** @throws IllegalArgumentException unless 32 hex characters */
  public static CaseId fromHex(String hex) {
    String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
    if (h.length() != LENGTH * 2) {
      throw new IllegalArgumentException("a case id is 32 hex characters");
    }
    return new CaseId(HexFormat.of().parseHex(h));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(CaseId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaseId c && MessageDigest.isEqual(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}

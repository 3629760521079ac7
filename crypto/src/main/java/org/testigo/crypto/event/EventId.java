package org.testigo.crypto.event;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identifier of a case event: SHA-256 of its signed body (see {@link SignedCaseEvent}),
 * 32 bytes. Immutable; orders by unsigned bytes (the tie-breaker of case replay);
 * {@link #hex()} is 64 lowercase hex characters.
 */
public final class EventId implements Comparable<EventId> {
  public static final int LENGTH = 32;
  private final byte[] bytes;

  private EventId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @throws IllegalArgumentException if not exactly 32 bytes */
  public static EventId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("an event id is 32 bytes");
    }
    return new EventId(bytes.clone());
  }

  /** @throws IllegalArgumentException unless 64 hex characters */
  public static EventId fromHex(String hex) {
    String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
    if (h.length() != LENGTH * 2) {
      throw new IllegalArgumentException("an event id is 64 hex characters");
    }
    return new EventId(HexFormat.of().parseHex(h));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(EventId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventId c && MessageDigest.isEqual(bytes, c.bytes);
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

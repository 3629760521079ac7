package org.testigo.server.domain;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The public id of a stored envelope: 128 random bits, written as 32 lowercase hex
 * characters. It says nothing about the source or the time of arrival.
 */
public final class EnvelopeId {
  public static final int LENGTH = 16;
  private final byte[] bytes;

  private EnvelopeId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static EnvelopeId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new EnvelopeId(b);
  }

  public static EnvelopeId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("an envelope id is 16 bytes");
    }
    return new EnvelopeId(bytes.clone());
  }

  /** Parses the 32-character hex form; throws IllegalArgumentException otherwise. */
  public static EnvelopeId parse(String hex) {
    if (hex == null || hex.length() != LENGTH * 2 || !hex.matches("[0-9a-fA-F]+")) {
      throw new IllegalArgumentException("an envelope id is 32 hex characters");
    }
    return new EnvelopeId(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeId other && MessageDigest.isEqual(bytes, other.bytes);
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

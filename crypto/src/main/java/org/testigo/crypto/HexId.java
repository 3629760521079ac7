package org.testigo.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one implementation of a fixed-length binary identifier written as lowercase hex: a
 * case id, an event id, an envelope id. Immutable; compares bytes in constant time; orders
 * by unsigned bytes; {@link #hex()} (and {@link #toString()}) is {@code 2 * length} lowercase
 * hex characters. Subclasses are final and add only their length, their factories and their
 * documentation.
 */
public abstract class HexId<T extends HexId<T>> implements Comparable<T> {
  private final byte[] bytes;

  /** Takes {@code bytes} as they are (the factories below copy and check them). */
  protected HexId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A copy of {@code bytes} made into an id.
   *
   * @throws IllegalArgumentException with {@code message} if not exactly {@code length} bytes
   */
  protected static <T> T fromBytes(byte[] bytes, int length, String message, Function<byte[], T> make) {
    if (bytes == null || bytes.length != length) {
      throw new IllegalArgumentException(message);
    }
    return make.apply(bytes.clone());
  }

  /**
   * The id written as {@code 2 * length} hex characters, in either case, surrounding white
   * space ignored.
   *
   * @throws IllegalArgumentException with {@code message} if the length is wrong (a wrong
   *     character is refused by {@link HexFormat#parseHex})
   */
  protected static <T> T fromHex(String hex, int length, String message, Function<byte[], T> make) {
    String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
    if (h.length() != length * 2) {
      throw new IllegalArgumentException(message);
    }
    return make.apply(HexFormat.of().parseHex(h));
  }

  public final byte[] toBytes() {
    return bytes.clone();
  }

  public final String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public final int compareTo(T o) {
    return Arrays.compareUnsigned(bytes, ((HexId<?>) o).bytes);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && MessageDigest.isEqual(bytes, ((HexId<?>) o).bytes);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}

package org.testigo.crypto;

import java.util.Arrays;

/**
 * A request body of two byte strings: {@code u16 n (big-endian) || first (n bytes) || second
 * (to the end)}. The reviewer API's case-event posts (SignedCaseEvent, then its sealed
 * content) and challenge answers (PossessionChallenge, then ChallengeAnswer) use it
 * (docs/spec/reviewer-api-and-batches.md; docs/spec/merkle-log-and-proofs.md §5.1). Each part is parsed and checked by its own format.
 */
public final class LengthPrefixed {
  /** The largest first part: what a u16 can say. */
  public static final int MAX_FIRST = 0xffff;

  /** The two parts of a body. */
  public record Parts(byte[] first, byte[] second) {}

  private LengthPrefixed() {}

  /**
   * The body of {@code first} and {@code second}.
   *
   * @throws IllegalArgumentException if {@code first} is longer than {@link #MAX_FIRST}
   */
  public static byte[] join(byte[] first, byte[] second) {
    if (first.length > MAX_FIRST) {
      throw new IllegalArgumentException("the first part is longer than a u16 length can say");
    }
    byte[] out = new byte[2 + first.length + second.length];
    out[0] = (byte) (first.length >>> 8);
    out[1] = (byte) first.length;
    System.arraycopy(first, 0, out, 2, first.length);
    System.arraycopy(second, 0, out, 2 + first.length, second.length);
    return out;
  }

  /**
   * Splits a body into its two parts (either may be empty).
   *
   * @throws CryptoException if it is shorter than its length prefix or than the length it states
   */
  public static Parts split(byte[] all) throws CryptoException {
    if (all.length < 2) {
      throw new CryptoException();
    }
    int n = ((all[0] & 0xff) << 8) | (all[1] & 0xff);
    if (n > all.length - 2) {
      throw new CryptoException();
    }
    return new Parts(Arrays.copyOfRange(all, 2, 2 + n), Arrays.copyOfRange(all, 2 + n, all.length));
  }
}

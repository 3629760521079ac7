package org.testigo.crypto.envelope;

/**
 * Padmé length padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
 * Communication with PURBs", PETS 2019), as fixed for envelope v1.
 *
 * <p>For {@code n >= 2}: {@code E = floor(log2 n)}, {@code S = floor(log2 E) + 1},
 * {@code lastBits = E - S}, {@code mask = 2^lastBits - 1}, {@code padme(n) = (n + mask) & ~mask}.
 * {@code padme(1) = 1}. A length {@code P} is a valid padded length iff {@code P >= 1} and
 * {@code padme(P) == P}. Defined for {@code 1 <= n <= MAX_LENGTH}.
 */
final class Padme {
  /** Largest input accepted; keeps {@code n + mask} inside a signed 64-bit integer. */
  static final long MAX_LENGTH = 1L << 62;

  private Padme() {}

  static long padme(long n) {
    if (n < 1 || n > MAX_LENGTH) {
      throw new IllegalArgumentException("length out of range");
    }
    if (n < 2) {
      return n;
    }
    int e = 63 - Long.numberOfLeadingZeros(n);
    int s = (31 - Integer.numberOfLeadingZeros(e)) + 1;
    int lastBits = e - s;
    long mask = (1L << lastBits) - 1;
    return (n + mask) & ~mask;
  }

  static boolean isPaddedLength(long p) {
    return p >= 1 && p <= MAX_LENGTH && padme(p) == p;
  }
}

package org.testigo.server.domain;

/**
 * Rounds a stored size up with the Padmé scheme (Nikitin et al., PETS 2019): at most 12%
 * overhead, and a length leaks O(log log L) bits. Stored sizes are always rounded so the
 * database reveals no more than the envelope's own padding.
 */
public final class SizeBuckets {
  private SizeBuckets() {}

  public static long padme(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length");
    }
    if (length < 2) {
      return length;
    }
    int e = 63 - Long.numberOfLeadingZeros(length);
    int s = 32 - Integer.numberOfLeadingZeros(e);
    int lastBits = e - s;
    long mask = (1L << lastBits) - 1;
    return (length + mask) & ~mask;
  }
}

package org.testigo.crypto.receipt;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/** A reproducible "SecureRandom" for statistical tests only. Never use outside tests. */
final class SeededRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final SplittableRandom random;

  SeededRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
  }
}

package org.testigo.crypto.internal;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;

/**
 * Argon2id version 1.3 (RFC 9106) through argon2-jvm's native libargon2, raw output only.
 * Parameter limits are the caller's job: this class hashes whatever it is given.
 */
public final class Argon2id {
  private Argon2id() {}

  /**
   * Argon2id(P = password, S = salt, p = parallelism, T = outputLength, m = memoryKiB,
   * t = iterations, v = 0x13, K = empty, X = empty). The library wipes its native copy of
   * the password; the caller zeroes {@code password}.
   */
  public static byte[] hash(byte[] password, byte[] salt, int memoryKiB, int iterations,
      int parallelism, int outputLength) {
    Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
    return argon2.rawHashAdvanced(iterations, memoryKiB, parallelism, password, salt,
        null, null, outputLength, Argon2Version.V13);
  }
}

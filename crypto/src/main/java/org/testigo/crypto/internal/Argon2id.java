package org.testigo.crypto.internal;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;

/**
 * Raw Argon2id (RFC 9106, version 0x13) through argon2-jvm and the native reference
 * library. Returns the tag bytes; no PHC string, no encoding. The only place Testigo
 * touches argon2-jvm.
 */
public final class Argon2id {
  private static final Argon2Advanced ARGON2 =
      Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);

  private Argon2id() {}

  /**
   * Computes an Argon2id tag with no secret and no associated data.
   *
   * @throws IllegalArgumentException if the parameters are outside what this code accepts
   *     (memory below 8 KiB per lane, zero iterations or lanes, salt under 8 bytes)
   */
  public static byte[] hash(byte[] password, byte[] salt, int memoryKiB, int iterations,
      int parallelism, int tagLength) {
    checkParameters(salt, memoryKiB, iterations, parallelism, tagLength);
    // argon2-jvm's pbkdf is Argon2 version 0x13 with no secret and no associated data.
    return ARGON2.pbkdf(iterations, memoryKiB, parallelism, password, salt, tagLength);
  }

  /**
   * Computes an Argon2id tag with a secret (K) and associated data (X), both non-empty
   * (argon2-jvm cannot pass an empty one to this entry point).
   */
  public static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
      int memoryKiB, int iterations, int parallelism, int tagLength) {
    checkParameters(salt, memoryKiB, iterations, parallelism, tagLength);
    if (secret.length == 0 || associatedData.length == 0) {
      throw new IllegalArgumentException("secret and associated data must be non-empty");
    }
    return ARGON2.rawHashAdvanced(iterations, memoryKiB, parallelism, password, salt, secret,
        associatedData, tagLength, Argon2Version.V13);
  }

  private static void checkParameters(byte[] salt, int memoryKiB, int iterations,
      int parallelism, int tagLength) {
    if (iterations < 1 || parallelism < 1 || memoryKiB < 8 * parallelism || salt.length < 8
        || tagLength < 4) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
  }
}

package org.testigo.crypto.identity;

/**
 * Argon2id cost parameters of a keystore, stored in the keystore so they can be raised
 * later. Construction enforces the limits that {@link Keystore} also enforces when reading
 * a file (checked before any hashing, as a defence against files that would make the
 * reader allocate or spin without bound).
 *
 * @param memoryKiB memory in KiB, {@value #MIN_MEMORY_KIB}..{@value #MAX_MEMORY_KIB}
 *     (4 GiB) and at least 8 × parallelism
 * @param iterations passes, 1..{@value #MAX_ITERATIONS}
 * @param parallelism lanes, 1..{@value #MAX_PARALLELISM}
 */
public record KeystoreParams(int memoryKiB, int iterations, int parallelism) {
  public static final int MIN_MEMORY_KIB = 8;
  public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
  public static final int MAX_ITERATIONS = 100;
  public static final int MAX_PARALLELISM = 16;

  /** 256 MiB, t = 3, p = 1: about 1 s per derivation on the development machine (SECURITY.md). */
  public static final KeystoreParams DEFAULT = new KeystoreParams(256 * 1024, 3, 1);

  /** For tests only: 64 KiB, t = 1. Offers no protection against guessing. */
  public static final KeystoreParams TEST = new KeystoreParams(64, 1, 1);

  public KeystoreParams {
    if (!withinLimits(memoryKiB, iterations, parallelism)) {
      throw new IllegalArgumentException("Argon2id parameters out of range");
    }
  }

  static boolean withinLimits(long memoryKiB, long iterations, long parallelism) {
    return parallelism >= 1 && parallelism <= MAX_PARALLELISM
        && iterations >= 1 && iterations <= MAX_ITERATIONS
        && memoryKiB >= MIN_MEMORY_KIB && memoryKiB <= MAX_MEMORY_KIB
        && memoryKiB >= 8 * parallelism;
  }
}

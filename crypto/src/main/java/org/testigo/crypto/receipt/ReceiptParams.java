package org.testigo.crypto.receipt;

/**
 * Argon2id cost for deriving keys from a receipt. Changing it changes every derived key,
 * so a deployment records which parameters each mailbox was created with.
 *
 * <p>{@link #DEFAULT} is 64 MiB, 3 passes, 1 lane: about 155 ms per derivation on the
 * reference 2-core server. The justification (77-bit entropy, server load) is in
 * SECURITY.md, "Receipts".
 */
public record ReceiptParams(int memoryKiB, int iterations, int parallelism) {
  /** Production parameters: m = 65536 KiB, t = 3, p = 1. */
  public static final ReceiptParams DEFAULT = new ReceiptParams(64 * 1024, 3, 1);
  /** Cheap parameters for tests only. */
  public static final ReceiptParams TEST = new ReceiptParams(256, 1, 1);

  public ReceiptParams {
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("parallelism must be 1..16");
    }
    if (iterations < 1 || iterations > 100) {
      throw new IllegalArgumentException("iterations must be 1..100");
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("memory must be 8*parallelism KiB .. 4 GiB");
    }
  }
}

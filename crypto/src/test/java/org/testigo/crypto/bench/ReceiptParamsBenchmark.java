package org.testigo.crypto.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;

/**
 * Measures receipt key derivation (not a test): time per derivation on one thread and
 * derivations per second with N threads. Run from the crypto module:
 * {@code mvn -o -q test-compile exec:java -Dexec.mainClass=org.testigo.crypto.receipt.ReceiptParamsBenchmark -Dexec.classpathScope=test}
 * or with {@code java -cp target/classes:target/test-classes:<deps>}.
 * Arguments: memoryKiB iterations parallelism threads rounds (defaults: DEFAULT params, 2, 20).
 */
public final class ReceiptParamsBenchmark {
  private ReceiptParamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    ReceiptParams p = args.length >= 3
        ? new ReceiptParams(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
            Integer.parseInt(args[2]))
        : ReceiptParams.DEFAULT;
    int threads = args.length >= 4 ? Integer.parseInt(args[3]) : 2;
    int rounds = args.length >= 5 ? Integer.parseInt(args[4]) : 20;
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    Receipt receipt = Receipt.generate(random);
    for (int i = 0; i < 3; i++) {
      ReceiptKeys.derive(receipt, p, salt).destroy();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      ReceiptKeys.derive(receipt, p, salt).destroy();
    }
    double single = (System.nanoTime() - t0) / 1e6 / rounds;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    long t1 = System.nanoTime();
    for (int i = 0; i < rounds * threads; i++) {
      futures.add(pool.submit(() -> ReceiptKeys.derive(receipt, p, salt).destroy()));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t1) / 1e9;
    pool.shutdown();
    System.out.printf("params m=%d KiB t=%d p=%d: %.1f ms per derivation (1 thread, %d rounds);"
        + " %.2f derivations/s with %d threads (%d derivations in %.2f s)%n",
        p.memoryKiB(), p.iterations(), p.parallelism(), single, rounds,
        rounds * threads / seconds, threads, rounds * threads, seconds);
  }
}

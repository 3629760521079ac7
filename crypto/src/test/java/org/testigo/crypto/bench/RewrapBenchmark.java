package org.testigo.crypto.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Cost of one rewrap on the reviewer's side (a main class that prints figures, not a test):
 * {@link Envelope#rewrapHeader} (one X-Wing open, the MAC check, one X-Wing seal per new
 * recipient) for 2, 5 and 10 new recipients, and the server's keyless
 * {@link Envelope#isRewrapOf}. Independent of the payload size (the payload is not read).
 * Median of {@code rounds} (argument 1, default 200) after a warm-up.
 *
 * <p>Run: {@code java -cp crypto/target/classes:crypto/target/test-classes:<deps>
 * org.testigo.crypto.bench.RewrapBenchmark 200}
 */
public final class RewrapBenchmark {
  private RewrapBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SecureRandom random = new SecureRandom();
    RecipientPrivateKey me = RecipientPrivateKey.generate(random);
    List<RecipientPublicKey> old = List.of(me.publicKey(), RecipientPrivateKey.generate(random).publicKey());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[1 << 20]), out, old, Envelope.CONTEXT_REPORT, random);
    byte[] envelope = out.toByteArray();
    int headerLength = (int) Envelope.inspectHeader(new ByteArrayInputStream(envelope)).headerLength();
    byte[] original = Arrays.copyOf(envelope, headerLength);
    System.out.printf("rewrap of a 1 MiB report (header %d bytes), median of %d rounds, %d cores, load %s%n",
        headerLength, rounds, Runtime.getRuntime().availableProcessors(), load());
    for (int n : new int[] {2, 5, 10}) {
      List<RecipientPublicKey> next = new ArrayList<>(List.of(me.publicKey()));
      while (next.size() < n) {
        next.add(RecipientPrivateKey.generate(random).publicKey());
      }
      byte[] header = null;
      long[] t = new long[rounds];
      for (int i = -rounds / 4; i < rounds; i++) {
        long s = System.nanoTime();
        header = Envelope.rewrapHeader(new ByteArrayInputStream(envelope), me, Envelope.CONTEXT_REPORT, next, random);
        if (i >= 0) {
          t[i] = System.nanoTime() - s;
        }
      }
      long[] c = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long s = System.nanoTime();
        if (!Envelope.isRewrapOf(original, header)) {
          throw new IllegalStateException("not a rewrap");
        }
        c[i] = System.nanoTime() - s;
      }
      System.out.printf("  %2d recipients: rewrapHeader %.0f us, isRewrapOf %.0f us, new header %d bytes%n", n,
          median(t) / 1e3, median(c) / 1e3, header.length);
    }
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}

package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seals and opens a 2 GiB payload in a JVM with a 64 MiB heap: both directions stream in
 * constant memory. Runs only in the surefire execution {@code smallheap} (crypto/pom.xml),
 * which forks a JVM with {@code -Xmx64m}.
 */
@Tag("smallheap")
class EnvelopeSmallHeapTest {
  private static final long SIZE = 2L << 30;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void sealThenOpen_streamsTwoGibibytesWithinA64MiBHeap() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx64m")
        .isLessThanOrEqualTo(80L << 20);
    GeneratedInput input = new GeneratedInput(SIZE);
    PipedInputStream pipeIn = new PipedInputStream(1 << 20);
    PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
    CompletableFuture<Void> sealer = CompletableFuture.runAsync(() -> {
      try (pipeOut) {
        Envelope.seal(input, pipeOut, List.of(ALICE.publicKey(), BOB.publicKey()), CONTEXT,
            RANDOM);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    DigestingSink output = new DigestingSink();
    long start = System.nanoTime();
    Envelope.open(pipeIn, output, BOB, CONTEXT);
    sealer.get(1, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("smallheap: 2 GiB sealed and opened through a pipe in %.1f s, heap %d MiB%n",
        seconds, Runtime.getRuntime().maxMemory() >> 20);
    assertThat(output.count).isEqualTo(SIZE);
    assertThat(output.digest.digest()).isEqualTo(input.digest.digest());
  }

  /** {@code size} pseudo-random bytes, generated on the fly and hashed as they are read. */
  private static final class GeneratedInput extends InputStream {
    private final SplittableRandom random = new SplittableRandom(2024);
    private final MessageDigest digest = sha256();
    private long remaining;

    GeneratedInput(long size) {
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i += 8) {
        long v = random.nextLong();
        for (int j = 0; j < 8 && i + j < n; j++) {
          b[off + i + j] = (byte) (v >>> (8 * j));
        }
      }
      digest.update(b, off, n);
      remaining -= n;
      return n;
    }
  }

  private static final class DigestingSink extends OutputStream {
    private final MessageDigest digest = sha256();
    private long count;

    @Override
    public void write(int b) {
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
      count += len;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

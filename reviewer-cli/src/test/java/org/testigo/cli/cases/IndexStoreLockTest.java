package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report index's lock works across processes: while another process writes the index
 * (exclusive lock), a command that reads it waits, so a write's clean-up cannot remove a shard
 * under a reader (docs/spec/reviewer-api-and-batches.md §8.3).
 */
class IndexStoreLockTest {
  @TempDir Path dir;

  /** Child process: takes the exclusive lock, says so, holds it for the given milliseconds. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (IndexStore.Lock lock = IndexStore.lock(Path.of(args[0]), false)) {
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]));
      }
    }
  }

  @Test
  void aReaderWaitsForAnotherProcessThatWrites() throws Exception {
    Path head = dir.resolve("index/default/0123456789abcdef0123456789abcdef.tgidx");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Holder.class.getName(), head.toString(), "3000")
        .redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(r.readLine()).isEqualTo("locked");
      long t0 = System.nanoTime();
      try (IndexStore.Lock shared = IndexStore.lock(head, true)) {
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(waitedMs).as("the shared lock waited for the writer").isGreaterThan(500);
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}

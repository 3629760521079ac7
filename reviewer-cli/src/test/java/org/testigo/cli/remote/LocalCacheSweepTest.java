package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync killed while writing leaves {@code .tmp-*.part} files in the cache; the next sync
 * removes those older than the threshold, and nothing else: not a fresh one (another command's,
 * being written now), not a symbolic link or a directory of that name, not a cached envelope.
 */
class LocalCacheSweepTest {
  @TempDir Path home;

  @Test
  void sweepStaleTemps_deletesOnlyOldRegularTemporaryFiles() throws Exception {
    LocalCache cache = LocalCache.open(home, "default");
    Path submissions = cache.directory().resolve("submissions");
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    Path stale = Files.write(submissions.resolve(".tmp-123.part"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(stale, old);
    Path staleEvents = Files.write(cache.directory().resolve("events").resolve(".tmp-9.part"), new byte[0]);
    Files.setLastModifiedTime(staleEvents, old);
    Path future = Files.write(submissions.resolve(".tmp-42.part"), new byte[] {7});
    Files.setLastModifiedTime(future, FileTime.from(Instant.now().plus(Duration.ofDays(3650))));
    Path fresh = Files.write(submissions.resolve(".tmp-456.part"), new byte[] {4});
    Path envelope = Files.write(submissions.resolve("0123.tgenv"), new byte[] {5});
    Files.setLastModifiedTime(envelope, old);
    Path outside = Files.write(home.resolve("outside.part"), new byte[] {6});
    Files.setLastModifiedTime(outside, old);
    Path link = Files.createSymbolicLink(submissions.resolve(".tmp-789.part"), outside);
    Path dir = Files.createDirectory(submissions.resolve(".tmp-0.part"));
    Files.setLastModifiedTime(dir, old);

    assertThat(cache.sweepStaleTemps(Duration.ofMinutes(10))).isEqualTo(3);
    assertThat(stale).doesNotExist();
    assertThat(future).as("dated ten years ahead by a wrong clock").doesNotExist();
    assertThat(staleEvents).doesNotExist();
    assertThat(fresh).exists();
    assertThat(envelope).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(outside).exists();
    assertThat(dir).isDirectory();
    assertThat(cache.sweepStaleTemps(Duration.ofMinutes(10))).isZero();
  }
}

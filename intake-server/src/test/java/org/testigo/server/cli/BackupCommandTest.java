package org.testigo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.server.IntakeApplication;
import org.testigo.server.backup.BackupFailure;
import org.testigo.server.config.IntakeConfiguration;

/**
 * The {@code backup} command through Dropwizard's command line, as the ops scripts run it:
 * seal and open with the period of the clock, shred naming each period destroyed, and every
 * refusal as one line on standard error with its documented exit code.
 */
class BackupCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

  @TempDir Path tmp;

  private record Result(Optional<Throwable> failure, String out, String err) {
    int exitCode() {
      return failure.map(t -> t instanceof BackupFailure f ? f.exitCode() : 1).orElse(0);
    }
  }

  private Result run(String... args) throws Exception {
    Bootstrap<IntakeConfiguration> bootstrap = new Bootstrap<>(new IntakeApplication());
    bootstrap.addCommand(new BackupCommand(Clock.fixed(NOW, ZoneOffset.UTC)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream systemOut = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    Optional<Throwable> failure;
    try {
      failure = new Cli(new JarLocation(getClass()), bootstrap, out, err).run(args);
    } finally {
      System.setOut(systemOut);
    }
    return new Result(failure, printed.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void sealOpenAndShred_throughTheCommandLine() throws Exception {
    Path keys = tmp.resolve("keys");
    Path archive = Files.writeString(tmp.resolve("a.tar.gz"), "archive FILA-CONOCIDA");
    Result old = run("backup", "seal", "--key-dir", keys.toString(), "--period", "2026-01",
        "--in", archive.toString(), "--out", tmp.resolve("old.tgbackup").toString());
    assertThat(old.exitCode()).as(old.err()).isZero();
    assertThat(old.out()).contains("to the backup key of period 2026-01");
    Result cur = run("backup", "seal", "--key-dir", keys.toString(), "--in", archive.toString(),
        "--out", tmp.resolve("cur.tgbackup").toString());
    assertThat(cur.exitCode()).as(cur.err()).isZero();
    assertThat(cur.out()).contains("period 2026-12");

    Result shred = run("backup", "shred", "--key-dir", keys.toString(), "--keep-months", "3");
    assertThat(shred.exitCode()).as(shred.err()).isZero();
    assertThat(shred.out()).contains("shredded the backup key of period 2026-01");
    Result again = run("backup", "shred", "--key-dir", keys.toString(), "--keep-months", "3");
    assertThat(again.out()).contains("no backup key was due for destruction");

    Result opened = run("backup", "open", "--key-dir", keys.toString(), "--in", tmp.resolve("cur.tgbackup").toString(),
        "--out", tmp.resolve("cur.tar.gz").toString());
    assertThat(opened.exitCode()).as(opened.err()).isZero();
    assertThat(Files.readString(tmp.resolve("cur.tar.gz"))).isEqualTo("archive FILA-CONOCIDA");

    Result refused = run("backup", "open", "--key-dir", keys.toString(), "--in", tmp.resolve("old.tgbackup").toString(),
        "--out", tmp.resolve("old.tar.gz").toString());
    assertThat(refused.exitCode()).isEqualTo(BackupFailure.SHREDDED).isEqualTo(3);
    assertThat(refused.err().strip()).startsWith("backup: the key for period 2026-01 was destroyed on schedule"
        + " (crypto-shredded").endsWith("this backup cannot be read").doesNotContain("\n").doesNotContain("at org.");
    assertThat(tmp.resolve("old.tar.gz")).doesNotExist();
  }

  @Test
  void refusals_areOneLineWithTheirExitCodes() throws Exception {
    Path keys = tmp.resolve("keys");
    Result noKeep = run("backup", "shred", "--key-dir", keys.toString());
    assertThat(noKeep.exitCode()).isEqualTo(1);
    assertThat(noKeep.err()).contains("backup: shred needs --keep-months N");
    Result badPeriod = run("backup", "key", "--key-dir", keys.toString(), "--period", "2026-13");
    assertThat(badPeriod.exitCode()).isEqualTo(1);
    assertThat(badPeriod.err()).contains("YYYY-MM");
    Path garbage = Files.writeString(tmp.resolve("g"), "garbage");
    Result damaged = run("backup", "open", "--key-dir", keys.toString(), "--in", garbage.toString(),
        "--out", tmp.resolve("g.out").toString());
    assertThat(damaged.exitCode()).isEqualTo(BackupFailure.DAMAGED).isEqualTo(5);
    assertThat(damaged.err()).contains("is not a sealed Testigo backup").doesNotContain("Exception");
    Result noOut = run("backup", "seal", "--key-dir", keys.toString(), "--in", garbage.toString());
    assertThat(noOut.err()).contains("seal needs --out FILE");

    Path other = tmp.resolve("other-keys");
    assertThat(run("backup", "seal", "--key-dir", other.toString(), "--in", garbage.toString(),
        "--out", tmp.resolve("x.tgbackup").toString()).exitCode()).isZero();
    Result noKey = run("backup", "open", "--key-dir", keys.toString(), "--in", tmp.resolve("x.tgbackup").toString(),
        "--out", tmp.resolve("x.out").toString());
    assertThat(noKey.exitCode()).isEqualTo(BackupFailure.NO_KEY).isEqualTo(4);
    assertThat(noKey.err()).contains("no backup key in");

    Result noRoot = run("backup", "shred", "--key-dir", keys.toString(), "--manifest", garbage.toString());
    assertThat(noRoot.err()).contains("--manifest needs --root-fingerprint FILE");
    Result badChain = run("backup", "shred", "--key-dir", keys.toString(), "--manifest", garbage.toString(),
        "--root-fingerprint", Files.writeString(tmp.resolve("root"), "00".repeat(32)).toString());
    assertThat(badChain.exitCode()).isEqualTo(1);
    assertThat(badChain.err()).contains("does not verify from the pinned root fingerprint")
        .contains("no backup key was destroyed");

    Result key = run("backup", "key", "--key-dir", keys.toString());
    assertThat(key.out()).matches("(?s)backup key of period 2026-12: fingerprint [0-9a-f]{64} .*");
  }
}

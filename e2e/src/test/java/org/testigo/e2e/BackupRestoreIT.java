package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's backup test with the real jars and the real ops scripts, on this machine's
 * MariaDB (127.0.0.1:3306, root, empty password; its own databases, dropped afterwards):
 * a report submitted through the no-JavaScript form is backed up with
 * {@code ops/backup/testigo-backup.sh} (sealed to the month's backup key; an earlier backup of
 * an expired period has its key destroyed by that run and is then refused by
 * {@code testigo-restore.sh} with exit 3, creating no database), restored with
 * {@code testigo-restore.sh} into a NEW database (same envelope rows and hashes), and a server started on the restored database (with the restored manifest
 * chain) exports it; {@code testigo-reviewer open} with the reviewer's keystore reads the
 * marker. The source's receipt still opens its mailbox on the restored server.
 */
class BackupRestoreIT {
  private static final Path OPS = RealJars.REPO.resolve("ops");

  @TempDir Path work;
  private final List<String> databases = new ArrayList<>();

  @AfterEach
  void dropDatabases() throws Exception {
    for (String db : databases) {
      sql("DROP DATABASE IF EXISTS `" + db + "`");
    }
  }

  @Test
  void reportBackedUpAndRestoredIntoNewDatabase_opensWithReviewerCliFromTheRestoredCopy()
      throws Exception {
    String db = "testigo_br_" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12).toLowerCase(Locale.ROOT);
    String restoredDb = db + "_r";
    databases.add(db);
    databases.add(restoredDb);
    sql("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    Path emptyPassword = Files.createFile(work.resolve("db-root-password"));

    String marker = "MARCADOR-RESPALDO-" + UUID.randomUUID();
    Path original = Files.createDirectories(work.resolve("original"));
    String receiptWords;
    Path dataDir;
    try (RealJars.Server server = RealJars.startServer(original, "256m",
        mariadb(db, emptyPassword))) {
      dataDir = server.dataDir;
      Multipart form = new Multipart().field("version", "1").field("lang", "es")
          .field("what", "extortion").field("who", "inm").field("state", "OAX")
          .field("place_kind", "train")
          .field("narrative", "Nos quitaron los papeles en el retén. " + marker)
          .field("wants", "reply")
          .file("files", "acta.jpg", "application/octet-stream",
              ("foto del acta " + marker).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(server.url("/report?lang=es")))
          .header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      Matcher r = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(page.body());
      assertThat(r.find()).as(page.body()).isTrue();
      receiptWords = r.group(1).strip();
    }

    // Backup: --etc is where the manifest chain and root fingerprint live (the demo
    // server keeps them in its data directory). A first backup is made as if in January 2025;
    // the second, made now, destroys that period's key (--keep-months 1) and says so.
    Path backups = work.resolve("backups");
    Path keys = work.resolve("backup-keys");
    String oldRun = run(OPS, "bash", OPS.resolve("backup/testigo-backup.sh").toString(),
        "--out", backups.resolve("old").toString(), "--etc", dataDir.toString(), "--db-name", db,
        "--db-user", "root", "--db-password-file", emptyPassword.toString(),
        "--db-host", "127.0.0.1", "--jar", RealJars.SERVER_JAR.toString(),
        "--key-dir", keys.toString(), "--keep-months", "1", "--period", "2025-01");
    String oldArchive = lastLine(oldRun);
    String nowRun = run(OPS, "bash", OPS.resolve("backup/testigo-backup.sh").toString(),
        "--out", backups.resolve("now").toString(), "--etc", dataDir.toString(), "--db-name", db,
        "--db-user", "root", "--db-password-file", emptyPassword.toString(),
        "--db-host", "127.0.0.1", "--jar", RealJars.SERVER_JAR.toString(),
        "--key-dir", keys.toString(), "--keep-months", "1");
    assertThat(nowRun).contains("shredded the backup key of period 2025-01");
    String archive = lastLine(nowRun);
    assertThat(Path.of(archive)).exists();
    assertThat(Path.of(archive + ".sha256")).exists();
    assertThat(archive).endsWith(".tgbackup");
    assertThat(RealJars.filesContaining(backups, marker)).as("plaintext in the backup").isEmpty();
    assertThat(RealJars.filesContaining(backups, "MARCADOR")).isEmpty();
    assertThat(RealJars.filesContaining(backups, "INSERT INTO")).as("the dump in the clear").isEmpty();

    // The backup of the shredded period is refused cleanly: exit 3, the message, no database.
    String shreddedDb = db + "_s";
    databases.add(shreddedDb);
    Result refused = runForExit(OPS, "bash", OPS.resolve("backup/testigo-restore.sh").toString(),
        oldArchive, "--db-name", shreddedDb, "--db-user", "root", "--db-host", "127.0.0.1",
        "--jar", RealJars.SERVER_JAR.toString(), "--key-dir", keys.toString());
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
    assertThat(refused.output()).contains("the key for period 2025-01 was destroyed on schedule"
        + " (crypto-shredded").contains("this backup cannot be read");
    assertThat(sqlOut("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='"
        + shreddedDb + "'").strip()).isEqualTo("0");
    long envelopeRows = Long.parseLong(sqlOut("SELECT COUNT(*) FROM `" + db + "`.envelopes").strip());
    String envelopeHash = sqlOut("SELECT SHA2(GROUP_CONCAT(HEX(sha256) ORDER BY sha256), 256) FROM `"
        + db + "`.envelopes").strip();

    // Restore into a NEW database, manifest chain into the new server's data directory.
    Path restoredWork = Files.createDirectories(work.resolve("restored"));
    Path restoredData = restoredWork.resolve("data");
    String restoreOut = run(OPS, "bash", OPS.resolve("backup/testigo-restore.sh").toString(),
        archive, "--db-name", restoredDb, "--db-user", "root", "--db-host", "127.0.0.1",
        "--jar", RealJars.SERVER_JAR.toString(), "--key-dir", keys.toString(),
        "--manifest-to", restoredData.toString());
    assertThat(restoreOut).contains("into database " + restoredDb);
    assertThat(Long.parseLong(sqlOut("SELECT COUNT(*) FROM `" + restoredDb + "`.envelopes").strip()))
        .isEqualTo(envelopeRows).isPositive();
    assertThat(sqlOut("SELECT SHA2(GROUP_CONCAT(HEX(sha256) ORDER BY sha256), 256) FROM `" + restoredDb
        + "`.envelopes").strip()).isEqualTo(envelopeHash);
    assertThat(restoredData.resolve("manifest-chain.txt")).hasSameTextualContentAs(
        dataDir.resolve("manifest-chain.txt"));
    // The deployment secret is not in the archive by design (backed up offline, by hand:
    // runbooks/first-install.md); the operator puts it back.
    Files.copy(dataDir.resolve("deployment-secret"), restoredData.resolve("deployment-secret"),
        StandardCopyOption.COPY_ATTRIBUTES);
    // So is the transparency-log signing key (the manifest names its public half).
    Files.copy(dataDir.resolve("log-key"), restoredData.resolve("log-key"),
        StandardCopyOption.COPY_ATTRIBUTES);
    // The original database goes away, so the restored server can only use the copy.
    sql("DROP DATABASE `" + db + "`");

    List<String> props = new ArrayList<>(List.of(mariadb(restoredDb, emptyPassword)));
    props.add("dw.keys.demoBootstrap=false");
    try (RealJars.Server restored = RealJars.startServer(restoredWork, "256m",
        props.toArray(String[]::new))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> export = http.send(HttpRequest.newBuilder(
              URI.create(restored.adminUrl("/tasks/export-envelope?latest=true")))
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
      Matcher m = Pattern.compile("(/\\S+\\.tgenv)").matcher(export.body());
      assertThat(m.find()).as(export.body()).isTrue();
      Path envelope = Path.of(m.group(1));
      assertThat(envelope).startsWith(restoredData);
      // The sealed backup holds none of the stored row's bytes, raw or as the dump's hex.
      byte[] row = Files.readAllBytes(envelope);
      String sealed = new String(Files.readAllBytes(Path.of(archive)), StandardCharsets.ISO_8859_1);
      for (int off = 0; off + 48 <= row.length; off += Math.max(1, row.length / 20)) {
        assertThat(sealed).doesNotContain(new String(row, off, 48, StandardCharsets.ISO_8859_1))
            .doesNotContain(java.util.HexFormat.of().withUpperCase().formatHex(row, off, off + 48));
      }

      Path opened = work.resolve("restored-report.payload");
      RealJars.Run run = RealJars.reviewer(work, "open",
          "--keystore", dataDir.resolve("demo/reviewer.keystore").toString(),
          "--passphrase-file", dataDir.resolve("demo/reviewer.passphrase").toString(),
          envelope.toString(), opened.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(new String(Files.readAllBytes(opened), StandardCharsets.UTF_8))
          .contains("Nos quitaron los papeles en el retén. " + marker)
          .contains("foto del acta " + marker);

      // The source's receipt still finds its mailbox on the restored server.
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(
              URI.create(restored.url("/status?lang=es")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("receipt="
              + URLEncoder.encode(receiptWords, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
              URI.create(restored.url("/status?lang=es")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("receipt="
              + URLEncoder.encode(otherReceipt(receiptWords), StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).as("a receipt the server never issued").isNotEqualTo(200);
    }
  }

  /** The same words with the first two swapped: well formed, but not this mailbox's. */
  private static String otherReceipt(String words) {
    String[] w = words.split("\\s+");
    String t = w[0];
    w[0] = w[1];
    w[1] = t;
    return String.join(" ", w);
  }

  private static String[] mariadb(String db, Path passwordFile) {
    return new String[] {"dw.database.type=MARIADB",
        "dw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db,
        "dw.database.user=root", "dw.database.passwordFile=" + passwordFile};
  }

  private static void sql(String statement) throws IOException, InterruptedException {
    sqlOut(statement);
  }

  private static String sqlOut(String statement) throws IOException, InterruptedException {
    return run(RealJars.REPO, "mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root",
        "--protocol=TCP", "-N", "-B", "-e", statement);
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private record Result(int exitCode, String output) {}

  /** Runs a command (2 minutes at most) that may fail; returns its exit code and output. */
  private static Result runForExit(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", cmd));
    }
    return new Result(p.exitValue(), out);
  }

  /** Runs a command (2 minutes at most); returns stdout; fails with its output otherwise. */
  private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile("br-out-", ".log");
    Path err = Files.createTempFile("br-err-", ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue()
            + ":\n" + stdout + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}

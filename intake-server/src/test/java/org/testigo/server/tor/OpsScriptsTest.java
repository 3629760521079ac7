package org.testigo.server.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops/ scripts: shellcheck, install.sh --prefix against this machine's MariaDB
 * (127.0.0.1:3306, root without password) with uniquely named database and accounts that
 * are dropped afterwards, the accounts' privileges, and backup then restore.
 */
class OpsScriptsTest {
  private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
  private static final String ROOT_URL = "jdbc:mariadb://127.0.0.1:3306/";

  @TempDir Path tmp;
  private String db;
  private String users;
  private final List<String> databases = new ArrayList<>();

  @BeforeEach
  void names() {
    String id = Long.toHexString(System.nanoTime() ^ ThreadLocalRandom.current().nextLong())
        .replace("-", "");
    db = "tgt_" + id;
    users = "tgu_" + id;
    databases.add(db);
  }

  @AfterEach
  void dropEverything() throws SQLException {
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
         Statement s = c.createStatement()) {
      for (String d : databases) {
        s.execute("DROP DATABASE IF EXISTS `" + d + "`");
      }
      for (String role : List.of("app", "migrate", "backup", "eraser", "admin")) {
        for (String host : List.of("localhost", "127.0.0.1")) {
          s.execute("DROP USER IF EXISTS '" + users + "_" + role + "'@'" + host + "'");
        }
      }
    }
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
    }
    return out;
  }

  private Path install() throws Exception {
    Path prefix = tmp.resolve("root");
    run(OPS, "bash", OPS.resolve("install/install.sh").toString(), "--prefix", prefix.toString(),
        "--db-host", "127.0.0.1", "--db-name", db, "--db-user-prefix", users);
    return prefix;
  }

  private Connection as(Path prefix, String role) throws Exception {
    String file = role.equals("app") ? "db-password" : "db-" + role + "-password";
    String pw = Files.readString(prefix.resolve("etc/testigo/" + file)).strip();
    return DriverManager.getConnection(ROOT_URL + db, users + "_" + role, pw);
  }

  @Test
  void theShippedTorrc_isValidForTor_andExportsCircuitIdsForTheSourceService() throws Exception {
    String torrc = Files.readString(OPS.resolve("tor/torrc"));
    assertThat(torrc).contains("HiddenServiceExportCircuitID haproxy", "HiddenServicePort 80 127.0.0.1:8080",
        "HiddenServiceMaxStreamsCloseCircuit 1", "HiddenServicePoWDefensesEnabled 1");
    String local = torrc.replace("/var/lib/tor/testigo-source", tmp.resolve("hs").toString())
        .replace("/run/tor/control.authcookie", tmp.resolve("cookie").toString())
        .replace("Log notice syslog", "Log notice stdout")
        + "\nDataDirectory " + tmp.resolve("data") + "\n";
    Path file = Files.writeString(tmp.resolve("torrc"), local);
    assertThat(run(tmp, "tor", "--verify-config", "-f", file.toString())).contains("Configuration was valid");
  }

  @Test
  void shellcheck_findsNothingInAnyOpsScript() throws Exception {
    assertThat(run(OPS, "bash", OPS.resolve("check-shellcheck.sh").toString()))
        .contains("scripts clean");
  }

  @Test
  void install_withPrefix_isIdempotent_andWritesOnlyUnderThePrefix() throws Exception {
    Path prefix = install();
    String password = Files.readString(prefix.resolve("etc/testigo/db-password"));
    String second = run(OPS, "bash", OPS.resolve("install/install.sh").toString(), "--prefix",
        prefix.toString(), "--db-host", "127.0.0.1", "--db-name", db, "--db-user-prefix", users);
    assertThat(second).doesNotContain("wrote ").doesNotContain("generated ");
    assertThat(Files.readString(prefix.resolve("etc/testigo/db-password"))).isEqualTo(password);
    assertThat(password.strip()).matches("[A-Za-z0-9]{32}");
    assertThat(Files.getPosixFilePermissions(prefix.resolve("etc/testigo/db-admin-password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(prefix.resolve("var/lib/testigo/onion-keys")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(prefix.resolve("etc/systemd/system/testigo-intake.service")).exists();
    assertThat(prefix.resolve("etc/tor/torrc")).exists();
    assertThat(prefix.resolve("etc/systemd/journald.conf.d/50-testigo.conf")).exists();
    assertThat(Files.readAllBytes(prefix.resolve("etc/testigo/deployment-secret"))).hasSize(32);
  }

  @Test
  void accounts_appCannotDeleteOrDrop_migrateCannotDelete_onlyAdminCan() throws Exception {
    Path prefix = install();
    try (Connection m = as(prefix, "migrate"); Statement s = m.createStatement()) {
      s.execute("CREATE TABLE envelopes (id BIGINT PRIMARY KEY, body VARBINARY(64))");
      assertThatThrownBy(() -> s.execute("DELETE FROM envelopes")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.execute("DROP TABLE envelopes")).isInstanceOf(SQLException.class);
    }
    try (Connection a = as(prefix, "app"); Statement s = a.createStatement()) {
      s.execute("INSERT INTO envelopes VALUES (1, x'00ff'), (2, x'0102')");
      s.execute("UPDATE envelopes SET body = x'01' WHERE id = 2");
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM envelopes")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(2);
      }
      assertThatThrownBy(() -> s.execute("DELETE FROM envelopes WHERE id = 1"))
          .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("DROP TABLE envelopes")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.execute("CREATE TABLE x (i INT)")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.execute("TRUNCATE TABLE envelopes")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM mysql.user")).isInstanceOf(SQLException.class);
    }
    try (Connection b = as(prefix, "backup"); Statement s = b.createStatement()) {
      assertThatThrownBy(() -> s.execute("INSERT INTO envelopes VALUES (3, x'03')"))
          .isInstanceOf(SQLException.class);
    }
    try (Connection ad = as(prefix, "admin"); Statement s = ad.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM envelopes WHERE id = 1")).isEqualTo(1);
    }
  }

  /**
   * The backup tool as the scripts run it ({@code --tool}): this test JVM's classpath, the
   * intake server's main class, so the drill runs before the jar is packaged.
   */
  private Path backupTool() throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path tool = tmp.resolve("testigo-intake-server");
    Files.writeString(tool, "#!/bin/sh\nexec java -Xmx128m -cp '" + cp.replace("'", "") + "' "
        + "org.testigo.server.IntakeApplication \"$@\"\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    return tool;
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  /** Exit code and output of a command expected to fail. */
  private static int exitOf(Path dir, StringBuilder output, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  /** The eraser's rights exactly (docs/spec/retention-and-erasure.md §3.3), as root reads them. */
  static final java.util.Set<String> ERASER_TABLE_RIGHTS = java.util.Set.of("envelopes DELETE",
      "envelope_chunks DELETE", "envelope_rewraps DELETE", "mailboxes DELETE", "mailbox_envelopes DELETE",
      "reviewer_feed DELETE", "erasures INSERT", "log_pending INSERT");
  static final java.util.Set<String> ERASER_COLUMN_RIGHTS = java.util.Set.of("case_events.content UPDATE",
      "log_leaves.envelope_id UPDATE", "log_pending.envelope_id UPDATE", "reviewer_feed_lock.generation UPDATE",
      "reviewer_feed_lock.next_seq UPDATE");

  @Test
  void accounts_onTheMigratedSchema_appDeletesNothing_eraserDeletesOnlyWhatAnErasureEmpties() throws Exception {
    Path prefix = install();
    String migratePw = Files.readString(prefix.resolve("etc/testigo/db-migrate-password")).strip();
    org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource(ROOT_URL + db);
    ds.setUser(users + "_migrate");
    ds.setPassword(migratePw);
    assertThat(org.testigo.server.storage.Migrations.migrate(ds)).isGreaterThan(10);
    assertThat(Files.readString(prefix.resolve("etc/testigo/db-eraser-password")).strip()).matches("[A-Za-z0-9]{32}");
    // before the schema existed the eraser could only read; install again (as the runbook says) grants the rest
    String again = run(OPS, "bash", OPS.resolve("install/install.sh").toString(), "--prefix", prefix.toString(),
        "--db-host", "127.0.0.1", "--db-name", db, "--db-user-prefix", users);
    assertThat(again).doesNotContain("generated ");
    List<String> tables = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", ""); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + db + "' AND table_type = 'BASE TABLE'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String host : List.of("localhost", "127.0.0.1")) {
        String grantee = "'" + users + "_eraser'@'" + host + "'";
        java.util.Set<String> tableRights = new java.util.HashSet<>();
        try (ResultSet r = s.executeQuery("SELECT table_name, privilege_type FROM information_schema.table_privileges"
            + " WHERE grantee = \"" + grantee + "\" AND table_schema = '" + db + "'")) {
          while (r.next()) {
            tableRights.add(r.getString(1) + " " + r.getString(2));
          }
        }
        assertThat(tableRights).as(grantee).isEqualTo(ERASER_TABLE_RIGHTS);
        java.util.Set<String> columnRights = new java.util.HashSet<>();
        try (ResultSet r = s.executeQuery("SELECT table_name, column_name, privilege_type FROM"
            + " information_schema.column_privileges WHERE grantee = \"" + grantee + "\" AND table_schema = '" + db + "'")) {
          while (r.next()) {
            columnRights.add(r.getString(1) + "." + r.getString(2) + " " + r.getString(3));
          }
        }
        assertThat(columnRights).as(grantee).isEqualTo(ERASER_COLUMN_RIGHTS);
      }
    }
    assertThat(tables).contains("erasures", "envelopes", "case_events", "log_leaves").hasSizeGreaterThan(12);
    java.util.Set<String> deletable = java.util.Set.of("envelopes", "envelope_chunks", "envelope_rewraps", "mailboxes",
        "mailbox_envelopes", "reviewer_feed");
    try (Connection app = as(prefix, "app"); Statement s = app.createStatement()) {
      for (String t : tables) {
        if (!t.startsWith("flyway")) {
          assertThatThrownBy(() -> s.execute("DELETE FROM `" + t + "` WHERE 1 = 0")).as("app DELETE " + t)
              .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
      }
    }
    try (Connection eraser = as(prefix, "eraser"); Statement s = eraser.createStatement()) {
      for (String t : tables) {
        s.executeQuery("SELECT COUNT(*) FROM `" + t + "`").close();
        if (deletable.contains(t)) {
          assertThat(s.executeUpdate("DELETE FROM `" + t + "` WHERE 1 = 0")).as("eraser DELETE " + t).isZero();
        } else {
          assertThatThrownBy(() -> s.execute("DELETE FROM `" + t + "` WHERE 1 = 0")).as("eraser DELETE " + t)
              .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
      }
      assertThat(s.executeUpdate("UPDATE case_events SET content = content WHERE 1 = 0")).isZero();
      assertThatThrownBy(() -> s.execute("UPDATE case_events SET event_bytes = event_bytes WHERE 1 = 0"))
          .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("UPDATE log_leaves SET leaf = leaf WHERE 1 = 0"))
          .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("UPDATE envelopes SET state = state WHERE 1 = 0"))
          .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("INSERT INTO envelopes (id) SELECT id FROM envelopes WHERE 1 = 0"))
          .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("DROP TABLE erasures")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.execute("TRUNCATE TABLE envelopes")).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void backupThenRestore_sealedToThePeriodKey_restoresTheCurrentBackup_refusesAShreddedOne_andRejectsTampering()
      throws Exception {
    Path prefix = install();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(prefix.resolve("etc/testigo/backup-keys"))))
        .isEqualTo("rwx------");
    Files.writeString(prefix.resolve("etc/testigo/manifest-chain.txt"), "manifest chain v1\n");
    String marker = "FILA-CONOCIDA-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    try (Connection m = as(prefix, "migrate"); Statement s = m.createStatement()) {
      s.execute("CREATE TABLE envelopes (id BIGINT PRIMARY KEY, body LONGBLOB)");
      s.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, t VARCHAR(200))");
    }
    byte[] blob = new byte[200_000];
    ThreadLocalRandom.current().nextBytes(blob);
    try (Connection a = as(prefix, "app");
         var ps = a.prepareStatement("INSERT INTO envelopes VALUES (?, ?)");
         Statement s = a.createStatement()) {
      for (int i = 0; i < 5; i++) {
        ps.setLong(1, i);
        ps.setBytes(2, blob);
        ps.executeUpdate();
      }
      s.execute("INSERT INTO notes VALUES (1, '" + marker + "')");
    }
    Path tool = backupTool();
    Path keys = prefix.resolve("etc/testigo/backup-keys");
    Path out = tmp.resolve("backups");
    String backup = OPS.resolve("backup/testigo-backup.sh").toString();
    String restore = OPS.resolve("backup/testigo-restore.sh").toString();

    // A backup made in an old period, then one made now: the second run destroys the old key.
    String oldRun = run(OPS, "bash", backup, "--out", out.resolve("old").toString(),
        "--etc", prefix.resolve("etc/testigo").toString(), "--tool", tool.toString(), "--keep-months", "2",
        "--period", "2025-01", "--db-name", db, "--db-user", users + "_backup", "--db-host", "127.0.0.1");
    Path oldBackup = Path.of(lastLine(oldRun));
    assertThat(oldBackup.getFileName().toString()).matches("testigo-backup-.*\\.tgbackup");
    assertThat(keys.resolve("2025-01.key")).exists();
    String nowRun = run(OPS, "bash", backup, "--out", out.resolve("now").toString(),
        "--etc", prefix.resolve("etc/testigo").toString(), "--tool", tool.toString(), "--keep-months", "2",
        "--db-name", db, "--db-user", users + "_backup", "--db-host", "127.0.0.1");
    assertThat(nowRun).contains("testigo-backup: shredded the backup key of period 2025-01");
    Path current = Path.of(lastLine(nowRun));
    assertThat(current).exists();
    assertThat(Path.of(current + ".sha256")).exists();
    assertThat(keys.resolve("2025-01.key")).doesNotExist();
    assertThat(keys.resolve("2025-01.shredded")).exists();

    // The sealed file holds none of the plaintext: not the known row, not the dump's hex of a
    // stored blob, not any stretch of the packed archive it seals.
    Path opened = tmp.resolve("opened.tar.gz");
    run(OPS, tool.toString(), "backup", "open", "--key-dir", keys.toString(), "--in", current.toString(),
        "--out", opened.toString());
    Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
    run(tmp, "tar", "-C", unpacked.toString(), "-xzf", opened.toString());
    Path dump;
    try (var found = Files.find(unpacked, 3, (f, attr) -> f.getFileName().toString().equals("database.sql"))) {
      dump = found.findFirst().orElseThrow();
    }
    String blobHex = java.util.HexFormat.of().withUpperCase().formatHex(blob, 0, 64);
    assertThat(Files.readString(dump)).contains(marker).contains(blobHex);
    byte[] sealedBytes = Files.readAllBytes(current);
    String sealedText = new String(sealedBytes, StandardCharsets.ISO_8859_1);
    assertThat(sealedText).startsWith("TSTG").doesNotContain(marker).doesNotContain(blobHex)
        .doesNotContain("INSERT INTO");
    assertThat(sealedText).doesNotContain(new String(blob, 0, 64, StandardCharsets.ISO_8859_1));
    byte[] packed = Files.readAllBytes(opened);
    for (int off = 0; off + 64 <= packed.length; off += Math.max(1, packed.length / 50)) {
      assertThat(sealedText).doesNotContain(new String(packed, off, 64, StandardCharsets.ISO_8859_1));
    }

    // The current backup restores to the same state.
    String restored = db + "_r";
    databases.add(restored);
    Path manifests = tmp.resolve("restored-etc");
    run(OPS, "bash", restore, current.toString(), "--db-name", restored, "--db-host", "127.0.0.1",
        "--key-dir", keys.toString(), "--tool", tool.toString(), "--manifest-to", manifests.toString());
    assertThat(Files.readString(manifests.resolve("manifest-chain.txt"))).isEqualTo("manifest chain v1\n");
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
         Statement s = c.createStatement()) {
      assertThat(checksum(s, restored)).isEqualTo(checksum(s, db));
      assertThat(count(s, restored, "envelopes")).isEqualTo(5);
      assertThat(count(s, restored, "notes")).isEqualTo(1);
    }
    assertThatThrownBy(() -> run(OPS, "bash", restore, current.toString(), "--db-name", restored,
        "--db-host", "127.0.0.1", "--key-dir", keys.toString(), "--tool", tool.toString()))
        .hasMessageContaining("already exists");

    // The old period's backup is refused cleanly, with its exit code, and no database appears.
    String shreddedTarget = db + "_s";
    databases.add(shreddedTarget);
    StringBuilder refusal = new StringBuilder();
    int code = exitOf(OPS, refusal, "bash", restore, oldBackup.toString(), "--db-name", shreddedTarget,
        "--db-host", "127.0.0.1", "--key-dir", keys.toString(), "--tool", tool.toString());
    assertThat(code).as(refusal.toString()).isEqualTo(3);
    assertThat(refusal.toString()).contains("testigo-restore: the key for period 2025-01 was destroyed on schedule"
        + " (crypto-shredded").contains("); this backup cannot be read").contains("no database was created")
        .doesNotContain("Exception");
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
             + shreddedTarget + "'")) {
      r.next();
      assertThat(r.getInt(1)).isZero();
    }

    // Tampering: the checksum file catches it; with a matching checksum, the envelope does.
    byte[] bytes = sealedBytes.clone();
    bytes[bytes.length / 2] ^= 1;
    Files.write(current, bytes);
    databases.add(db + "_t");
    assertThatThrownBy(() -> run(OPS, "bash", restore, current.toString(), "--db-name", db + "_t",
        "--db-host", "127.0.0.1", "--key-dir", keys.toString(), "--tool", tool.toString()))
        .hasMessageContaining("checksum mismatch");
    run(tmp, "sh", "-c", "cd '" + current.getParent() + "' && sha256sum '" + current.getFileName() + "' > '"
        + current.getFileName() + ".sha256'");
    StringBuilder damaged = new StringBuilder();
    assertThat(exitOf(OPS, damaged, "bash", restore, current.toString(), "--db-name", db + "_t",
        "--db-host", "127.0.0.1", "--key-dir", keys.toString(), "--tool", tool.toString()))
        .as(damaged.toString()).isEqualTo(5);
    assertThat(damaged.toString()).contains("altered, truncated or damaged");
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
             + db + "_t'")) {
      r.next();
      assertThat(r.getInt(1)).isZero();
    }
  }

  @Test
  void backupTool_sealsAndOpensAnArchiveMuchLargerThanItsHeap() throws Exception {
    // 160 MiB through a 48 MiB heap each way: only streaming fits.
    Path tool = backupTool();
    String toolHeap = Files.readString(tool).replace("-Xmx128m", "-Xmx48m");
    Files.writeString(tool, toolHeap);
    Path keys = tmp.resolve("keys");
    Path sealed = tmp.resolve("big.tgbackup");
    Path opened = tmp.resolve("big.out");
    long size = 160L * 1024 * 1024;
    String out = run(tmp, "sh", "-c", "head -c " + size + " /dev/zero | '" + tool + "' backup seal --key-dir '"
        + keys + "' --out '" + sealed + "'");
    assertThat(out).contains("sealed " + sealed);
    assertThat(Files.size(sealed)).isGreaterThan(size);
    run(tmp, tool.toString(), "backup", "open", "--key-dir", keys.toString(), "--in", sealed.toString(),
        "--out", opened.toString());
    assertThat(Files.size(opened)).isEqualTo(size);
    assertThat(run(tmp, "sh", "-c", "tr -d '\\000' < '" + opened + "' | wc -c").strip()).isEqualTo("0");
    Files.delete(sealed);
    Files.delete(opened);
  }

  private static long count(Statement s, String database, String table) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM `" + database + "`." + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String checksum(Statement s, String database) throws SQLException {
    try (ResultSet r = s.executeQuery("CHECKSUM TABLE `" + database + "`.envelopes EXTENDED")) {
      r.next();
      return r.getString(2);
    }
  }
}

package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's end-to-end check of retention and erasure with the real jars on real MariaDB:
 * <ol>
 *   <li>the organisation is made with the reviewer jar (ana and beto, a 2-of-2 custody), and a
 *       second ceremony sets the retention policy (closed 30 days, 60 with an open referral,
 *       spam 7, early erasure 2 signatures): a manifest v3;</li>
 *   <li>a source without JavaScript files three reports; both reviewers sync; ana closes the
 *       first; the statistics from the cache are recorded;</li>
 *   <li>the second is erased early: ana signs alone (nothing is deleted), a tampered copy of her
 *       decision is refused with nothing deleted, beto co-signs and it is erased;</li>
 *   <li>the server and the tool then run 35 days later (libfaketime), when the policy makes the
 *       closed case due: ana's {@code erase --due} erases it;</li>
 *   <li>no table holds a byte slice of either erased envelope or its id (except the signed case
 *       events and the erasure rows), neither reviewer's cache holds them after sync, the
 *       receipt opens nothing, the third report is intact, {@code stats --from-cache} prints
 *       what it printed before, and {@code audit verify} passes and counts both erasures.</li>
 * </ol>
 * No timing assertions.
 */
class ErasureIT {
  private static final String[] CUSTODIANS = {"custodia-uno", "custodia-dos"};
  private static final String ROOT_URL = "jdbc:mariadb://127.0.0.1:3306/";

  @TempDir Path work;
  private final List<String> databases = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    RealJars.clockOffset = null;
    for (String db : databases) {
      try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS `" + db + "`");
      }
    }
  }

  private record Reviewer(String alias, Path keystore, Path passphrase, Path home) {
    String[] auth() {
      return new String[] {"--home", home.toString(), "-k", keystore.toString(),
          "--passphrase-file", passphrase.toString()};
    }
  }

  private record Filed(String marker, String receipt) {}

  @Test
  void earlyErasureNeedsTwoSignatures_dueErasureFollowsThePolicy_nothingIsLeft_statsAndAuditHold()
      throws Exception {
    String db = "testigo_er_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
    databases.add(db);
    try (Connection c = DriverManager.getConnection(ROOT_URL, "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
    Path emptyPassword = Files.createFile(work.resolve("db-root-password"));
    Reviewer ana = reviewer("ana");
    Reviewer beto = reviewer("beto");

    Path serverWork = Files.createDirectories(work.resolve("server"));
    Path data = Files.createDirectories(serverWork.resolve("data"));
    Path logPub = work.resolve("log.pub");
    RealJars.Run made = RealJars.serverCommand(serverWork, "-Ddw.dataDirectory=" + data,
        "log-key", "create", "--public-out", logPub.toString());
    assertThat(made.exitCode()).as(made.output()).isZero();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Files.createFile(data.resolve("deployment-secret"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(data.resolve("deployment-secret"), secret);

    // Genesis lists ana and beto; a second ceremony sets the retention policy (manifest v3).
    Path ceremony = work.resolve("ceremony");
    List<String> init = new ArrayList<>(List.of("custody", "init", "--organisation", "Casa del Migrante (prueba)"));
    for (String c : CUSTODIANS) {
      init.addAll(List.of("--custodian", c + "=" + passFile(c)));
    }
    init.addAll(List.of("-m", "2", "--log-key", logPub.toString(), "--reviewer", bundle(ana).toString(),
        "--reviewer", bundle(beto).toString(), "--out", ceremony.toString(), "--argon2-memory-mib", "8",
        "--argon2-iterations", "1"));
    String genesis = ok(work, init.toArray(String[]::new));
    String root = genesis.lines().filter(l -> l.startsWith("Full root fingerprint: ")).findFirst()
        .orElseThrow().substring("Full root fingerprint: ".length()).strip();
    Path chain1 = work.resolve("chain-1.txt");
    List<String> retention = new ArrayList<>(List.of("manifest", "set-retention", "--closed-days", "30",
        "--referral-days", "60", "--spam-days", "7", "--early-signatures", "2",
        "--chain", ceremony.resolve("chain.txt").toString(), "-o", chain1.toString()));
    for (String c : CUSTODIANS) {
      retention.addAll(List.of("--share", ceremony.resolve(c + ".tshare").toString(),
          "--share-passphrase-file", passFile(c).toString()));
    }
    assertThat(ok(work, retention.toArray(String[]::new))).contains("Retention policy set");
    Files.copy(chain1, data.resolve("manifest-chain.txt"));
    Files.writeString(data.resolve("root-fingerprint"), root + "\n");

    String[] serverProps = {"dw.keys.demoBootstrap=false", "dw.database.type=MARIADB",
        "dw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db, "dw.database.user=root",
        "dw.database.passwordFile=" + emptyPassword, "dw.log.treeHeadIntervalSeconds=2"};
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Filed> filed = new LinkedHashMap<>();
    String closedId;
    String earlyId;
    String keptId;
    String statsBefore;
    Map<String, byte[]> slices = new LinkedHashMap<>();
    int[] ports;
    try (RealJars.Server server = RealJars.startServer(serverWork, "256m", serverProps)) {
      ports = new int[] {server.port, server.reviewerPort, server.adminPort};
      for (String what : List.of("extortion", "robbery", "assault")) {
        String marker = "MARCADOR-BORRADO-" + what + "-" + UUID.randomUUID();
        filed.put(marker, new Filed(marker, submit(http, server, what, marker)));
      }
      for (Reviewer rv : List.of(ana, beto)) {
        ok(work, "server", "add", server.reviewerUrl(), "--root", root, "--home", rv.home().toString());
        assertThat(ok(work, args("sync", rv))).contains("3 new submission(s)");
      }
      Map<String, String> idByMarker = idsByMarker(ana);
      List<String> markers = new ArrayList<>(filed.keySet());
      closedId = idByMarker.get(markers.get(0));
      earlyId = idByMarker.get(markers.get(1));
      keptId = idByMarker.get(markers.get(2));
      for (String id : List.of(closedId, earlyId)) {
        byte[] env = Files.readAllBytes(cached(ana, id));
        slices.put(id, java.util.Arrays.copyOfRange(env, env.length / 2, env.length / 2 + 48));
      }
      assertThat(ok(work, args("close", ana, closedId.substring(0, 12), "unsubstantiated")))
          .contains("status now closed");
      ok(work, args("sync", beto));
      statsBefore = stats(ana, "before");
      assertThat(statsBefore).contains(",");

      // Not due yet: refused, nothing recorded.
      RealJars.Run notDue = RealJars.reviewer(work, args("erase", ana, closedId.substring(0, 12), "--reason",
          "retention-due"));
      assertThat(notDue.exitCode()).as(notDue.output()).isNotZero();
      assertThat(notDue.output()).contains("not due").contains("--early");
      assertThat(count(db, "erasures")).isZero();

      // Early erasure: ana alone is not enough; nothing is deleted.
      Path decisions = Files.createDirectories(work.resolve("decisions"));
      String first = ok(work, args("erase", ana, earlyId.substring(0, 12), "--reason", "duplicate", "--early",
          "--out", decisions.toString()));
      assertThat(first).contains("needs 2 reviewers' signatures and has 1").contains("erase --cosign");
      assertThat(count(db, "erasures")).isZero();
      assertThat(envelopeRows(db, earlyId)).isEqualTo(1);
      Path file;
      try (Stream<Path> files = Files.list(decisions)) {
        file = files.filter(p -> p.getFileName().toString().startsWith("erasure-")).findFirst().orElseThrow();
      }
      // A tampered decision (one signed byte changed) is refused by the co-signer's tool.
      String armored = Files.readString(file);
      String[] lines = armored.split("\n");
      char[] body = lines[1].toCharArray();
      body[20] = body[20] == 'A' ? 'B' : 'A';
      lines[1] = new String(body);
      Path tampered = decisions.resolve("tampered.txt");
      Files.writeString(tampered, String.join("\n", lines) + "\n");
      RealJars.Run forged = RealJars.reviewer(work, args("erase", beto, "--cosign", tampered.toString(),
          "--out", decisions.toString()));
      assertThat(forged.exitCode()).as(forged.output()).isNotZero();
      assertThat(count(db, "erasures")).isZero();
      assertThat(envelopeRows(db, earlyId)).isEqualTo(1);
      // beto co-signs the real one: erased.
      String cosigned = ok(work, args("erase", beto, "--cosign", file.toString(), "--out", decisions.toString()));
      assertThat(cosigned).contains("Erased case " + earlyId).contains("Folders written earlier");
      assertThat(count(db, "erasures")).isEqualTo(1);
      assertThat(envelopeRows(db, earlyId)).isZero();
    }

    // 35 days later the closed case is due (closed 30 days); the server and tools run then.
    // Same ports: the reviewers' tools know the server by its URL (a property given last wins).
    RealJars.clockOffset = "+35d";
    List<String> later = new ArrayList<>(List.of(serverProps));
    later.addAll(List.of("dw.server.applicationConnectors[0].port=" + ports[0],
        "dw.server.applicationConnectors[1].port=" + ports[1], "dw.server.adminConnectors[0].port=" + ports[2]));
    try (RealJars.Server server = RealJars.startServer(serverWork, "256m", later.toArray(String[]::new))) {
      String dry = ok(work, args("erase", ana, "--due", "--dry-run"));
      assertThat(dry).contains("would erase " + closedId).contains("1 case(s) would be erased");
      assertThat(count(db, "erasures")).isEqualTo(1);
      String due = ok(work, args("erase", ana, "--due"));
      assertThat(due).contains("Erased case " + closedId).contains("Erased 1 case(s)");
      assertThat(count(db, "erasures")).isEqualTo(2);
      assertThat(ok(work, args("sync", beto))).contains("erased case " + closedId.substring(0, 12));
      ok(work, args("sync", ana));

      // Nothing of either erased report is left on the server, in the caches or to the receipt.
      for (String id : List.of(closedId, earlyId)) {
        assertThat(tablesHolding(db, slices.get(id))).as("envelope bytes of " + id).isEmpty();
        assertThat(tablesHolding(db, HexFormat.of().parseHex(id))).as("id " + id)
            .isSubsetOf("case_events", "erasures");
        for (Reviewer rv : List.of(ana, beto)) {
          assertThat(RealJars.filesContaining(rv.home(), id)).as(rv.alias() + " files naming " + id).isEmpty();
          assertThat(filesHolding(rv.home(), slices.get(id))).as(rv.alias() + " cache").isEmpty();
        }
      }
      for (String marker : List.of(new ArrayList<>(filed.keySet()).get(0), new ArrayList<>(filed.keySet()).get(1))) {
        HttpResponse<String> status = status(http, server, filed.get(marker).receipt());
        assertThat(status.body()).doesNotContain(marker);
      }
      // A backup made now (the dump testigo-backup seals) holds none of it either.
      String dump = dump(db);
      assertThat(dump).contains("INSERT INTO `erasures`");
      for (String id : List.of(closedId, earlyId)) {
        assertThat(dump.toLowerCase(Locale.ROOT)).doesNotContain(HexFormat.of().formatHex(slices.get(id)));
      }
      assertThat(dump).doesNotContain(new ArrayList<>(filed.keySet()).get(0));
      String list = ok(work, args("list", ana));
      assertThat(list).contains(keptId.substring(0, 12)).doesNotContain(closedId.substring(0, 12))
          .doesNotContain(earlyId.substring(0, 12));
      assertThat(ok(work, args("show", beto, keptId.substring(0, 12))))
          .contains(new ArrayList<>(filed.keySet()).get(2));

      // The statistics still count the erased cases.
      assertThat(stats(ana, "after")).isEqualTo(statsBefore);

      // The auditor: the log holds, and both erasures are counted.
      JsonNode audit = auditUntilItHolds(server, root);
      JsonNode erasures = null;
      for (JsonNode c : audit.get("checks")) {
        if (c.get("name").asText().equals("erasures")) {
          erasures = c;
        }
      }
      assertThat(erasures).as(audit.toString()).isNotNull();
      assertThat(erasures.get("status").asText()).as(erasures.toString()).isEqualTo("pass");
      assertThat(erasures.get("detail").asText()).contains("2 erasure(s) verify");
    }
  }

  /** {@code stats --from-cache} as of the day the reports came (so 35 days later counts the same). */
  private String stats(Reviewer r, String name) throws Exception {
    Path out = work.resolve("stats-" + name);
    String printed = ok(work, args("stats", r, "--from-cache", "--out", out.toString(), "--min-cell", "2",
        "--from", "2000-01", "--as-of", asOf));
    assertThat(printed).contains(name.equals("before") ? "3 case(s) from the cache"
        : "1 case(s) from the cache, 2 erased case(s) from their statistical records");
    return Files.readString(out.resolve("testigo-stats.csv"));
  }

  private final String asOf = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

  private JsonNode auditUntilItHolds(RealJars.Server server, String root) throws Exception {
    Path state = Files.createDirectories(work.resolve("audit-state"));
    RealJars.Run last = null;
    for (int i = 0; i < 30; i++) {
      last = RealJars.reviewer(work, "audit", "verify", "--server", server.url("/"), "--root", root,
          "--state-dir", state.toString(), "--json");
      if (last.exitCode() == 0) {
        return new ObjectMapper().readTree(last.output().substring(last.output().indexOf('{')));
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("audit verify did not pass in 60 s:\n" + last.output());
  }

  private String submit(HttpClient http, RealJars.Server server, String what, String marker) throws Exception {
    Multipart form = new Multipart().field("version", "1").field("lang", "es")
        .field("what", what).field("who", "inm").field("state", "OAX")
        .field("place_kind", "train").field("narrative", "Relato para borrar. " + marker)
        .field("wants", "reply")
        .file("files", "acta.pdf", "application/pdf", ("%PDF-1.4 " + marker + "\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url("/report?lang=es")))
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher r = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(page.body());
    assertThat(r.find()).as(page.body()).isTrue();
    return r.group(1).strip();
  }

  private static HttpResponse<String> status(HttpClient http, RealJars.Server server, String receipt)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url("/status?lang=es")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Full report ids by the marker in their narrative, from ana's show. */
  private Map<String, String> idsByMarker(Reviewer r) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(r.home())) {
      for (Path p : files.filter(f -> f.toString().endsWith(".tgenv")).toList()) {
        String id = p.getFileName().toString().replace(".tgenv", "");
        String shown = ok(work, args("show", r, id.substring(0, 12)));
        Matcher m = Pattern.compile("MARCADOR-BORRADO-[a-z]+-[0-9a-f-]{36}").matcher(shown);
        assertThat(m.find()).as(shown).isTrue();
        out.put(m.group(), id);
      }
    }
    assertThat(out).hasSize(3);
    return out;
  }

  private static Path cached(Reviewer r, String id) throws IOException {
    try (Stream<Path> files = Files.walk(r.home())) {
      return files.filter(f -> f.getFileName().toString().equals(id + ".tgenv")).findFirst().orElseThrow();
    }
  }

  /** The database as ops/backup/testigo-backup.sh dumps it (binary columns as hex). */
  private String dump(String db) throws Exception {
    Path out = work.resolve("dump-" + db + ".sql");
    Process p = new ProcessBuilder("mariadb-dump", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--protocol=TCP",
        "--single-transaction", "--quick", "--skip-lock-tables", "--hex-blob", "--no-tablespaces",
        "--skip-dump-date", db).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    return Files.readString(out, StandardCharsets.ISO_8859_1);
  }

  private static long count(String db, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(ROOT_URL + db, "root", "");
        ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM `" + table + "`")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static long envelopeRows(String db, String id) throws Exception {
    try (Connection c = DriverManager.getConnection(ROOT_URL + db, "root", "");
        PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM envelopes WHERE id = ?")) {
      p.setBytes(1, HexFormat.of().parseHex(id));
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Tables with a row whose binary or text column contains {@code needle} (raw bytes, or as hex text). */
  private static List<String> tablesHolding(String db, byte[] needle) throws Exception {
    List<String> out = new ArrayList<>();
    String hex = HexFormat.of().formatHex(needle);
    try (Connection c = DriverManager.getConnection(ROOT_URL + db, "root", "")) {
      List<String[]> columns = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns"
          + " WHERE table_schema = ? AND data_type IN ('binary','varbinary','blob','tinyblob','mediumblob',"
          + "'longblob','char','varchar','text','mediumtext','longtext')")) {
        p.setString(1, db);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            columns.add(new String[] {r.getString(1), r.getString(2)});
          }
        }
      }
      for (String[] col : columns) {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM `" + col[0] + "` WHERE LOCATE(?, CAST(`"
            + col[1] + "` AS BINARY)) > 0 OR LOCATE(?, LOWER(CAST(`" + col[1] + "` AS BINARY))) > 0")) {
          p.setBytes(1, needle);
          p.setBytes(2, hex.getBytes(StandardCharsets.US_ASCII));
          try (ResultSet r = p.executeQuery()) {
            r.next();
            if (r.getLong(1) > 0 && !out.contains(col[0])) {
              out.add(col[0]);
            }
          }
        }
      }
    }
    return out;
  }

  private static List<Path> filesHolding(Path dir, byte[] needle) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        byte[] hay = Files.readAllBytes(p);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
          for (int j = 0; j < needle.length; j++) {
            if (hay[i + j] != needle[j]) {
              continue outer;
            }
          }
          out.add(p);
          break;
        }
      }
    }
    return out;
  }

  private Reviewer reviewer(String alias) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve(alias));
    Reviewer r = new Reviewer(alias, dir.resolve(alias + ".tkey"), passFile(alias), dir.resolve("home"));
    ok(work, "keys", "init", "--alias", alias, "-k", r.keystore().toString(), "--passphrase-file",
        r.passphrase().toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1");
    return r;
  }

  private Path bundle(Reviewer r) throws IOException, InterruptedException {
    Path b = work.resolve(r.alias() + ".pub");
    if (!Files.exists(b)) {
      ok(work, "keys", "public", "-k", r.keystore().toString(), "--passphrase-file", r.passphrase().toString(),
          "-o", b.toString());
    }
    return b;
  }

  private Path passFile(String name) throws IOException {
    Path p = work.resolve(name + ".pass");
    if (!Files.exists(p)) {
      Files.writeString(p, "una frase larga y secreta de " + name + "\n");
    }
    return p;
  }

  private static String[] args(String command, Reviewer r, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(r.auth()));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static String ok(Path dir, String... args) throws IOException, InterruptedException {
    RealJars.Run run = RealJars.reviewer(dir, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ":\n" + run.output()).isZero();
    return run.output();
  }
}

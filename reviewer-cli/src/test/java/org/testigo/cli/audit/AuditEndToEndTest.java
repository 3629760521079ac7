package org.testigo.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.log.LogSigningKey;
import org.testigo.server.storage.TransparencyLog;

/**
 * The real intake server (demo config, H2) with reports sent through the no-JavaScript form,
 * then {@code audit verify} and {@code proof verify} run in-process against it. The
 * dishonest-log cases manipulate the database directly and re-sign tree heads with the
 * server's own log key, as a compromised server could; each case starts from a snapshot of
 * the honest log and a copy of the auditor's state.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditEndToEndTest {
  static final Path DATA = temp("testigo-audit-data");
  static final Path WORK = temp("testigo-audit-work");
  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("log.treeHeadIntervalSeconds", "3600"),
      // Leaves are sequenced only on demand (signNow, proofs), never in the middle of a tamper step.
      ConfigOverride.config("log.sequencerIntervalMillis", "3600000"),
      // One HTTP client, one pooled connection: one "circuit" for every report this class files
      // (the fair shares are FairShareAppTest's subject, not this one's).
      ConfigOverride.config("fairness.keyDerivationsPerMinute", "600"),
      ConfigOverride.config("fairness.mailboxesPerHour", "10000"),
      ConfigOverride.config("fairness.submissionsPerHour", "100000"));
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final List<String> RECEIPTS = new ArrayList<>();
  static long clockMillis;

  static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }


  static CliResult cli(String... args) {
    return CliResult.run(args);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  static String root() throws Exception {
    return Files.readString(DATA.resolve("root-fingerprint")).strip();
  }

  static Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", "");
  }

  static Jdbi jdbi() {
    return Jdbi.create(AuditEndToEndTest::db0).installPlugin(new SqlObjectPlugin());
  }

  private static Connection db0() throws java.sql.SQLException {
    try {
      return db();
    } catch (java.sql.SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a tree head over the database's current leaves with the server's log key, as the server would. */
  static SignedTreeHead signNow() throws Exception {
    LogSigningKey key = LogSigningKey.load(DATA.resolve("log-key"));
    clockMillis = Math.max(clockMillis + 1_000, System.currentTimeMillis()); // after the manifest's issue time
    return new TransparencyLog(jdbi()).signTreeHead(key, clockMillis);
  }

  static String submitReport(String narrative) throws Exception {
    String b = "----AuditBoundary7";
    StringBuilder body = new StringBuilder();
    String[][] fields = {{"version", "1"}, {"lang", "en"}, {"what", "extortion"}, {"who", "inm"},
        {"narrative", narrative}, {"wants", "reply"}};
    for (String[] f : fields) {
      body.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    body.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/report?lang=en")))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("proof that your report was recorded");
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static String statusPage(String receipt) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url("/status?lang=en")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("receipt=" + java.net.URLEncoder.encode(receipt, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String unescape(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  static Path stateDir(String name) throws Exception {
    Path dir = WORK.resolve(name);
    Files.createDirectories(dir);
    Path good = WORK.resolve("good-state");
    if (Files.exists(good)) {
      try (var files = Files.list(good)) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dir;
  }

  static CliResult audit(Path stateDir, boolean json) throws Exception {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--server", url("/"), "--root", root(),
        "--state-dir", stateDir.toString()));
    if (json) {
      args.add("--json");
    }
    return cli(args.toArray(String[]::new));
  }

  static JsonNode check(CliResult r, String name) throws Exception {
    for (JsonNode c : new ObjectMapper().readTree(r.out()).path("checks")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + r.out());
  }

  // --- snapshots of the log tables, so each dishonest case starts from the honest log ---

  static final String[] TABLES = {"log_leaves", "log_tree_heads", "log_counter"};

  static void snapshot() throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      for (String t : TABLES) {
        s.execute("DROP TABLE IF EXISTS snap_" + t);
        s.execute("CREATE TABLE snap_" + t + " AS SELECT * FROM " + t);
      }
    }
  }

  static void restore() throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      for (String t : TABLES) {
        s.execute("DELETE FROM " + t);
        s.execute("INSERT INTO " + t + " SELECT * FROM snap_" + t);
      }
    }
  }

  /** Swaps the leaves at indices a and b in the database. */
  static void swapLeaves(long a, long b) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      s.execute("UPDATE log_leaves SET idx = -1 WHERE idx = " + a);
      s.execute("UPDATE log_leaves SET idx = " + a + " WHERE idx = " + b);
      s.execute("UPDATE log_leaves SET idx = " + b + " WHERE idx = -1");
    }
  }

  /** Removes leaf i and closes the gap, as a server silently dropping an entry would. */
  static void dropLeaf(long i) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM log_leaves WHERE idx = " + i);
      s.execute("UPDATE log_leaves SET idx = idx - 1 WHERE idx > " + i + " ORDER BY idx");
      s.execute("UPDATE log_counter SET next_index = next_index - 1 WHERE id = 1");
    }
  }

  // --- the scenarios ---

  @Test
  @Order(1)
  void reportsAreLoggedAndTheSourcesProofOfFilingVerifiesOfflineAndFailsAfterAnyChange() throws Exception {
    for (int i = 0; i < 3; i++) {
      RECEIPTS.add(submitReport("They asked us for money on the train, report " + i + "."));
    }
    assertThat(statusPage(RECEIPTS.get(0))).contains("not ready yet").doesNotContain("BEGIN TESTIGO PROOF");
    SignedTreeHead head = signNow();
    assertThat(head.treeSize()).isEqualTo(4); // the manifest and three reports

    String page = statusPage(RECEIPTS.get(1));
    Matcher m = Pattern.compile("<pre class=\"proof\"[^>]*>([^<]+)</pre>").matcher(page);
    assertThat(m.find()).isTrue();
    String proof = unescape(m.group(1));
    Matcher link = Pattern.compile("href=\"(/proof-of-filing/\\d+/\\d+/)proof.txt\"").matcher(page);
    assertThat(link.find()).isTrue();
    assertThat(page).contains("src=\"" + link.group(1) + "qr.svg\"");
    HttpResponse<byte[]> file = get(link.group(1) + "proof.txt");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo(proof);
    assertThat(file.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
    HttpResponse<byte[]> qr = get(link.group(1) + "qr.svg");
    assertThat(qr.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
    assertThat(new String(qr.body(), StandardCharsets.UTF_8)).startsWith("<?xml").contains("<path d=\"M4,4h1v1h-1z");
    assertThat(get("/proof-of-filing/1/999/proof.txt").statusCode()).isEqualTo(404);

    Path proofFile = WORK.resolve("proof.txt");
    Files.writeString(proofFile, proof);
    Path chain = WORK.resolve("chain.txt");
    Files.writeString(chain, new String(get("/api/v1/manifest").body(), StandardCharsets.US_ASCII));
    CliResult ok = cli("proof", "verify", "--manifest", chain.toString(), "--root", root(), proofFile.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("OK: the proof of filing verifies").contains("as entry 2 of 4");

    String[] lines = proof.split("\n");
    int changed = 0;
    for (int line = 1; line < lines.length - 1; line++) {
      for (int col = 0; col < lines[line].length(); col += 7) {
        char ch = lines[line].charAt(col);
        char other = ch == 'A' ? 'B' : 'A';
        String[] copy = lines.clone();
        copy[line] = copy[line].substring(0, col) + other + copy[line].substring(col + 1);
        Files.writeString(proofFile, String.join("\n", copy) + "\n");
        CliResult bad = cli("proof", "verify", "--manifest", chain.toString(), "--root", root(), proofFile.toString());
        assertThat(bad.code()).as("line " + line + " col " + col).isNotZero();
        changed++;
      }
    }
    assertThat(changed).isGreaterThan(20);
  }

  @Test
  @Order(2)
  void auditVerify_holdsForAnHonestLogAndRecordsTheTreeHead() throws Exception {
    Path dir = stateDir("first");
    CliResult r = audit(dir, false);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("[PASS] manifest-chain").contains("[PASS] tree-head-signature")
        .contains("[WARN] consistency").contains("[PASS] leaves-match-root").contains("[PASS] recipients")
        .contains("each of the 3 submission(s)").contains("[PASS] manifests-logged")
        .contains("RESULT: every check holds.");

    RECEIPTS.add(submitReport("A fourth report."));
    SignedTreeHead grown = signNow();
    CliResult json = audit(dir, true);
    assertThat(json.code()).as(json.out()).isZero();
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertThat(report.path("holds").asBoolean()).isTrue();
    assertThat(check(json, "consistency").path("status").asText()).isEqualTo("pass");
    assertThat(check(json, "leaves-match-previous").path("status").asText()).isEqualTo("pass");
    assertThat(report.path("treeHead").path("treeSize").asLong()).isEqualTo(grown.treeSize());

    CliResult state = cli("audit", "state", "--server", url("/"), "--state-dir", dir.toString());
    assertThat(state.code()).isZero();
    assertThat(new ObjectMapper().readTree(state.out()).path("treeHead").path("treeSize").asLong()).isEqualTo(5);
    Files.createDirectories(WORK.resolve("good-state"));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.copy(f, WORK.resolve("good-state").resolve(f.getFileName()));
      }
    }
    snapshot();
  }

  @Test
  @Order(2)
  void auditVerify_throughASocksProxy_sendsTheOnionNameToTheProxyAndHolds() throws Exception {
    String onion = "testigosourceabcdefghijklmnopqrstuvwxyz234567abcdefghij.onion";
    try (org.testigo.api.client.SocksStandIn socks = new org.testigo.api.client.SocksStandIn(APP.getLocalPort())) {
      CliResult r = cli("audit", "verify", "--server", "http://" + onion + "/", "--socks", "127.0.0.1:" + socks.port(),
          "--root", root(), "--state-dir", WORK.resolve("through-socks").toString());
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("[PASS] manifest-chain").contains("[PASS] leaves-match-root")
          .contains("RESULT: every check holds.");
      assertThat(socks.requestedHosts).hasSizeGreaterThanOrEqualTo(3).allMatch(h -> h.equals("domain:" + onion + ":80"));
    }
  }

  @Test
  @Order(3)
  void auditVerify_catchesReorderedEntriesEvenWithoutAnEarlierTreeHead() throws Exception {
    swapLeaves(2, 3);
    try {
      CliResult r = audit(Files.createDirectories(WORK.resolve("fresh-auditor")), true);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(check(r, "leaves-match-root").path("status").asText()).isEqualTo("fail");
    } finally {
      restore();
    }
  }

  @Test
  @Order(4)
  void auditVerify_catchesAReorderedLogThatWasReSigned() throws Exception {
    swapLeaves(2, 3);
    signNow();
    try {
      Path dir = stateDir("reorder");
      String before = Files.readString(dir.resolve(AuditState.file(dir, URI.create(url("/"))).getFileName()));
      CliResult r = audit(dir, true);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(check(r, "consistency").path("status").asText()).isEqualTo("fail");
      assertThat(check(r, "consistency").path("detail").asText()).contains("FORK");
      assertThat(check(r, "leaves-match-previous").path("status").asText()).isEqualTo("fail");
      assertThat(check(r, "leaves-match-root").path("status").asText()).as("the forger signed its own root").isEqualTo("pass");
      assertThat(Files.readString(AuditState.file(dir, URI.create(url("/"))))).as("state kept").isEqualTo(before);
    } finally {
      restore();
    }
  }

  @Test
  @Order(5)
  void auditVerify_catchesADroppedEntry() throws Exception {
    dropLeaf(3);
    try {
      CliResult r = audit(stateDir("drop-unsigned"), true);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(check(r, "leaves-match-root").path("detail").asText()).contains("does not serve the 5 entries")
          .contains("entries were removed or are withheld");
      try (Connection c = db(); Statement s = c.createStatement()) {
        s.execute("DELETE FROM log_tree_heads WHERE tree_size > 4"); // hide the head that had the entry
      }
      signNow();
      r = audit(stateDir("drop"), true);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(check(r, "consistency").path("detail").asText()).contains("the log shrank");
    } finally {
      restore();
    }
    RECEIPTS.add(submitReport("Sent while the dropped entry is hidden behind a new one."));
    dropLeaf(3);
    signNow();
    try {
      CliResult r = audit(stateDir("drop-and-grow"), true);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(check(r, "consistency").path("detail").asText()).contains("FORK");
    } finally {
      restore();
      try (Connection c = db(); Statement s = c.createStatement()) {
        s.execute("DELETE FROM mailbox_envelopes WHERE envelope_id NOT IN (SELECT envelope_id FROM log_leaves"
            + " WHERE envelope_id IS NOT NULL)");
        s.execute("DELETE FROM envelopes WHERE id NOT IN (SELECT envelope_id FROM log_leaves WHERE envelope_id IS NOT NULL)");
      }
    }
  }

  @Test
  @Order(6)
  void auditVerify_catchesTwoDifferentTreeHeadsForTheSameSize() throws Exception {
    SignedTreeHead honest = new TransparencyLog(jdbi()).latestTreeHead().orElseThrow();
    byte[] otherRoot = honest.rootHash();
    otherRoot[0] ^= 1;
    LogSigningKey key = LogSigningKey.load(DATA.resolve("log-key"));
    SignedTreeHead forged = key.sign(honest.treeSize(), otherRoot, honest.timestampMillis() + 5);
    try (Connection c = db();
        PreparedStatement s = c.prepareStatement("INSERT INTO log_tree_heads (tree_size, timestamp_millis, sth) VALUES (?, ?, ?)")) {
      s.setLong(1, forged.treeSize());
      s.setLong(2, forged.timestampMillis());
      s.setBytes(3, forged.encoded());
      s.execute();
    }
    try {
      CliResult r = audit(stateDir("fork"), false);
      assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
      assertThat(r.out()).contains("[FAIL] consistency").contains("FORK: the server now serves a tree head of "
          + honest.treeSize() + " entries");
    } finally {
      restore();
    }
  }

  @Test
  @Order(7)
  void auditVerify_catchesASubmissionSealedToAKeyOutsideTheManifest() throws Exception {
    List<SignedManifest> chain = SignedManifest.parseArmored(new String(get("/api/v1/manifest").body(), StandardCharsets.US_ASCII));
    RecipientPublicKey reviewer = chain.get(chain.size() - 1).manifest().recipients().get(0);
    RecipientPublicKey intruder = RecipientPrivateKey.generate(new SecureRandom()).publicKey();
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), sealed,
        List.of(reviewer, intruder), Envelope.CONTEXT_REPORT, new SecureRandom());
    new EnvelopeStore(jdbi(), 4096, Clock.systemUTC(), new SecureRandom(), new TransparencyLog(jdbi()))
        .store(Envelope.CONTEXT_REPORT, Optional.empty(), out -> out.write(sealed.toByteArray()));
    signNow();
    CliResult r = audit(stateDir("recipients"), true);
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(check(r, "consistency").path("status").asText()).isEqualTo("pass");
    JsonNode recipients = check(r, "recipients");
    assertThat(recipients.path("status").asText()).isEqualTo("fail");
    assertThat(recipients.path("failures").get(0).asText()).contains("entry 5").contains("unknown key");
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM log_leaves")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(6);
    }
  }

  @Test
  @Order(8)
  void logApi_answersJsonAndRejectsBadParametersWithAGeneric400() throws Exception {
    JsonNode sth = new ObjectMapper().readTree(get("/api/v1/log/sth").body());
    long n = sth.path("treeSize").asLong();
    assertThat(sth.path("encoded").asText()).hasSize(2 * SignedTreeHead.ENCODED_LENGTH);
    assertThat(new ObjectMapper().readTree(get("/api/v1/log/sth/" + n).body()).path("rootHash").asText())
        .isEqualTo(sth.path("rootHash").asText());
    JsonNode leaves = new ObjectMapper().readTree(get("/api/v1/log/leaves?start=0&end=" + n).body());
    assertThat(leaves.path("leaves")).hasSize((int) n);
    String leafHash = java.util.HexFormat.of().formatHex(org.testigo.crypto.merkle.MerkleHash.leafHash(
        java.util.HexFormat.of().parseHex(leaves.path("leaves").get(1).asText())));
    JsonNode inclusion = new ObjectMapper().readTree(get("/api/v1/log/proof/inclusion?leaf=" + leafHash + "&size=" + n).body());
    assertThat(inclusion.path("leafIndex").asLong()).isEqualTo(1);
    assertThat(get("/api/v1/log/proof/consistency?from=2&to=" + n).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/log/leaves/1/envelope-header").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/log/leaves/0/envelope-header").statusCode()).as("a manifest leaf").isEqualTo(404);
    for (String bad : List.of("/api/v1/log/leaves?start=0&end=100000", "/api/v1/log/leaves?start=x&end=2",
        "/api/v1/log/leaves?start=-1&end=2", "/api/v1/log/proof/consistency?from=0&to=2",
        "/api/v1/log/proof/consistency?from=3&to=2", "/api/v1/log/proof/inclusion?leaf=zz&size=2",
        "/api/v1/log/sth/99999999999999999999", "/api/v1/log/proof/inclusion?size=2")) {
      HttpResponse<byte[]> r = get(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(bad).contains("The request is not valid.")
          .doesNotContain("zz").doesNotContain("100000");
    }
    assertThat(get("/api/v1/log/sth/" + (n + 7)).statusCode()).isEqualTo(404);
  }
}

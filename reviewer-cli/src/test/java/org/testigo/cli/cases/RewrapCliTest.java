package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Rewrap end to end, in-process against a real intake server on the real MariaDB: a source
 * reports to {alice, bob}; the organisation adds carol and removes bob. Before the rewrap
 * carol cannot read the report and the audit warns that it is stranded; alice's
 * {@code rewrap --dry-run} lists it and uploads nothing; {@code rewrap --all} rewraps it (and
 * a second run finds nothing to do); carol's sync replaces her cached header and she reads
 * the report, as does a fresh carol home; bob's key no longer opens the served envelope;
 * the audit passes. Then the audit catches a forged rewrap (record not matching its leaf)
 * and a rewrap leaf sealed to reviewers other than those in force.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewrapCliTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Rewrap CLI org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALICE), entry(BOB)), T0), ROOT);
  static final String MARKER = "MRK" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
  static final String NOTE = "NOTE" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
  static final String DB = "testigo_test_rw2_" + HexFormat.of().formatHex(RANDOM.generateSeed(5));
  static final Path DATA = prepare();
  static final Path KEYS = DATA.resolve("keys");
  static String reportId;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("database.type", "MARIADB"),
      ConfigOverride.config("database.url", "jdbc:mariadb://127.0.0.1:3306/" + DB),
      ConfigOverride.config("database.user", "root"),
      ConfigOverride.config("database.passwordFile", DATA.resolve("db-password").toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));


  static ReviewerEntry entry(ReviewerIdentity who) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(5)),
        T0.plus(Duration.ofDays(30)));
  }

  static Path prepare() {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
      Path dir = Files.createTempDirectory("testigo-rewrap-cli-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      Files.writeString(dir.resolve("db-password"), "");
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.write(Files.createFile(dir.resolve("deployment-secret"), ownerOnly), RANDOM.generateSeed(32));
      Files.write(Files.createFile(dir.resolve("log-key"), ownerOnly), LOG_KEY.exposeSecret());
      Path keys = Files.createDirectories(dir.resolve("keys"));
      for (ReviewerIdentity r : List.of(ALICE, BOB, CAROL)) {
        char[] pass = ("pass-" + r.alias()).toCharArray();
        Keystore.write(keys.resolve(r.alias() + ".keystore"),
            Keystore.encrypt(r, Passphrase.of(pass), KeystoreParams.TEST, RANDOM), false);
        Files.write(Files.createFile(keys.resolve(r.alias() + ".pass"), ownerOnly),
            ("pass-" + r.alias()).getBytes(StandardCharsets.UTF_8));
      }
      return dir;
    } catch (Exception e) {
      throw new IllegalStateException("MariaDB at 127.0.0.1:3306 is required for this test", e);
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
    }
  }

  static Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + DB, "root", "");
  }

  static org.jdbi.v3.core.Jdbi jdbi() {
    return org.jdbi.v3.core.Jdbi.create("jdbc:mariadb://127.0.0.1:3306/" + DB, "root", "")
        .installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
  }

  static CliResult run(String... args) {
    return CliResult.run(args);
  }

  /** Runs a command as {@code who}, with the home {@code home} (a reviewer's workstation). */
  static CliResult as(ReviewerIdentity who, Path home, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString(), "-k", KEYS.resolve(who.alias() + ".keystore").toString(),
        "--passphrase-file", KEYS.resolve(who.alias() + ".pass").toString()));
    return run(all.toArray(String[]::new));
  }

  static Path home(String name) throws IOException {
    Path h = DATA.resolve("home-" + name);
    if (!Files.exists(h)) {
      Files.createDirectories(h);
      CliResult add = run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root",
          KeyManifest.rootFingerprint(ROOT.publicKey()).hex(), "--home", h.toString());
      assertThat(add.code()).as(add.err()).isZero();
    }
    return h;
  }

  static String report(String narrative) throws Exception {
    String b = "----RewrapBoundary";
    StringBuilder s = new StringBuilder();
    for (String[] f : new String[][] {{"version", "1"}, {"lang", "es"}, {"what", "extortion"}, {"who", "inm"},
        {"state", "CHP"}, {"narrative", narrative}, {"wants", "reply"}}) {
      s.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    s.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/report?lang=es"))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(s.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  static long clockMillis;

  /** Signs a tree head over the current leaves with the server's log key (as its schedule would), then audits. */
  static JsonNode audit() throws Exception {
    clockMillis = Math.max(clockMillis + 1_000, System.currentTimeMillis());
    new org.testigo.server.storage.TransparencyLog(jdbi()).signTreeHead(org.testigo.server.log.LogSigningKey.load(DATA.resolve("log-key")), clockMillis);
    Path state = Files.createTempDirectory(DATA, "audit-");
    CliResult r = run("audit", "verify", "--server", "http://127.0.0.1:" + APP.getLocalPort() + "/", "--root",
        KeyManifest.rootFingerprint(ROOT.publicKey()).hex(), "--state-dir", state.toString(), "--json");
    JsonNode n = JSON.readTree(r.out());
    return n;
  }

  static JsonNode check(JsonNode audit, String name) {
    for (JsonNode c : audit.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + audit);
  }

  static byte[] cached(Path home, String id) throws IOException {
    return Files.readAllBytes(home.resolve("cache/default/submissions/" + id + ".tgenv"));
  }

  static long rewrapRows() throws Exception {
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM envelope_rewraps")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @Order(1)
  void beforeTheRewrap_aNewReviewerCannotReadAnOldReportAndTheAuditWarns() throws Exception {
    report("Nos pidieron dinero en el retén. " + MARKER);
    CliResult sync = as(ALICE, home("alice"), "sync");
    assertThat(sync.code()).as(sync.err()).isZero();
    try (Stream<Path> s = Files.list(home("alice").resolve("cache/default/submissions"))) {
      reportId = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tgenv")).findFirst().orElseThrow()
          .replace(".tgenv", "");
    }
    // a note sealed to {alice, bob}, before carol joins
    CliResult note = as(ALICE, home("alice"), "note", reportId, "--text", "Nota de alice antes de carol " + NOTE);
    assertThat(note.code()).as(note.err()).isZero();
    SignedManifest s1 = SignedManifest.sign(ManifestUpdates.addReviewer(S0, entry(CAROL), Instant.now()), ROOT);
    SignedManifest s2 = SignedManifest.sign(ManifestUpdates.removeReviewer(s1, "bob", Instant.now()), ROOT);
    HttpResponse<String> update = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/update-manifest"))
        .POST(HttpRequest.BodyPublishers.ofString(ManifestChain.toArmored(List.of(S0, s1, s2)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);

    CliResult carolSync = as(CAROL, home("carol"), "sync");
    assertThat(carolSync.code()).as(carolSync.err()).isZero();
    assertThat(as(CAROL, home("carol"), "show", reportId).code()).isNotZero();
    CliResult carolHistory = as(CAROL, home("carol"), "history", reportId, "--lang", "en");
    assertThat(carolHistory.code()).as(carolHistory.err()).isZero();
    assertThat(carolHistory.out()).contains("(cannot be read with your key)").doesNotContain(NOTE);

    JsonNode before = audit();
    assertThat(check(before, "recipients").get("status").asText()).isEqualTo("pass");
    assertThat(check(before, "rewraps").get("status").asText()).isEqualTo("pass");
    JsonNode current = check(before, "current-recipients");
    assertThat(current.get("status").asText()).isEqualTo("warn");
    assertThat(current.get("detail").asText()).contains("1 submission(s) stranded").contains("1 not yet rewrapped");
  }

  @Test
  @Order(2)
  void rewrapDryRun_listsTheStaleReportAndUploadsNothing() throws Exception {
    CliResult dry = as(ALICE, home("alice"), "rewrap", "--all", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains(reportId.substring(0, 12)).contains("sealed to departed bob").contains("not to carol")
        .contains("1 envelope(s) would be rewrapped").contains("1 case event content(s) would be rewrapped");
    assertThat(rewrapRows()).isZero();
    // usage: one of --all or ids, not both, not neither; an unknown id is a clear error
    assertThat(as(ALICE, home("alice"), "rewrap").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(as(ALICE, home("alice"), "rewrap", "--all", reportId).code()).isEqualTo(ExitCodes.USAGE);
    CliResult unknown = as(ALICE, home("alice"), "rewrap", "ffffffffff");
    assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unknown.err()).contains("no cached submission ffffffffff; run sync first");
    assertThat(rewrapRows()).isZero();
    // carol is not a recipient of the old header: she can list it but not rewrap it
    CliResult carolDry = as(CAROL, home("carol"), "rewrap", reportId, "--dry-run");
    assertThat(carolDry.out()).contains("you are not a recipient").contains("1 you cannot open");
  }

  @Test
  @Order(3)
  void rewrap_letsTheNewReviewerReadTheOldReportAndLocksOutTheDepartedKey() throws Exception {
    byte[] before = cached(home("alice"), reportId);
    CliResult r = as(ALICE, home("alice"), "rewrap", "--all");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Rewrapped 1 envelope(s) to manifest #2")
        .contains("Rewrapped 1 case event content(s) (content_rewrap events)");
    assertThat(rewrapRows()).isEqualTo(1);
    byte[] after = cached(home("alice"), reportId);
    assertThat(after).isNotEqualTo(before);
    long oldHeader = Envelope.inspectHeader(new java.io.ByteArrayInputStream(before)).headerLength();
    long newHeader = Envelope.inspectHeader(new java.io.ByteArrayInputStream(after)).headerLength();
    assertThat(java.util.Arrays.copyOfRange(after, (int) newHeader, after.length))
        .as("payload unchanged").isEqualTo(java.util.Arrays.copyOfRange(before, (int) oldHeader, before.length));

    CliResult again = as(ALICE, home("alice"), "rewrap", "--all");
    assertThat(again.out()).contains("Rewrapped 0 envelope(s)").contains("1 already current")
        .contains("Rewrapped 0 case event content(s) (content_rewrap events); 1 already current");
    assertThat(rewrapRows()).isEqualTo(1);

    // carol had the old envelope cached: sync replaces its header, and she can read it
    CliResult carolSync = as(CAROL, home("carol"), "sync");
    assertThat(carolSync.code()).as(carolSync.err()).isZero();
    assertThat(carolSync.out()).contains("1 cached envelope header(s) replaced");
    CliResult show = as(CAROL, home("carol"), "show", reportId);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains(MARKER).contains("Nota de alice antes de carol " + NOTE);
    assertThat(cached(home("carol"), reportId)).isEqualTo(after);
    // the note keeps its author, and the rewrap is an event of its own in the trail
    CliResult carolHistory = as(CAROL, home("carol"), "history", reportId, "--lang", "en");
    assertThat(carolHistory.out()).doesNotContain("(cannot be read with your key)").contains("content re-sealed for the current team")
        .containsPattern("alice\\s+#\\d+\\s+note\\s+\\[applied\\]");

    // a fresh workstation of carol downloads the rewrapped envelope directly
    CliResult fresh = as(CAROL, home("carol2"), "sync");
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(as(CAROL, home("carol2"), "show", reportId).out()).contains(MARKER);

    // the departed bob's key no longer opens what the server serves
    byte[] served = cached(home("carol2"), reportId);
    try {
      Envelope.open(served, BOB.encryptionKey(), Envelope.CONTEXT_REPORT);
      throw new AssertionError("bob's key opened the rewrapped envelope");
    } catch (CryptoException expected) {
      // not a recipient any more
    }
    // ... though it still opens the envelope he may have kept (rewrapping does not revoke)
    assertThat(new String(Envelope.open(before, BOB.encryptionKey(), Envelope.CONTEXT_REPORT),
        StandardCharsets.ISO_8859_1)).contains(MARKER);
    try (Stream<Path> all = Files.walk(home("carol"))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString()).doesNotContain(MARKER);
      }
    }

    JsonNode audit = audit();
    assertThat(check(audit, "recipients").get("status").asText()).isEqualTo("pass");
    assertThat(check(audit, "rewraps").get("status").asText()).as(audit.toString()).isEqualTo("pass");
    assertThat(check(audit, "rewraps").get("detail").asText()).contains("each of the 1 rewrap(s)");
    assertThat(check(audit, "current-recipients").get("status").asText()).as(audit.toString()).isEqualTo("pass");
  }

  @Test
  @Order(4)
  void audit_failsOnARewrapRecordThatDoesNotMatchItsLeaf() throws Exception {
    byte[] original;
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT header FROM envelope_rewraps")) {
      rs.next();
      original = rs.getBytes(1);
    }
    // the server swaps the stored header for another one sealed to the right reviewers
    byte[] forged = Envelope.rewrapHeader(new java.io.ByteArrayInputStream(cached(home("alice"), reportId)),
        ALICE.encryptionKey(), Envelope.CONTEXT_REPORT,
        List.of(ALICE.encryptionKey().publicKey(), CAROL.encryptionKey().publicKey()), RANDOM);
    setHeader(forged);
    try {
      JsonNode audit = audit();
      JsonNode rewraps = check(audit, "rewraps");
      assertThat(rewraps.get("status").asText()).isEqualTo("fail");
      assertThat(rewraps.get("failures").toString()).contains("FORGED");
    } finally {
      setHeader(original);
    }
    assertThat(check(audit(), "rewraps").get("status").asText()).isEqualTo("pass");
  }

  @Test
  @Order(5)
  void audit_failsOnARewrapLeafSealedToOtherThanTheReviewersInForce() throws Exception {
    // a dishonest server logs a rewrap to {alice, bob} (bob was removed): a second report, then a
    // rewrap row and leaf written directly, as another server instance on the same database would
    report("Segundo informe.");
    CliResult sync = as(ALICE, home("alice"), "sync");
    assertThat(sync.code()).as(sync.err()).isZero();
    String second;
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT LOWER(HEX(id)) FROM envelopes WHERE context = 'report' AND id NOT IN"
            + " (SELECT envelope_id FROM envelope_rewraps)")) {
      rs.next();
      second = rs.getString(1);
    }
    byte[] envelope = cached(home("alice"), second);
    int headerLength = (int) Envelope.inspectHeader(new java.io.ByteArrayInputStream(envelope)).headerLength();
    byte[] wrong = Envelope.rewrapHeader(new java.io.ByteArrayInputStream(envelope), ALICE.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(ALICE.encryptionKey().publicKey(), BOB.encryptionKey().publicKey()), RANDOM);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] envelopeSha = sha.digest(envelope);
    byte[] record = org.testigo.crypto.envelope.RewrapRecord.of(envelopeSha,
        sha.digest(java.util.Arrays.copyOf(envelope, headerLength)), wrong).hash();
    var jdbi = jdbi();
    org.testigo.server.storage.TransparencyLog log = new org.testigo.server.storage.TransparencyLog(jdbi);
    jdbi.useTransaction(h -> {
      org.testigo.server.storage.RewrapDao dao = h.attach(org.testigo.server.storage.RewrapDao.class);
      dao.lock();
      long seq = dao.nextSeq();
      dao.insert(seq, HexFormat.of().parseHex(second), 1, wrong, sha.digest(wrong),
          sha.digest(java.util.Arrays.copyOf(envelope, headerLength)), envelopeSha, record, new byte[32],
          java.time.LocalDate.now(java.time.ZoneOffset.UTC));
      dao.advance();
      log.append(org.testigo.crypto.merkle.LogLeaf.of(org.testigo.crypto.merkle.LogLeaf.EntryType.REWRAP,
          Instant.now(), record), h);
    });
    JsonNode audit = audit();
    JsonNode rewraps = check(audit, "rewraps");
    assertThat(rewraps.get("status").asText()).as(audit.toString()).isEqualTo("fail");
    assertThat(rewraps.get("failures").toString()).contains("not exactly the reviewers of manifest 2");
    assertThat(check(audit, "current-recipients").get("status").asText()).isEqualTo("warn");
    assertThat(check(audit, "current-recipients").get("detail").asText()).contains("1 submission(s) stranded");
  }

  static void setHeader(byte[] header) throws Exception {
    try (Connection c = db(); PreparedStatement p = c.prepareStatement("UPDATE envelope_rewraps SET header = ?")) {
      p.setBytes(1, header);
      assertThat(p.executeUpdate()).isEqualTo(1);
    }
  }
}

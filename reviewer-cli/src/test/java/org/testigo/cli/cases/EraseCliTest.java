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
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.testigo.crypto.erasure.ErasureDecision;
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
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Erasure from the reviewers' side, in-process against a real intake server on the real
 * MariaDB (docs/spec/retention-and-erasure.md §4-§6): a held case and a case not due are
 * refused recording nothing; a dry run sends nothing; an early erasure signed by alice is
 * written for co-signing and bob's {@code erase --cosign} posts it; both caches lose the case's
 * envelopes and events (alice's by sync, which says so and names the export folders), the
 * statistics are the same as before, and {@code audit verify} passes with the erasure counted.
 * Then the audit catches a submission missing without a decision and a forged decision.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EraseCliTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  /** Two reviewers who left: their keys are revoked (S2, S3) a minute after the retention policy. */
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  static final ReviewerIdentity DAVE = ReviewerIdentity.generate("dave", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Erase CLI org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALICE), entry(BOB), entry(CAROL), entry(DAVE)),
      T0.minus(Duration.ofMinutes(3))), ROOT);
  static final SignedManifest S1 = SignedManifest.sign(ManifestUpdates.setRetention(S0, RetentionPolicy.DEFAULT,
      T0.minus(Duration.ofMinutes(2))), ROOT);
  static final SignedManifest S2 = SignedManifest.sign(ManifestUpdates.revokeReviewer(S1, "carol",
      T0.minus(Duration.ofMinutes(1))), ROOT);
  static final SignedManifest S3 = SignedManifest.sign(ManifestUpdates.revokeReviewer(S2, "dave",
      T0.minus(Duration.ofSeconds(50))), ROOT);
  static final String MARKER = "MRK" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
  static final String DB = "testigo_test_er_" + HexFormat.of().formatHex(RANDOM.generateSeed(5));
  static final Path DATA = prepare();
  static final Path KEYS = DATA.resolve("keys");
  static String erased;
  static String kept;
  static byte[] erasedEnvelope;
  static byte[] originalDecision;

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
      ConfigOverride.config("receipts.iterations", "1"),
      // every test files its own case through the form, from one connection
      ConfigOverride.config("fairness.keyDerivationsPerMinute", "600"),
      ConfigOverride.config("fairness.mailboxesPerHour", "1000"),
      // only audit() signs tree heads here, so an erasure stays pending until it does
      ConfigOverride.config("log.treeHeadIntervalSeconds", "86400"));

  static ReviewerEntry entry(ReviewerIdentity who) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(5)),
        T0.plus(Duration.ofDays(800)));
  }

  static Path prepare() {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
      Path dir = Files.createTempDirectory("testigo-erase-cli-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0, S1, S2, S3)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      Files.writeString(dir.resolve("db-password"), "");
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.write(Files.createFile(dir.resolve("deployment-secret"), ownerOnly), RANDOM.generateSeed(32));
      Files.write(Files.createFile(dir.resolve("log-key"), ownerOnly), LOG_KEY.exposeSecret());
      Path keys = Files.createDirectories(dir.resolve("keys"));
      for (ReviewerIdentity r : List.of(ALICE, BOB)) {
        Keystore.write(keys.resolve(r.alias() + ".keystore"),
            Keystore.encrypt(r, Passphrase.of(("pass-" + r.alias()).toCharArray()), KeystoreParams.TEST, RANDOM), false);
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

  static long count(String table) throws Exception {
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static CliResult as(ReviewerIdentity who, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home(who.alias()).toString(), "-k", KEYS.resolve(who.alias() + ".keystore").toString(),
        "--passphrase-file", KEYS.resolve(who.alias() + ".pass").toString()));
    return CliResult.run(all.toArray(String[]::new));
  }

  static CliResult ok(ReviewerIdentity who, String... args) throws IOException {
    CliResult r = as(who, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static Path home(String name) throws IOException {
    Path h = DATA.resolve("home-" + name);
    if (!Files.exists(h)) {
      Files.createDirectories(h);
      CliResult add = CliResult.run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root",
          KeyManifest.rootFingerprint(ROOT.publicKey()).hex(), "--home", h.toString());
      assertThat(add.code()).as(add.err()).isZero();
    }
    return h;
  }

  static void report(String narrative, String state) throws Exception {
    String b = "----EraseBoundary";
    StringBuilder s = new StringBuilder();
    for (String[] f : new String[][] {{"version", "1"}, {"lang", "es"}, {"what", "extortion"}, {"who", "inm"},
        {"state", state}, {"narrative", narrative}, {"wants", "reply"}}) {
      s.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    s.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/report?lang=es"))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(s.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  static List<String> cachedIds(String who) throws IOException {
    try (Stream<Path> s = Files.list(home(who).resolve("cache/default/submissions"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tgenv"))
          .map(n -> n.replace(".tgenv", "")).sorted().toList();
    }
  }

  static long clockMillis;

  static JsonNode audit() throws Exception {
    clockMillis = Math.max(clockMillis + 1_000, System.currentTimeMillis());
    new org.testigo.server.storage.TransparencyLog(org.jdbi.v3.core.Jdbi.create("jdbc:mariadb://127.0.0.1:3306/" + DB,
        "root", "").installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin()))
        .signTreeHead(org.testigo.server.log.LogSigningKey.load(DATA.resolve("log-key")), clockMillis);
    return auditWithoutNewHead();
  }

  /** {@code audit verify} against the tree head signed last, as right after a change. */
  static JsonNode auditWithoutNewHead() throws Exception {
    Path state = Files.createTempDirectory(DATA, "audit-");
    CliResult r = CliResult.run("audit", "verify", "--server", "http://127.0.0.1:" + APP.getLocalPort() + "/",
        "--root", KeyManifest.rootFingerprint(ROOT.publicKey()).hex(), "--state-dir", state.toString(), "--json");
    return JSON.readTree(r.out());
  }

  static JsonNode check(JsonNode audit, String name) {
    for (JsonNode c : audit.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + audit);
  }

  static byte[] statsCsv(String name) throws Exception {
    Path out = DATA.resolve("stats-" + name);
    CliResult r = ok(ALICE, "stats", "--from-cache", "--out", out.toString(), "--min-cell", "2", "--from", "2000-01");
    assertThat(r.out()).contains(name.equals("after") ? "1 case(s) from the cache, 1 erased case(s) from their"
        + " statistical records" : "2 case(s) from the cache");
    return Files.readAllBytes(out.resolve("testigo-stats.csv"));
  }

  @Test
  @Order(1)
  void heldAndNotDueCasesAreRefused_andADryRunSendsNothing() throws Exception {
    report("Nos pidieron dinero en el retén de Huixtla. " + MARKER, "CHP");
    report("Otro retén, en Oaxaca.", "OAX");
    ok(ALICE, "sync");
    ok(BOB, "sync");
    List<String> ids = cachedIds("alice");
    assertThat(ids).hasSize(2);
    erased = ids.get(0);
    kept = ids.get(1);
    erasedEnvelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + erased + ".tgenv"));
    ok(ALICE, "note", erased, "--text", "Nota " + MARKER);
    ok(ALICE, "refer", erased, "--to", "fgr", "--reference", "FGR/" + MARKER);
    long events = count("case_events");

    ok(ALICE, "hold", erased, "--reference", "Amparo 123/2026");
    CliResult held = as(ALICE, "erase", erased, "--reason", "duplicate", "--early");
    assertThat(held.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(held.err()).contains("is under legal hold (Amparo 123/2026)").contains("hold " + erased + " --release");
    CliResult show = ok(ALICE, "show", erased, "--lang", "en");
    assertThat(show.out()).contains("Legal hold (never erased)").contains("Amparo 123/2026");
    ok(ALICE, "hold", erased, "--release");
    CliResult again = as(ALICE, "hold", erased, "--release");
    assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(count("case_events")).isEqualTo(events + 2);

    CliResult notDue = as(ALICE, "erase", erased, "--reason", "duplicate");
    assertThat(notDue.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(notDue.err()).contains("is not due for erasure: open (referred)").contains("--early")
        .contains("2 reviewers' signatures");
    CliResult dry = ok(ALICE, "erase", erased, "--reason", "duplicate", "--early", "--dry-run");
    assertThat(dry.out()).contains("would erase " + erased).contains("reason duplicate, early")
        .contains("1 case(s) would be erased (dry run");
    CliResult due = ok(ALICE, "erase", "--due", "--dry-run");
    assertThat(due.out()).contains("0 case(s) would be erased");
    assertThat(as(ALICE, "erase", erased).code()).isEqualTo(ExitCodes.USAGE);
    assertThat(as(ALICE, "erase", erased, "--reason", "boredom").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(count("case_events")).isEqualTo(events + 2);
    assertThat(count("erasures")).isZero();
  }

  @Test
  @Order(2)
  void anEarlyErasureSignedByTwoReviewersErasesTheCaseEverywhereAndKeepsTheStatistics() throws Exception {
    byte[] before = statsCsv("before");
    Path out = Files.createDirectories(DATA.resolve("decisions"));
    CliResult first = ok(ALICE, "erase", erased, "--reason", "duplicate", "--early", "--out", out.toString());
    assertThat(first.out()).contains("needs 2 reviewers' signatures and has 1").contains("erase --cosign");
    assertThat(count("erasures")).isZero();
    Path file;
    try (Stream<Path> s = Files.list(out)) {
      file = s.findFirst().orElseThrow();
    }
    assertThat(Files.readString(file)).startsWith("-----BEGIN TESTIGO ERASURE DECISION-----");
    CliResult twice = as(ALICE, "erase", "--cosign", file.toString());
    assertThat(twice.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(twice.err()).contains("already signed");

    ok(BOB, "sync");
    JsonNode beforeErasure = audit();
    assertThat(check(beforeErasure, "erasures").get("status").asText()).isEqualTo("pass");
    CliResult cosigned = ok(BOB, "erase", "--cosign", file.toString());
    assertThat(cosigned.out()).contains("Co-signed the erasure of case " + erased).contains("Erased case " + erased)
        .contains("the server deleted 1 object(s)").contains("Folders written earlier by 'files' or 'export'");
    assertThat(count("erasures")).isEqualTo(1);
    assertThat(cachedIds("bob")).containsExactly(kept);

    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.out()).contains("erased case " + erased.substring(0, 12)).contains("1 erased case(s) removed")
        .contains("Folders written earlier by 'files' or 'export'");
    assertThat(cachedIds("alice")).containsExactly(kept);
    for (String who : List.of("alice", "bob")) {
      try (Stream<Path> all = Files.walk(home(who))) {
        for (Path p : all.filter(Files::isRegularFile).toList()) {
          assertThat(p.getFileName().toString()).doesNotContain(erased);
          byte[] content = Files.readAllBytes(p);
          assertThat(indexOf(content, java.util.Arrays.copyOfRange(erasedEnvelope, erasedEnvelope.length - 64,
              erasedEnvelope.length))).as(p.toString()).isNegative();
          assertThat(new String(content, StandardCharsets.ISO_8859_1)).as(p.toString()).doesNotContain(erased)
              .doesNotContain(MARKER);
        }
      }
    }
    CliResult list = ok(ALICE, "list");
    assertThat(list.out()).doesNotContain(erased.substring(0, 12)).contains(kept.substring(0, 12));
    assertThat(as(ALICE, "show", erased).code()).isNotZero();
    assertThat(statsCsv("after")).isEqualTo(before);
    // a second sync applies nothing again
    assertThat(ok(ALICE, "sync").out()).doesNotContain("erased case");

    // seconds after the erasure, its leaf is not under a signed tree head yet: pending, not FAIL
    JsonNode early = auditWithoutNewHead();
    JsonNode pending = check(early, "erasures");
    assertThat(pending.get("status").asText()).as(pending.toString()).isEqualTo("pass");
    assertThat(pending.get("detail").asText()).contains("1 erasure decision(s) served, listing 1 object(s), are"
        + " pending");
    assertThat(early.path("erasures").path("pendingDecisions").asInt()).isEqualTo(1);
    assertThat(early.path("erasures").path("decisions").asInt()).isZero();
    JsonNode recipientsPending = check(early, "recipients");
    assertThat(recipientsPending.get("status").asText()).as(recipientsPending.toString()).isEqualTo("pass");
    assertThat(recipientsPending.get("detail").asText()).contains("1 erasure pending");

    JsonNode audit = audit();
    JsonNode erasures = check(audit, "erasures");
    assertThat(erasures.get("status").asText()).as(erasures.toString()).isEqualTo("pass");
    assertThat(erasures.get("detail").asText()).contains("1 erasure(s) verify").contains("1 object(s) erased");
    assertThat(check(audit, "recipients").get("status").asText()).isEqualTo("pass");
    assertThat(audit.path("erasures").path("byReason").path("duplicate").asInt()).isEqualTo(1);
    assertThat(audit.path("erasures").path("byBasis").path("early").asInt()).isEqualTo(1);
    assertThat(audit.path("erasures").path("pendingDecisions").asInt()).isZero();
    assertThat(erasures.get("detail").asText()).doesNotContain("pending");
  }

  @Test
  @Order(3)
  void theAuditFailsASubmissionMissingWithoutADecisionAndAForgedDecision() throws Exception {
    byte[] keptId = HexFormat.of().parseHex(kept);
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "UPDATE log_leaves SET envelope_id = NULL WHERE envelope_id = ?")) {
      p.setBytes(1, keptId);
      assertThat(p.executeUpdate()).isEqualTo(1);
    }
    JsonNode missing = check(audit(), "erasures");
    assertThat(missing.get("status").asText()).isEqualTo("fail");
    assertThat(missing.toString()).contains("is missing without an erasure decision");
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "UPDATE log_leaves SET envelope_id = ? WHERE envelope_id IS NULL AND entry_type = 1")) {
      p.setBytes(1, keptId);
      p.executeUpdate();
    }
    assertThat(check(audit(), "erasures").get("status").asText()).isEqualTo("pass");

    byte[] decision;
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT decision FROM erasures")) {
      rs.next();
      decision = rs.getBytes(1);
    }
    originalDecision = decision;
    // another case id, signatures kept: a decision nobody signed
    byte[] forged = decision.clone();
    forged[8] ^= 1;
    try (Connection c = db(); PreparedStatement p = c.prepareStatement("UPDATE erasures SET decision = ?")) {
      p.setBytes(1, forged);
      p.executeUpdate();
    }
    JsonNode bad = check(audit(), "erasures");
    assertThat(bad.get("status").asText()).isEqualTo("fail");
    assertThat(bad.toString()).contains("is not a valid erasure decision").contains("erasure leaf without a served"
        + " decision");
  }

  @Test
  @Order(4)
  void aDecisionNamingANoteAsItsRecordIsRefusedByCosignAndWarnedAboutBySync() throws Exception {
    try (Connection c = db(); PreparedStatement p = c.prepareStatement("UPDATE erasures SET decision = ?")) {
      p.setBytes(1, originalDecision);
      p.executeUpdate();
    }
    ok(ALICE, "sync");
    ok(ALICE, "note", kept, "--text", "Nota sellada " + MARKER);
    byte[] noteId;
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "SELECT event_id FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1")) {
      p.setBytes(1, HexFormat.of().parseHex(kept));
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).isTrue();
        noteId = rs.getBytes(1);
      }
    }
    ok(ALICE, "sync");
    ok(BOB, "sync");
    byte[] envelope = Files.readAllBytes(home("bob").resolve("cache/default/submissions/" + kept + ".tgenv"));
    byte[] objectHash = java.security.MessageDigest.getInstance("SHA-256").digest(envelope);
    ErasureDecision.Body body = new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(kept),
        ErasureDecision.Reason.DUPLICATE, ErasureDecision.Basis.EARLY, Instant.now(), null,
        org.testigo.crypto.event.EventId.fromBytes(noteId), List.of(objectHash));
    ErasureDecision byAlice = ErasureDecision.sign(body, ALICE.signingKey());
    Path file = DATA.resolve("note-as-record.txt");
    Files.writeString(file, byAlice.toArmored());
    long erasures = count("erasures");
    long events = count("case_events");

    CliResult cosign = as(BOB, "erase", "--cosign", file.toString());
    assertThat(cosign.code()).as(cosign.err()).isEqualTo(ExitCodes.REFUSED);
    assertThat(cosign.err()).contains("the decision names a note event as its statistical record: its sealed"
        + " content was NOT erased on the server; tell the other reviewers").contains("not co-signed");
    assertThat(count("erasures")).isEqualTo(erasures);
    assertThat(count("case_events")).isEqualTo(events);
    assertThat(cachedIds("bob")).contains(kept);

    // a server that took it anyway (two signatures, the server cannot open the event): sync warns
    ErasureDecision both = byAlice.cosign(BOB.signingKey());
    try (Connection c = db(); PreparedStatement p = c.prepareStatement("INSERT INTO erasures (seq, case_id, decision,"
        + " decision_hash, erased_day, object_count, erased_bytes) VALUES (?, ?, ?, ?, CURRENT_DATE, 1, ?)")) {
      p.setLong(1, 1000);
      p.setBytes(2, HexFormat.of().parseHex(kept));
      p.setBytes(3, both.encoded());
      p.setBytes(4, both.hash());
      p.setLong(5, envelope.length);
      p.executeUpdate();
    }
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.err()).contains("erasure of case " + kept + ": the decision names a note event as its"
        + " statistical record: its sealed content was NOT erased on the server; tell the other reviewers");
  }

  @Test
  @Order(5)
  void aCaseTheReplaySaysIsHeld_keepsItsCachedCopy_whenTheServerErasesItAnyway() throws Exception {
    String held = newCase("Retén de Tapachula, caso en retención legal. " + MARKER);
    ok(ALICE, "hold", held, "--reference", "Amparo 77/2026");
    byte[] holdId;
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "SELECT event_id FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1")) {
      p.setBytes(1, HexFormat.of().parseHex(held));
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).isTrue();
        holdId = rs.getBytes(1);
      }
    }
    ok(ALICE, "sync");
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + held + ".tgenv"));
    // Two current reviewers sign an early erasure that ignores the hold; a server takes it (the
    // server cannot see holds): alice's replay says the case is held, so her copy stays.
    ErasureDecision both = ErasureDecision.sign(new ErasureDecision.Body(
        org.testigo.crypto.event.CaseId.fromHex(held), ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY,
        Instant.now(), null, org.testigo.crypto.event.EventId.fromBytes(holdId),
        List.of(java.security.MessageDigest.getInstance("SHA-256").digest(envelope))), ALICE.signingKey())
        .cosign(BOB.signingKey());
    insertErasure(1001, held, both, envelope.length);
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.err()).contains("the server erased case " + held + ", which your replay says is under legal"
        + " hold; your cached copy is KEPT");
    assertThat(sync.out()).doesNotContain("erased case " + held.substring(0, 12));
    assertThat(cachedIds("alice")).contains(held);
    assertThat(Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + held + ".tgenv")))
        .isEqualTo(envelope);
    assertThat(ok(ALICE, "show", held, "--lang", "en").out()).contains("Amparo 77/2026");
  }

  /** The number of erased cases {@code stats --from-cache} counts from their statistical records. */
  static int erasedCounted(String name) throws Exception {
    CliResult r = ok(ALICE, "stats", "--from-cache", "--out", DATA.resolve("stats-" + name).toString(), "--min-cell",
        "2", "--from", "2000-01");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) erased case\\(s\\)").matcher(r.out());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /**
   * A seized server lists two valid decisions erasing one case (the same body dated a second
   * apart, both signed by the two reviewers: two hashes; its database without the unique key):
   * the case is erased once and counted once in the statistics, and the second decision is said
   * to have no record to keep (an outside attack counted it once per decision, four times with
   * four signer subsets, after sync began reading the index once per pass).
   */
  @Test
  @Order(6)
  void twoValidDecisionsForOneCase_fromASeizedServer_countItOnce() throws Exception {
    String twice = newCase("Retén de Huixtla, caso borrado dos veces. " + MARKER);
    int counted = erasedCounted("before-twice");
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + twice + ".tgenv"));
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(envelope);
    byte[] record = new byte[32];
    RANDOM.nextBytes(record);
    try (Connection c = db(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE erasures DROP INDEX erasures_case_unique");
    }
    for (int i = 0; i < 2; i++) {
      ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(twice),
          ErasureDecision.Reason.DUPLICATE, ErasureDecision.Basis.EARLY, Instant.now().minusSeconds(i), null,
          org.testigo.crypto.event.EventId.fromBytes(record), List.of(hash)), ALICE.signingKey())
          .cosign(BOB.signingKey());
      insertErasure(1002 + i, twice, d, envelope.length);
    }
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.out()).contains("erased case " + twice.substring(0, 12));
    assertThat(sync.err()).contains("no statistical record of erased case " + twice)
        // the case has no events here, so its erasure event is missing too: said all the same
        .contains("erasure of case " + twice + ": the decision's statistical record event");
    assertThat(cachedIds("alice")).doesNotContain(twice);
    assertThat(erasedCounted("after-twice")).isEqualTo(counted + 1);
    ok(ALICE, "sync");
    assertThat(erasedCounted("after-twice-again")).isEqualTo(counted + 1);
  }

  /**
   * A seized server serves one of a case's events with a broken signature (sync keeps it, says
   * it does not verify, and history shows it), then erases the case: the erasure deletes that
   * event's cached file too, so no sealed content of the erased case stays on the reviewer's
   * disk (an outside attack found it kept: only events that verified were deleted).
   */
  @Test
  @Order(7)
  void anErasureAlsoDeletesTheCasesCachedEventsThatDoNotVerify() throws Exception {
    String forged = newCase("Retén de Arriaga, evento alterado. " + MARKER);
    ok(ALICE, "note", forged, "--text", "nota del caso");
    // the note's event served again under a new sequence number with its last byte flipped
    assertThat(serveAgain(forged, forged,
        "CONCAT(LEFT(event_bytes, LENGTH(event_bytes) - 1), CHAR(ASCII(RIGHT(event_bytes, 1)) ^ 1))")).isEqualTo(1);
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.out()).contains("that do not verify");
    assertThat(cachedEventsOf(forged)).hasSize(2);
    // the copy that does not verify keeps no sealed content
    assertThat(cachedEventsOf(forged).stream().filter(f -> contentOf(f).isEmpty()).count()).isEqualTo(1);
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + forged + ".tgenv"));
    byte[] record = new byte[32];
    RANDOM.nextBytes(record);
    ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(forged),
        ErasureDecision.Reason.DUPLICATE, ErasureDecision.Basis.EARLY, Instant.now(), null,
        org.testigo.crypto.event.EventId.fromBytes(record),
        List.of(java.security.MessageDigest.getInstance("SHA-256").digest(envelope))), ALICE.signingKey())
        .cosign(BOB.signingKey());
    insertErasure(1004, forged, d, envelope.length);
    CliResult erasing = ok(ALICE, "sync");
    assertThat(erasing.out()).contains("erased case " + forged.substring(0, 12)).contains("2 event(s) deleted");
    assertThat(cachedIds("alice")).doesNotContain(forged);
    assertThat(cachedEventsOf(forged)).isEmpty();
  }

  /**
   * A seized server lists two valid decisions for one case, one whose object list leaves the
   * report out (it deletes the case's events) and one that lists it (it deletes the report):
   * the summary counts one erased case (an outside attack saw "2 erased case(s)"), and an event
   * that arrived in the same sync and was deleted by it is not counted as new.
   */
  @Test
  @Order(8)
  void twoDecisionsEachDeletingPartOfOneCase_countOneErasedCase() throws Exception {
    String split = newCase("Retén de Tonalá, borrado en dos partes. " + MARKER);
    ok(BOB, "sync");
    ok(BOB, "note", split, "--text", "nota");
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + split + ".tgenv"));
    byte[] other = new byte[32];
    RANDOM.nextBytes(other);
    try (Connection c = db(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE erasures DROP INDEX IF EXISTS erasures_case_unique");
    }
    int i = 0;
    for (byte[] listed : List.of(other, java.security.MessageDigest.getInstance("SHA-256").digest(envelope))) {
      byte[] record = new byte[32];
      RANDOM.nextBytes(record);
      ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(split),
          ErasureDecision.Reason.DUPLICATE, ErasureDecision.Basis.EARLY, Instant.now().minusSeconds(i), null,
          org.testigo.crypto.event.EventId.fromBytes(record), List.of(listed)), ALICE.signingKey())
          .cosign(BOB.signingKey());
      insertErasure(1005 + i++, split, d, envelope.length);
    }
    CliResult sync = ok(ALICE, "sync");
    // bob's note arrives and is erased in this same sync: it is no new case event
    assertThat(sync.out()).contains("1 erased case(s) removed").contains(" 0 new case event(s)")
        .contains("1 event(s) deleted");
    assertThat(cachedIds("alice")).doesNotContain(split);
  }

  /**
   * Two reviewers whose keys were revoked since sign an early erasure dated back to when they
   * were valid, and a seized server serves it: sync keeps the cached copy and says why (an
   * outside attack saw it deleted without a word; the server's own rule, signers valid now,
   * was not applied by the reviewer's tool).
   */
  @Test
  @Order(9)
  void aBackDatedDecisionSignedByRevokedKeys_isRefusedBySync() throws Exception {
    String target = newCase("Retén de Pijijiapan, caso que alguien quiere borrar. " + MARKER);
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + target + ".tgenv"));
    byte[] record = new byte[32];
    RANDOM.nextBytes(record);
    ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(target),
        ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY, T0.minus(Duration.ofSeconds(90)), null,
        org.testigo.crypto.event.EventId.fromBytes(record),
        List.of(java.security.MessageDigest.getInstance("SHA-256").digest(envelope))), CAROL.signingKey())
        .cosign(DAVE.signingKey());
    insertErasure(1007, target, d, envelope.length);
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.err()).contains("the server applied an erasure of case " + target + " signed by a key that is no"
        + " longer a reviewer's").contains("your cached copy is KEPT");
    assertThat(sync.out()).doesNotContain("erased case " + target.substring(0, 12));
    assertThat(cachedIds("alice")).contains(target);
    assertThat(Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + target + ".tgenv")))
        .isEqualTo(envelope);
  }

  /**
   * A seized server serves a case's sealed note again as an event that does not parse, listed
   * under another case: the reviewer keeps the listing (history shows a refused event) but not
   * the sealed content, so erasing the first case leaves none of its content on disk (an outside
   * attack found the copy kept: the erasure looked only at events naming the erased case).
   */
  @Test
  @Order(10)
  void anEventThatDoesNotVerify_keepsNoSealedContent_underWhateverCaseItIsListed() throws Exception {
    String source = newCase("Retén de Mapastepec, nota copiada. " + MARKER);
    String other = newCase("Retén de Escuintla, otro caso. " + MARKER);
    ok(ALICE, "note", source, "--text", "nota sellada");
    String sealed;
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "SELECT content FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1")) {
      p.setBytes(1, HexFormat.of().parseHex(source));
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).isTrue();
        sealed = java.util.Base64.getEncoder().encodeToString(rs.getBytes(1));
      }
    }
    assertThat(serveAgain(source, other, "CONCAT(CHAR(0), event_bytes)")).isEqualTo(1);
    assertThat(ok(ALICE, "sync").out()).contains("(and 1 that do not verify");
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.list(home("alice").resolve("cache/default/events"))) {
      files.filter(f -> contentOf(f).equals(sealed)).forEach(holding::add);
    }
    assertThat(holding).as("only the note that verifies holds its sealed content").hasSize(1);
    assertThat(cachedEventsOf(other)).hasSize(1).allSatisfy(f -> assertThat(contentOf(f)).isEmpty());
  }

  /**
   * One reviewer alone signs a policy erasure a seized server serves: dated 400 days ahead (its
   * policy day then looks passed for a case filed today), or honestly dated for a case the
   * server lists as received 400 days ago but that is still open. Sync keeps the cached copy
   * in both and says why (an outside attack had one signature erase a new case everywhere).
   */
  @Test
  @Order(11)
  void aSingleSignaturePolicyErasure_futureDatedOrOfACaseNotDue_isKeptBySync() throws Exception {
    String fresh = newCase("Caso nuevo que un solo revisor quiere borrar. " + MARKER);
    Instant future = T0.plus(Duration.ofDays(400));
    insertErasure(1008, fresh, policyDecision(fresh, future), 1);
    CliResult sync = ok(ALICE, "sync");
    assertThat(sync.err()).contains("the server applied an erasure of case " + fresh + " dated " + future
        + ", in the future; your cached copy is KEPT");
    assertThat(cachedIds("alice")).contains(fresh);

    // filed, then listed by the server as received 400 days ago before alice first syncs it
    java.util.Set<String> before = new java.util.HashSet<>(serverIds());
    report("Caso abierto, fechado por el servidor hace 400 días. " + MARKER, "CHP");
    List<String> added = new ArrayList<>(serverIds());
    added.removeAll(before);
    assertThat(added).hasSize(1);
    String old = added.get(0);
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "UPDATE envelopes SET received_day = DATE_SUB(CURRENT_DATE, INTERVAL 400 DAY) WHERE id = ?")) {
      p.setBytes(1, HexFormat.of().parseHex(old));
      assertThat(p.executeUpdate()).isEqualTo(1);
    }
    ok(ALICE, "sync");
    assertThat(cachedIds("alice")).contains(old);
    insertErasure(1009, old, policyDecision(old, Instant.now()), 1);
    CliResult notDue = ok(ALICE, "sync");
    assertThat(notDue.err()).contains("the server erased case " + old + ", by a decision that says the policy made it"
        + " due, but your replay of its events says it was not due").contains("your cached copy is KEPT")
        .contains("run sync --rescan once it has");
    assertThat(cachedIds("alice")).contains(old);
  }

  /** A policy erasure of {@code caseId} dated {@code at} (its policy day that day), signed by bob alone. */
  static ErasureDecision policyDecision(String caseId, Instant at) throws Exception {
    byte[] envelope = Files.readAllBytes(home("alice").resolve("cache/default/submissions/" + caseId + ".tgenv"));
    byte[] record = new byte[32];
    RANDOM.nextBytes(record);
    return ErasureDecision.sign(new ErasureDecision.Body(org.testigo.crypto.event.CaseId.fromHex(caseId),
        ErasureDecision.Reason.RETENTION_DUE, ErasureDecision.Basis.POLICY, at,
        java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC), org.testigo.crypto.event.EventId.fromBytes(record),
        List.of(java.security.MessageDigest.getInstance("SHA-256").digest(envelope))), BOB.signingKey());
  }

  /** The ids of every envelope the server stores. */
  static List<String> serverIds() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM envelopes")) {
      while (rs.next()) {
        out.add(HexFormat.of().formatHex(rs.getBytes(1)));
      }
    }
    return out;
  }

  /**
   * As a seized server: serves the latest event of {@code ofCase} again, under a new sequence
   * number, listed under {@code underCase}, its bytes replaced by the SQL expression
   * {@code eventBytes} (over the column {@code event_bytes}). The number of rows written.
   */
  static int serveAgain(String ofCase, String underCase, String eventBytes) throws Exception {
    try (Connection c = db(); PreparedStatement p = c.prepareStatement(
        "INSERT INTO case_events (event_id, case_id, author_fingerprint, received_epoch_second, event_size,"
            + " content_size, event_bytes, content) SELECT UNHEX(SHA2(CONCAT(event_id, 'again'), 256)), ?,"
            + " author_fingerprint, received_epoch_second, LENGTH(" + eventBytes + "), content_size, " + eventBytes
            + ", content FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1")) {
      p.setBytes(1, HexFormat.of().parseHex(underCase));
      p.setBytes(2, HexFormat.of().parseHex(ofCase));
      return p.executeUpdate();
    }
  }

  /** The sealed content (base64) a cached event file holds. */
  static String contentOf(Path eventFile) {
    try {
      return JSON.readTree(eventFile.toFile()).path("content").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The cached event files whose server listing names {@code caseId}. */
  static List<Path> cachedEventsOf(String caseId) throws IOException {
    try (Stream<Path> s = Files.list(home("alice").resolve("cache/default/events"))) {
      return s.filter(f -> {
        try {
          return JSON.readTree(f.toFile()).path("caseId").asText().equals(caseId);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  /** Files a report through the form and syncs alice; the new case's id. */
  static String newCase(String narrative) throws Exception {
    List<String> before = cachedIds("alice");
    report(narrative, "CHP");
    ok(ALICE, "sync");
    List<String> now = new java.util.ArrayList<>(cachedIds("alice"));
    now.removeAll(before);
    assertThat(now).hasSize(1);
    return now.get(0);
  }

  /** An erasure row written straight into the database, as a server that applies decisions unchecked would. */
  static void insertErasure(long seq, String caseId, ErasureDecision d, long bytes) throws Exception {
    try (Connection c = db(); PreparedStatement p = c.prepareStatement("INSERT INTO erasures (seq, case_id, decision,"
        + " decision_hash, erased_day, object_count, erased_bytes) VALUES (?, ?, ?, ?, CURRENT_DATE, 1, ?)")) {
      p.setLong(1, seq);
      p.setBytes(2, HexFormat.of().parseHex(caseId));
      p.setBytes(3, d.encoded());
      p.setBytes(4, d.hash());
      p.setLong(5, bytes);
      p.executeUpdate();
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

package org.testigo.cli.audit;

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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.challenge.PossessionChallenge;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.log.LogSigningKey;
import org.testigo.server.storage.TransparencyLog;

/**
 * {@code audit verify}'s case-event and challenge checks and the {@code audit challenge}
 * commands, in-process against the real intake server (demo organisation, H2): a report, a
 * triage event, a challenge issued by the auditor and answered by the demo reviewer. The
 * dishonest cases change the database as a compromised server could and re-sign tree heads
 * with the server's own log key; each is audited with a fresh auditor state (trust on first
 * use), so only the check under test can fail.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChallengeCliTest {
  static final Path DATA = temp("testigo-audit2-data");
  static final Path HOME = temp("testigo-audit2-home");
  static final Path WORK = temp("testigo-audit2-work");
  static final SecureRandom RANDOM = new SecureRandom();
  static final HexFormat HEX = HexFormat.of();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("log.treeHeadIntervalSeconds", "3600"));
  static String reportId;
  static long clockMillis;
  static int stateDirs;


  static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static CliResult cli(String... args) {
    return CliResult.run(args);
  }

  static CliResult reviewer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString(), "-k", DATA.resolve("demo/reviewer.keystore").toString(),
        "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    return cli(all.toArray(String[]::new));
  }

  static String source() {
    return "http://127.0.0.1:" + APP.getLocalPort() + "/";
  }

  static String root() throws Exception {
    return Files.readString(DATA.resolve("root-fingerprint")).strip();
  }

  static Jdbi jdbi() {
    return Jdbi.create(() -> DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", ""))
        .installPlugin(new SqlObjectPlugin());
  }

  /** A tree head over every committed leaf, signed with the server's log key as the server would. */
  static void signNow() throws Exception {
    LogSigningKey key = LogSigningKey.load(DATA.resolve("log-key"));
    clockMillis = Math.max(clockMillis + 1_000, System.currentTimeMillis());
    new TransparencyLog(jdbi()).signTreeHead(key, clockMillis);
  }

  static Path freshState() throws IOException {
    return Files.createDirectories(WORK.resolve("state-" + (++stateDirs)));
  }

  static CliResult audit(Path stateDir, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--server", source(), "--root", root(),
        "--state-dir", stateDir.toString(), "--json"));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  static JsonNode check(CliResult r, String name) throws Exception {
    for (JsonNode c : new ObjectMapper().readTree(r.out()).path("checks")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + r.out() + r.err());
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  /** Stores a case event directly, as a dishonest server could, with or without its log leaf. */
  static void storeEvent(byte[] encoded, SigningPrivateKey author, boolean logged) throws Exception {
    byte[] eventId = sha256(java.util.Arrays.copyOf(encoded, encoded.length - 64));
    jdbi().useTransaction(h -> {
      h.createUpdate("INSERT INTO case_events (event_id, case_id, author_fingerprint, received_epoch_second,"
          + " event_size, content_size, event_bytes, content) VALUES (:e, :c, :a, :r, :es, 1, :b, :content)")
          .bind("e", eventId).bind("c", HEX.parseHex(reportId)).bind("a", author.publicKey().fingerprint().toBytes())
          .bind("r", Instant.now().getEpochSecond()).bind("es", encoded.length).bind("b", encoded)
          .bind("content", new byte[] {0}).execute();
      if (logged) {
        try {
          new TransparencyLog(jdbi()).append(LogLeaf.of(LogLeaf.EntryType.CASE_EVENT, Instant.now(), sha256(encoded)), h);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
  }

  @Test
  @Order(1)
  void caseEvents_aTriageEventIsLoggedAndItsSignatureAndAuthorVerify() throws Exception {
    assertThat(cli("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", root(), "--home",
        HOME.toString()).code()).isZero();
    String b = "----Audit2Cli";
    StringBuilder body = new StringBuilder();
    for (String[] f : new String[][] {{"version", "1"}, {"lang", "en"}, {"what", "extortion"}, {"who", "inm"},
        {"narrative", "They asked for money."}, {"wants", "reply"}}) {
      body.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    body.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(source() + "report?lang=en"))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
    try (Stream<Path> s = Files.list(HOME.resolve("cache/default/submissions"))) {
      reportId = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tgenv")).findFirst().orElseThrow()
          .replace(".tgenv", "");
    }
    CliResult ack = reviewer("ack", reportId);
    assertThat(ack.code()).as(ack.err()).isZero();
    signNow();

    CliResult a = audit(freshState());
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    JsonNode c = check(a, "case-events");
    assertThat(c.path("status").asText()).isEqualTo("pass");
    assertThat(c.path("detail").asText()).contains("each of the 1 case-event entries");
    JsonNode ch = check(a, "challenges");
    assertThat(ch.path("status").asText()).isEqualTo("warn");
    assertThat(ch.path("failures").toString()).contains("demo-reviewer: never proven");

    // an event newer than the latest tree head is not yet in it, and that is no failure
    CliResult p = reviewer("priority", reportId, "high");
    assertThat(p.code()).as(p.err()).isZero();
    CliResult newer = audit(freshState());
    assertThat(check(newer, "case-events").path("status").asText()).isEqualTo("pass");
    assertThat(check(newer, "case-events").path("detail").asText()).contains("1 newer event(s) wait");
    signNow();
    assertThat(check(audit(freshState()), "case-events").path("detail").asText())
        .contains("each of the 2 case-event entries");
  }

  @Test
  @Order(2)
  void challenge_issuedByTheAuditorAnsweredByTheReviewerIsLoggedAndProvesPossession() throws Exception {
    Path state = WORK.resolve("auditor");
    Path file = WORK.resolve("c1.tchal");
    CliResult unknown = cli("audit", "challenge", "issue", "--server", source(), "--root", root(), "--reviewer", "nobody",
        "--out", WORK.resolve("x.tchal").toString(), "--state-dir", state.toString());
    assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unknown.err()).contains("no reviewer 'nobody'");
    assertThat(Files.exists(WORK.resolve("x.tchal"))).isFalse();

    CliResult issued = cli("audit", "challenge", "issue", "--server", source(), "--root", root(), "--reviewer",
        "demo-reviewer", "--out", file.toString(), "--state-dir", state.toString());
    assertThat(issued.code()).as(issued.err()).isZero();
    assertThat(issued.out()).contains("for demo-reviewer").contains("audit challenge answer");
    PossessionChallenge c = PossessionChallenge.parse(Files.readAllBytes(file));
    assertThat(Files.readString(ChallengeLedger.file(AuditState.file(state, URI.create(source())))))
        .contains(c.idHex()).doesNotContain(HEX.formatHex(c.commitment()));
    CliResult again = cli("audit", "challenge", "issue", "--server", source(), "--root", root(), "--reviewer",
        "demo-reviewer", "--out", file.toString(), "--state-dir", state.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);

    // the server has not seen the challenge: nothing about it is stored before the answer
    assertThat(count("possession_challenges")).isZero();
    CliResult answered = reviewer("audit", "challenge", "answer", file.toString());
    assertThat(answered.code()).as(answered.err()).isZero();
    assertThat(answered.out()).contains("Answered challenge " + c.idHex());
    long leaves = count("log_leaves");
    CliResult replay = reviewer("audit", "challenge", "answer", file.toString());
    assertThat(replay.code()).isEqualTo(ExitCodes.SERVER);
    assertThat(replay.err()).contains("answered only once");
    assertThat(count("log_leaves")).isEqualTo(leaves);
    assertThat(count("possession_challenges")).isEqualTo(1);
    signNow();

    CliResult status = cli("audit", "challenge", "status", "--server", source(), "--root", root(), "--state-dir",
        state.toString(), "--strict");
    assertThat(status.code()).as(status.out() + status.err()).isZero();
    assertThat(status.out()).containsPattern("demo-reviewer\\s+proven\\s+last passed here: \\d{4}-\\d{2}-\\d{2}");
    CliResult verify = audit(state);
    assertThat(check(verify, "challenges").path("status").asText()).isEqualTo("pass");
    assertThat(verify.code()).isZero();

    // another auditor did not issue it: it proves nothing to them
    CliResult other = cli("audit", "challenge", "status", "--server", source(), "--root", root(), "--state-dir",
        freshState().toString(), "--strict");
    assertThat(other.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(other.out()).containsPattern("demo-reviewer\\s+issuer-unknown");
    // a proof older than the maximum age is stale: tested through the policy's clock
    ChallengeCheck.Policy later = new ChallengeCheck.Policy(Duration.ofDays(30),
        ChallengeLedger.issuedIds(ChallengeLedger.file(AuditState.file(state, URI.create(source())))),
        Instant.now().plus(Duration.ofDays(45)));
    AuditReport report = new LogAudit(new LogClient(URI.create(source())),
        org.testigo.crypto.Fingerprint.fromHex(root()), later).run(java.util.Optional.empty()).report();
    assertThat(report.statusOf("challenges")).isEqualTo(AuditReport.Status.WARN);
    assertThat(report.facts.path("possession").get(0).path("state").asText()).isEqualTo("stale");
  }

  @Test
  @Order(3)
  void challengeAnswer_refusesGarbageAndAChallengeForAnotherReviewer() throws Exception {
    Path garbage = Files.write(WORK.resolve("garbage.tchal"), new byte[] {1, 2, 3});
    CliResult g = reviewer("audit", "challenge", "answer", garbage.toString());
    assertThat(g.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(g.err()).contains("not a v1 possession challenge");
    ReviewerIdentity stranger = ReviewerIdentity.generate("stranger", RANDOM);
    PossessionChallenge c = PossessionChallenge.issue(stranger.signingKey().publicKey(),
        stranger.encryptionKey().publicKey(), Instant.now(), RANDOM);
    Path other = Files.write(WORK.resolve("other.tchal"), c.encoded());
    long before = count("possession_challenges");
    CliResult o = reviewer("audit", "challenge", "answer", other.toString());
    assertThat(o.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(o.err()).contains("for another reviewer");
    assertThat(count("possession_challenges")).isEqualTo(before);
  }

  @Test
  @Order(4)
  void caseEvents_anEventMissingFromTheLogIsReportedAsFail() throws Exception {
    SigningPrivateKey someone = SigningPrivateKey.generate(RANDOM);
    byte[] unlogged = SignedCaseEvent.sign(someone, CaseId.fromHex(reportId), 7, List.of(),
        Instant.now().minus(Duration.ofDays(2)), new byte[] {9}).encoded();
    storeEvent(unlogged, someone, false);
    try {
      signNow();
      CliResult a = audit(freshState());
      assertThat(a.code()).isEqualTo(ExitCodes.CRYPTO);
      JsonNode c = check(a, "case-events");
      assertThat(c.path("status").asText()).isEqualTo("fail");
      assertThat(c.path("failures").toString()).contains("is NOT in the log");
    } finally {
      jdbi().useHandle(h -> h.createUpdate("DELETE FROM case_events WHERE event_bytes = :b").bind("b", unlogged).execute());
    }
    assertThat(check(audit(freshState()), "case-events").path("status").asText()).isEqualTo("pass");
  }

  @Test
  @Order(5)
  void caseEvents_anAlteredStoredEventIsReportedAsFail() throws Exception {
    byte[] original = jdbi().withHandle(h -> h.createQuery("SELECT event_bytes FROM case_events ORDER BY seq")
        .mapTo(byte[].class).list()).get(0);
    byte[] altered = original.clone();
    altered[1 + 16 + 32 + 8 + 8 + 3] ^= 1; // inside the content hash
    jdbi().useHandle(h -> h.createUpdate("UPDATE case_events SET event_bytes = :a WHERE event_bytes = :o").bind("a", altered)
        .bind("o", original).execute());
    try {
      CliResult a = audit(freshState());
      JsonNode c = check(a, "case-events");
      assertThat(c.path("status").asText()).isEqualTo("fail");
      assertThat(c.path("failures").toString()).contains("serves no case event with this hash");
      assertThat(a.code()).isEqualTo(ExitCodes.CRYPTO);
    } finally {
      jdbi().useHandle(h -> h.createUpdate("UPDATE case_events SET event_bytes = :o WHERE event_bytes = :a").bind("o", original)
          .bind("a", altered).execute());
    }
    assertThat(check(audit(freshState()), "case-events").path("status").asText()).isEqualTo("pass");
  }

  @Test
  @Order(6)
  void caseEvents_aForgedSignatureAndAnEventByAKeyNotInTheManifestAreReportedAsFail() throws Exception {
    SigningPrivateKey outsider = SigningPrivateKey.generate(RANDOM);
    byte[] byOutsider = SignedCaseEvent.sign(outsider, CaseId.fromHex(reportId), 5, List.of(), Instant.now(),
        new byte[] {1}).encoded();
    storeEvent(byOutsider, outsider, true);
    byte[] forged = SignedCaseEvent.sign(outsider, CaseId.fromHex(reportId), 6, List.of(), Instant.now(),
        new byte[] {2}).encoded();
    forged[forged.length - 5] ^= 0x40; // the signature
    storeEvent(forged, outsider, true);
    signNow();
    CliResult a = audit(freshState());
    assertThat(a.code()).isEqualTo(ExitCodes.CRYPTO);
    JsonNode c = check(a, "case-events");
    assertThat(c.path("status").asText()).isEqualTo("fail");
    assertThat(c.path("failures").toString()).contains("which is not a reviewer or admin valid then")
        .contains("signature does NOT verify");
    assertThat(c.path("failures")).hasSize(2);
    // the other checks still hold: only the case events are wrong
    assertThat(check(a, "leaves-match-root").path("status").asText()).isEqualTo("pass");
    assertThat(check(a, "challenges").path("status").asText()).isNotEqualTo("fail");
  }

  /** Rows in {@code table}; for the log, after every pending leaf got its index (no race with the server's sequencer). */
  static long count(String table) {
    if (table.equals("log_leaves")) {
      new TransparencyLog(jdbi()).sequence(); // moves every committed pending leaf
    }
    return jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }
}

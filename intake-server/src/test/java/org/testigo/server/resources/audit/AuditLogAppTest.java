package org.testigo.server.resources.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.challenge.ChallengeAnswer;
import org.testigo.crypto.challenge.PossessionChallenge;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.resources.reviewer.ReviewerRequests;
import org.testigo.server.storage.TestDatabase;

/**
 * The real server on the real MariaDB: case events become CASE_EVENT leaves in the storing
 * transaction; answers to possession challenges are verified, stored once and logged as
 * CHALLENGE leaves; the public audit feeds serve what an auditor checks. Every refused
 * request is checked to change nothing stored.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLogAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HexFormat HEX = HexFormat.of();
  static final Path DATA = tempDir();
  static final TestDatabase DB = TestDatabase.mariadb();
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  static final String ROOT_FINGERPRINT = organisation();
  static String reportId;
  static byte[] eventEncoded;
  static byte[] challengeBody;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("database.type", "MARIADB"),
      ConfigOverride.config("database.url", DB.url()),
      ConfigOverride.config("database.user", "root"),
      ConfigOverride.config("database.passwordFile", DATA.resolve("db-password").toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("log.treeHeadIntervalSeconds", "3600"));

  static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("testigo-audit2-");
      Files.writeString(d.resolve("db-password"), "\n");
      return d;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String organisation() {
    try {
      Instant now = Instant.now();
      SigningPrivateKey root = SigningPrivateKey.generate(RANDOM);
      SigningPrivateKey log = SigningPrivateKey.generate(RANDOM);
      KeyManifest m = new KeyManifest(0, null, "Audit test organisation", root.publicKey(), log.publicKey(),
          List.of(ReviewerEntry.of(ALICE.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minusSeconds(300),
                  now.plus(Duration.ofDays(30))),
              ReviewerEntry.of(BOB.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minusSeconds(300),
                  now.plus(Duration.ofDays(30))),
              ReviewerEntry.of(CAROL.publicBundle(), ReviewerEntry.ROLE_AUDITOR, now.minusSeconds(300),
                  now.plus(Duration.ofDays(30)))),
          now);
      Files.writeString(DATA.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(SignedManifest.sign(m, root))));
      String fp = KeyManifest.rootFingerprint(root.publicKey()).hex();
      Files.writeString(DATA.resolve("root-fingerprint"), fp + "\n");
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      Files.write(DATA.resolve("deployment-secret"), secret);
      Path logKey = Files.write(DATA.resolve("log-key"), log.exposeSecret());
      Files.setPosixFilePermissions(logKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return fp;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  static URI reviewer(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + APP.getPort(1) + pathAndQuery);
  }

  /**
   * The reviewer API's own client, signing as {@code who}, for the ordinary calls ({@link ReviewerRequests}
   * for the deliberately malformed ones).
   */
  static ReviewerApiClient client(ReviewerIdentity who) {
    return ReviewerRequests.client(reviewer(""), who);
  }

  static URI source(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + APP.getLocalPort() + pathAndQuery);
  }

  /**
   * Gives every pending log leaf its index now (as the server's background sequencer would a
   * moment later), so counts and leaves read next are exact and not racing it.
   */
  static void sequenceLog() {
    new org.testigo.server.storage.TransparencyLog(DB.jdbi()).sequence(); // moves every committed pending leaf
  }

  /** Row counts of everything an answer or event could change, and the log's leaves. */
  static Map<String, Object> stored() {
    sequenceLog();
    Map<String, Object> m = new LinkedHashMap<>();
    for (String t : List.of("case_events", "possession_challenges", "log_leaves", "envelopes")) {
      m.put(t, DB.count(t));
    }
    m.put("leaves", DB.jdbi().withHandle(h -> h.createQuery("SELECT leaf FROM log_leaves ORDER BY idx")
        .mapTo(byte[].class).list()).stream().map(HEX::formatHex).toList());
    return m;
  }

  static List<LogLeaf> leaves() throws Exception {
    sequenceLog();
    return DB.jdbi().withHandle(h -> h.createQuery("SELECT leaf FROM log_leaves ORDER BY idx").mapTo(byte[].class)
        .list()).stream().map(b -> {
          try {
            return LogLeaf.parse(b);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).toList();
  }

  static List<LogLeaf> leavesOf(LogLeaf.EntryType type) throws Exception {
    return leaves().stream().filter(l -> l.type() == type).toList();
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String submitReport() throws Exception {
    String b = "----Audit2Boundary";
    StringBuilder s = new StringBuilder();
    for (String[] f : new String[][] {{"version", "1"}, {"lang", "es"}, {"what", "extortion"}, {"who", "inm"},
        {"state", "CHP"}, {"narrative", "Nos pidieron dinero."}, {"wants", "reply"}}) {
      s.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    s.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/report?lang=es"))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(s.toString(), StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static byte[] eventBody(SigningPrivateKey author, byte[] sealed) {
    SignedCaseEvent event = SignedCaseEvent.sign(author, CaseId.fromHex(reportId), 1, List.of(), Instant.now(), sealed);
    return LengthPrefixed.join(event.encoded(), sealed);
  }

  static byte[] sealedEventContent(List<RecipientPublicKey> to) throws Exception {
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("{\"v\":1,\"type\":\"acknowledge\"}".getBytes(StandardCharsets.UTF_8)),
        sealed, to, Envelope.CONTEXT_CASE_EVENT, RANDOM);
    return sealed.toByteArray();
  }

  static byte[] answerBody(PossessionChallenge c, byte[] answer) {
    return LengthPrefixed.join(c.encoded(), answer);
  }

  static PossessionChallenge challengeTo(ReviewerIdentity who) {
    return PossessionChallenge.issue(who.signingKey().publicKey(), who.encryptionKey().publicKey(), Instant.now(),
        RANDOM);
  }

  static byte[] answered(PossessionChallenge c, ReviewerIdentity who, Instant at) throws Exception {
    return ChallengeAnswer.sign(c, c.openNonce(who.encryptionKey()), who.signingKey(), at).encoded();
  }

  static HttpResponse<byte[]> postAnswer(ReviewerIdentity signer, byte[] body) throws Exception {
    return ReviewerRequests.signed(signer.signingKey(), "POST", reviewer("/api/v1/reviewer/challenges"), body).send();
  }

  @Test
  @Order(1)
  void caseEvent_isLoggedOnceAsACaseEventLeafOverItsStoredEncoding() throws Exception {
    submitReport();
    reportId = client(ALICE).submissions(0, 10).items().get(0).id();
    assertThat(leavesOf(LogLeaf.EntryType.CASE_EVENT)).isEmpty();

    byte[] content = sealedEventContent(List.of(ALICE.encryptionKey().publicKey(), BOB.encryptionKey().publicKey()));
    byte[] body = eventBody(ALICE.signingKey(), content);
    eventEncoded = java.util.Arrays.copyOfRange(body, 2, 2 + (((body[0] & 0xff) << 8) | (body[1] & 0xff)));
    URI post = reviewer("/api/v1/reviewer/cases/" + reportId + "/events");

    Map<String, Object> before = stored();
    byte[] tampered = body.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", post, tampered).send().statusCode()).isEqualTo(400);
    assertThat(stored()).isEqualTo(before);

    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", post, body).send().statusCode()).isEqualTo(201);
    List<LogLeaf> events = leavesOf(LogLeaf.EntryType.CASE_EVENT);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).objectHash()).isEqualTo(sha256(eventEncoded));
    byte[] storedEvent = DB.jdbi().withHandle(h -> h.createQuery("SELECT event_bytes FROM case_events")
        .mapTo(byte[].class).one());
    assertThat(storedEvent).isEqualTo(eventEncoded);

    Map<String, Object> afterFirst = stored();
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", post, body).send().statusCode()).isEqualTo(200);
    assertThat(stored()).isEqualTo(afterFirst);
  }

  @Test
  @Order(2)
  void caseEventFeed_servesTheSignedEncodingsWithoutContentAndRefusesBadParameters() throws Exception {
    HttpResponse<String> r = get(source("/api/v1/audit/case-events?after=0&limit=10"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode page = JSON.readTree(r.body());
    assertThat(page.get("items")).hasSize(1);
    JsonNode item = page.get("items").get(0);
    assertThat(item.get("event").asText()).isEqualTo(HEX.formatHex(eventEncoded));
    assertThat(item.has("content")).isFalse();
    assertThat(page.get("more").asBoolean()).isFalse();
    assertThat(JSON.readTree(get(source("/api/v1/audit/case-events?after=" + item.get("seq").asLong())).body())
        .get("items")).isEmpty();

    Map<String, Object> before = stored();
    for (String q : List.of("after=-1", "after=abc", "limit=0", "limit=1001", "limit=99999999999999999999",
        "after=1e3")) {
      for (String feed : List.of("case-events", "challenges")) {
        HttpResponse<String> bad = get(source("/api/v1/audit/" + feed + "?" + q));
        assertThat(bad.statusCode()).as(feed + "?" + q).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"code\":400,\"message\":\"The request is not valid.\"}");
      }
    }
    assertThat(stored()).isEqualTo(before);
    // public feeds are on the source port only
    assertThat(get(reviewer("/api/v1/audit/case-events")).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void challengeAnswer_isVerifiedStoredAndLoggedAsAChallengeLeaf() throws Exception {
    PossessionChallenge c = challengeTo(ALICE);
    byte[] answer = answered(c, ALICE, Instant.now());
    challengeBody = answerBody(c, answer);
    HttpResponse<byte[]> r = postAnswer(ALICE, challengeBody);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    assertThat(JSON.readTree(r.body()).get("challengeId").asText()).isEqualTo(c.idHex());
    List<LogLeaf> logged = leavesOf(LogLeaf.EntryType.CHALLENGE);
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0).objectHash()).isEqualTo(sha256(answer));

    JsonNode page = JSON.readTree(get(source("/api/v1/audit/challenges")).body());
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("challenge").asText()).isEqualTo(HEX.formatHex(c.encoded()));
    assertThat(page.get("items").get(0).get("answer").asText()).isEqualTo(HEX.formatHex(answer));
  }

  @Test
  @Order(4)
  void challengeAnswer_replayedOrAnsweredAgainIsRefusedWith409AndChangesNothing() throws Exception {
    Map<String, Object> before = stored();
    HttpResponse<byte[]> replay = postAnswer(ALICE, challengeBody);
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(new String(replay.body(), StandardCharsets.UTF_8)).contains("answered before");
    // a fresh answer (another time, so other bytes) to the same challenge
    int n = ((challengeBody[0] & 0xff) << 8) | (challengeBody[1] & 0xff);
    PossessionChallenge c = PossessionChallenge.parse(java.util.Arrays.copyOfRange(challengeBody, 2, 2 + n));
    byte[] again = answered(c, ALICE, Instant.now().minusSeconds(30));
    assertThat(postAnswer(ALICE, answerBody(c, again)).statusCode()).isEqualTo(409);
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void challengeAnswer_wrongForgedOrMisaddressedIsRefusedAndChangesNothing() throws Exception {
    PossessionChallenge toAlice = challengeTo(ALICE);
    byte[] good = answered(toAlice, ALICE, Instant.now());
    PossessionChallenge toBob = challengeTo(BOB);
    byte[] bobs = answered(toBob, BOB, Instant.now());
    // Alice's signing key, but sealed to Bob's X-Wing key: Alice cannot open it, and the server
    // refuses it even with the right nonce (signed by Alice, but not sealed to her key)
    PossessionChallenge crossed = PossessionChallenge.issue(ALICE.signingKey().publicKey(),
        BOB.encryptionKey().publicKey(), Instant.now(), RANDOM);
    byte[] crossedAnswer = ChallengeAnswer.sign(crossed, crossed.openNonce(BOB.encryptionKey()), ALICE.signingKey(),
        Instant.now()).encoded();
    byte[] forged = good.clone();
    forged[1 + 32 + 16 + 32] ^= 1; // the nonce
    byte[] badSignature = good.clone();
    badSignature[badSignature.length - 1] ^= 1;
    byte[] late = answered(toAlice, ALICE, Instant.now().minus(Duration.ofHours(2)));
    PossessionChallenge future = PossessionChallenge.issue(ALICE.signingKey().publicKey(),
        ALICE.encryptionKey().publicKey(), Instant.now().plus(Duration.ofHours(2)), RANDOM);
    byte[] futureAnswer = answered(future, ALICE, Instant.now());
    byte[] ch = toAlice.encoded();

    Map<String, Object> before = stored();
    List<Integer> statuses = new ArrayList<>();
    statuses.add(postAnswer(ALICE, answerBody(toAlice, forged)).statusCode());
    statuses.add(postAnswer(ALICE, answerBody(toAlice, badSignature)).statusCode());
    statuses.add(postAnswer(ALICE, answerBody(toBob, bobs)).statusCode()); // Bob's answer posted by Alice
    statuses.add(postAnswer(ALICE, answerBody(crossed, crossedAnswer)).statusCode());
    statuses.add(postAnswer(ALICE, answerBody(toAlice, late)).statusCode());
    statuses.add(postAnswer(ALICE, answerBody(future, futureAnswer)).statusCode());
    statuses.add(postAnswer(ALICE, answerBody(toBob, good)).statusCode()); // answer to another challenge
    statuses.add(postAnswer(ALICE, java.util.Arrays.copyOf(answerBody(toAlice, good), 2 + ch.length + 100)).statusCode());
    statuses.add(postAnswer(ALICE, new byte[] {0x7f, (byte) 0xff, 1, 2, 3}).statusCode());
    statuses.add(postAnswer(ALICE, new byte[] {1}).statusCode());
    statuses.add(postAnswer(ALICE, new byte[ChallengeServiceLimits.TOO_LARGE]).statusCode());
    statuses.add(postAnswer(CAROL, answerBody(toAlice, good)).statusCode()); // an auditor may not write
    statuses.add(ReviewerRequests.signed(ALICE.signingKey(), "POST", reviewer("/api/v1/reviewer/challenges"),
        answerBody(toAlice, good)).withBody(answerBody(toAlice, badSignature)).send().statusCode());
    HttpResponse<String> unsigned = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(
        reviewer("/api/v1/reviewer/challenges")).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(answerBody(toAlice, good))).build(),
        HttpResponse.BodyHandlers.ofString());
    statuses.add(unsigned.statusCode());
    assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 413, 403, 401, 401);
    assertThat(stored()).isEqualTo(before);

    // and the good answer still goes through afterwards
    assertThat(postAnswer(ALICE, answerBody(toAlice, good)).statusCode()).isEqualTo(201);
    assertThat(leavesOf(LogLeaf.EntryType.CHALLENGE)).hasSize(2);
  }

  /** Sizes for the bad-input test. */
  static final class ChallengeServiceLimits {
    static final int TOO_LARGE = org.testigo.server.review.ChallengeService.MAX_BODY_BYTES + 1;
  }
}

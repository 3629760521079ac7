package org.testigo.server.resources.reviewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.RewrapRecord;
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
import org.testigo.server.storage.TestDatabase;

/**
 * Rewraps through the reviewer API on a real MariaDB: alice and bob receive a report; the
 * organisation adds carol and removes bob; alice rewraps the report for {alice, carol}.
 * Every bad input (unknown envelope, garbage, a header of another payload, wrong recipients,
 * trailing bytes, too large, an auditor) gets a clear error and changes nothing stored; the
 * good one is served in front of the unchanged payload, opens for carol and not for bob, is
 * logged as a rewrap leaf whose public record recomputes, and a retry stores nothing new.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewrapApiAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HexFormat HEX = HexFormat.of();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  static final ReviewerIdentity DAVE = ReviewerIdentity.generate("dave", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Rewrap test org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALICE, ReviewerEntry.ROLE_REVIEWER), entry(BOB, ReviewerEntry.ROLE_REVIEWER),
          entry(DAVE, ReviewerEntry.ROLE_AUDITOR)), T0), ROOT);
  static final TestDatabase DB = TestDatabase.mariadb();
  static final Path DATA = prepare();
  static final byte[] PLAINTEXT = "Nos quitaron todo en el retén de Huehuetoca.".getBytes(StandardCharsets.UTF_8);
  static String reportId;
  static byte[] stored;
  static byte[] originalHeader;

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
      ConfigOverride.config("receipts.iterations", "1"));

  static ReviewerEntry entry(ReviewerIdentity who, String role) {
    return ReviewerEntry.of(who.publicBundle(), role, T0.minus(Duration.ofMinutes(5)), T0.plus(Duration.ofDays(30)));
  }

  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-rewrap-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      Files.writeString(dir.resolve("db-password"), "");
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.write(Files.createFile(dir.resolve("deployment-secret"), ownerOnly), secret);
      Files.write(Files.createFile(dir.resolve("log-key"), ownerOnly), LOG_KEY.exposeSecret());
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  static URI reviewer(String path) {
    return URI.create("http://127.0.0.1:" + APP.getPort(1) + path);
  }

  static URI source(String path) {
    return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
  }

  /**
   * The reviewer API's own client, signing as {@code who}, for the ordinary calls ({@link ReviewerRequests}
   * for the deliberately malformed ones).
   */
  static ReviewerApiClient client(ReviewerIdentity who) {
    return ReviewerRequests.client(reviewer(""), who);
  }

  static HttpResponse<byte[]> get(ReviewerIdentity who, String path) throws Exception {
    return ReviewerRequests.signed(who.signingKey(), "GET", reviewer(path), null).send();
  }

  static HttpResponse<byte[]> postRewrap(ReviewerIdentity who, String id, byte[] header) throws Exception {
    return ReviewerRequests.signed(who.signingKey(), "POST", reviewer("/api/v1/reviewer/rewraps/" + id), header).send();
  }

  static HttpResponse<String> publicGet(String path) throws Exception {
    return ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] seal(byte[] plaintext, ReviewerIdentity... to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<RecipientPublicKey> keys = Arrays.stream(to).map(r -> r.encryptionKey().publicKey()).toList();
    Envelope.seal(new ByteArrayInputStream(plaintext), out, keys, Envelope.CONTEXT_REPORT, RANDOM);
    return out.toByteArray();
  }

  static String submit(byte[] envelope) throws Exception {
    HttpResponse<String> r = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/api/v1/submissions"))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  static byte[] served(String id) throws Exception {
    listed(id); // the feed sequences new envelopes when it is listed; only listed ones are served
    HttpResponse<byte[]> r = get(ALICE, "/api/v1/reviewer/submissions/" + id + "/envelope");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Testigo-Envelope-Sha256")).contains(HEX.formatHex(sha256(r.body())));
    return r.body();
  }

  static JsonNode listed(String id) throws Exception {
    JsonNode page = client(ALICE).getJson(ApiPaths.page(ApiPaths.REVIEWER_SUBMISSIONS, 0, 100),
        Bounded.PAGE_JSON_BYTES);
    for (JsonNode n : page.get("items")) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("not listed: " + id);
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  /**
   * Gives every pending log leaf its index now (as the server's background sequencer would a
   * moment later), so counts and leaves read next are exact and not racing it.
   */
  static void sequenceLog() {
    new org.testigo.server.storage.TransparencyLog(DB.jdbi()).sequence(); // moves every committed pending leaf
  }

  /** Row counts of every table a rewrap could touch, and the stored chunks' bytes. */
  static Map<String, Object> storedState() {
    sequenceLog();
    Map<String, Object> m = new LinkedHashMap<>();
    for (String t : List.of("envelopes", "envelope_chunks", "envelope_rewraps", "log_leaves", "reviewer_feed")) {
      m.put(t, DB.count(t));
    }
    m.put("chunks", DB.jdbi().withHandle(h -> h.createQuery("SELECT data FROM envelope_chunks ORDER BY envelope_id, idx")
        .mapTo(byte[].class).list()).stream().map(HEX::formatHex).toList());
    m.put("log", DB.jdbi().withHandle(h -> h.createQuery("SELECT next_index FROM log_counter").mapTo(Long.class).one()));
    return m;
  }

  static void assertRefusedAndNothingChanged(HttpResponse<byte[]> response, int status, String message,
      Map<String, Object> before) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    if (message != null) {
      assertThat(JSON.readTree(response.body()).get("message").asText()).contains(message);
    }
    assertThat(storedState()).isEqualTo(before);
  }

  static void openFails(byte[] envelope, ReviewerIdentity who) {
    try {
      Envelope.open(envelope, who.encryptionKey(), Envelope.CONTEXT_REPORT);
      throw new AssertionError(who.alias() + " could open it");
    } catch (CryptoException expected) {
      // the key is not a recipient of the served header
    }
  }

  @Test
  @Order(1)
  void setup_aReportForAliceAndBobThenCarolJoinsAndBobLeaves() throws Exception {
    reportId = submit(seal(PLAINTEXT, ALICE, BOB));
    stored = served(reportId);
    originalHeader = Arrays.copyOf(stored, Math.toIntExact(
        Envelope.inspectHeader(new ByteArrayInputStream(stored)).headerLength()));
    SignedManifest s1 = SignedManifest.sign(ManifestUpdates.addReviewer(S0,
        entry(CAROL, ReviewerEntry.ROLE_REVIEWER), Instant.now()), ROOT);
    SignedManifest s2 = SignedManifest.sign(ManifestUpdates.removeReviewer(s1, "bob", Instant.now()), ROOT);
    HttpResponse<String> update = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/update-manifest"))
        .POST(HttpRequest.BodyPublishers.ofString(ManifestChain.toArmored(List.of(S0, s1, s2)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
    openFails(stored, CAROL);
  }

  @Test
  @Order(2)
  void rewrap_refusesBadInputWithAClearErrorAndChangesNothing() throws Exception {
    Map<String, Object> before = storedState();
    byte[] good = Envelope.rewrapHeader(new ByteArrayInputStream(stored), ALICE.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(ALICE.encryptionKey().publicKey(), CAROL.encryptionKey().publicKey()), RANDOM);

    assertRefusedAndNothingChanged(postRewrap(ALICE, "0".repeat(32), good), 404, null, before);
    assertRefusedAndNothingChanged(postRewrap(ALICE, "not-an-id", good), 404, null, before);

    byte[] garbage = new byte[good.length];
    RANDOM.nextBytes(garbage);
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, garbage), 400, "not valid for this envelope", before);
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, new byte[0]), 400, "not valid for this envelope", before);
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, truncated), 400, "not valid for this envelope", before);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, trailing), 400, "not valid for this envelope", before);

    // a correct header, but of another report (another payload salt): it would not open this payload
    String otherId = submit(seal("otro".getBytes(StandardCharsets.UTF_8), ALICE, CAROL));
    byte[] other = served(otherId);
    Map<String, Object> withOther = storedState();
    byte[] otherHeader = Envelope.rewrapHeader(new ByteArrayInputStream(other), ALICE.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(ALICE.encryptionKey().publicKey(), CAROL.encryptionKey().publicKey()), RANDOM);
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, otherHeader), 400, "not valid for this envelope",
        withOther);

    // wrong recipients: the old set (with the departed bob), too few, or one outsider more
    for (List<ReviewerIdentity> to : List.of(List.of(ALICE, BOB), List.of(ALICE), List.of(ALICE, CAROL, BOB),
        List.of(ALICE, CAROL, DAVE))) {
      byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(stored), ALICE.encryptionKey(),
          Envelope.CONTEXT_REPORT, to.stream().map(r -> r.encryptionKey().publicKey()).toList(), RANDOM);
      assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, header), 400,
          "not sealed to exactly the reviewers of the current key manifest", withOther);
    }

    byte[] huge = new byte[73 + 64 + 1201 * 64 + 1];
    assertRefusedAndNothingChanged(postRewrap(ALICE, reportId, huge), 413, null, withOther);
    // an auditor may not write; bob, removed from the manifest, is not even authenticated
    assertRefusedAndNothingChanged(postRewrap(DAVE, reportId, good), 403, null, withOther);
    assertRefusedAndNothingChanged(postRewrap(BOB, reportId, good), 401, null, withOther);
    // carol is a current reviewer but not a recipient yet: she cannot have opened it
    assertRefusedAndNothingChanged(postRewrap(CAROL, reportId, good), 403,
        "Only a reviewer whose key the envelope's current header names can rewrap it", withOther);
    assertThat(served(reportId)).isEqualTo(stored);
    assertThat(listed(reportId).get("rewraps").asInt()).isZero();
    assertThat(listed(reportId).get("currentSha256").asText()).isEqualTo(listed(reportId).get("sha256").asText());
  }

  @Test
  @Order(3)
  void rewrap_servesTheNewHeaderBeforeTheUnchangedPayloadAndLogsIt() throws Exception {
    Map<String, Object> before = storedState();
    long logBefore = (Long) before.get("log");
    byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(stored), ALICE.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(CAROL.encryptionKey().publicKey(), ALICE.encryptionKey().publicKey()), RANDOM);
    HttpResponse<byte[]> r = postRewrap(ALICE, reportId, header);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.get("generation").asInt()).isEqualTo(1);
    assertThat(answer.get("created").asBoolean()).isTrue();

    byte[] now = served(reportId);
    byte[] payload = Arrays.copyOfRange(stored, originalHeader.length, stored.length);
    assertThat(now).isEqualTo(concat(header, payload));
    assertThat(Envelope.open(now, CAROL.encryptionKey(), Envelope.CONTEXT_REPORT)).isEqualTo(PLAINTEXT);
    assertThat(Envelope.open(now, ALICE.encryptionKey(), Envelope.CONTEXT_REPORT)).isEqualTo(PLAINTEXT);
    openFails(now, BOB);
    assertThat(answer.get("sha256").asText()).isEqualTo(HEX.formatHex(sha256(now)));

    // the stored envelope is untouched: same chunks, same SHA-256 in the listing
    Map<String, Object> after = storedState();
    assertThat(after.get("chunks")).isEqualTo(before.get("chunks"));
    assertThat(after.get("envelope_rewraps")).isEqualTo((Long) before.get("envelope_rewraps") + 1);
    JsonNode item = listed(reportId);
    assertThat(item.get("sha256").asText()).isEqualTo(HEX.formatHex(sha256(stored)));
    assertThat(item.get("currentSha256").asText()).isEqualTo(HEX.formatHex(sha256(now)));
    assertThat(item.get("rewraps").asInt()).isEqualTo(1);

    // one rewrap leaf, whose public record recomputes to its object hash
    assertThat(after.get("log")).isEqualTo(logBefore + 1);
    JsonNode leaves = JSON.readTree(publicGet("/api/v1/log/leaves?start=" + logBefore + "&end=" + (logBefore + 1)).body());
    LogLeaf leaf = LogLeaf.parse(HEX.parseHex(leaves.get("leaves").get(0).asText()));
    assertThat(leaf.type()).isEqualTo(LogLeaf.EntryType.REWRAP);
    RewrapRecord expected = RewrapRecord.of(sha256(stored), sha256(originalHeader), header);
    assertThat(leaf.objectHash()).isEqualTo(expected.hash());
    HttpResponse<String> record = publicGet("/api/v1/log/leaves/" + logBefore + "/rewrap");
    assertThat(record.statusCode()).isEqualTo(200);
    JsonNode rec = JSON.readTree(record.body());
    assertThat(rec.get("envelopeSha256").asText()).isEqualTo(HEX.formatHex(sha256(stored)));
    assertThat(rec.get("previousHeaderSha256").asText()).isEqualTo(HEX.formatHex(sha256(originalHeader)));
    assertThat(rec.get("header").asText()).isEqualTo(HEX.formatHex(header));
    assertThat(publicGet("/api/v1/log/leaves/0/rewrap").statusCode()).isEqualTo(404);
    assertThat(publicGet("/api/v1/log/leaves/x/rewrap").statusCode()).isEqualTo(400);

    // reviewers can list rewraps and fetch each generation's header; 0 is the original
    JsonNode page = client(CAROL).getJson(ApiPaths.REVIEWER_REWRAPS + "?after=0", Bounded.PAGE_JSON_BYTES);
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(reportId);
    assertThat(page.get("items").get(0).get("signer").asText()).isEqualTo(ALICE.signingKey().publicKey().fingerprint().hex());
    try (InputStream one = client(CAROL).rewrapHeader(reportId, 1);
        InputStream zero = client(CAROL).rewrapHeader(reportId, 0)) {
      assertThat(one.readAllBytes()).isEqualTo(header);
      assertThat(zero.readAllBytes()).isEqualTo(originalHeader);
    }
    assertThat(get(CAROL, "/api/v1/reviewer/rewraps/" + reportId + "/2").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void rewrap_isIdempotentOnRetryAndChainsFurtherGenerations() throws Exception {
    byte[] current = served(reportId);
    byte[] header = Arrays.copyOf(current, Math.toIntExact(
        Envelope.inspectHeader(new ByteArrayInputStream(current)).headerLength()));
    Map<String, Object> before = storedState();
    HttpResponse<byte[]> retry = postRewrap(ALICE, reportId, header);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retry.body()).get("created").asBoolean()).isFalse();
    assertThat(JSON.readTree(retry.body()).get("generation").asInt()).isEqualTo(1);
    assertThat(storedState()).isEqualTo(before);

    // carol, who joined after the report, can rewrap it herself now (generation 2 chains to 1)
    byte[] second = Envelope.rewrapHeader(new ByteArrayInputStream(current), CAROL.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(ALICE.encryptionKey().publicKey(), CAROL.encryptionKey().publicKey()), RANDOM);
    HttpResponse<byte[]> r = postRewrap(CAROL, reportId, second);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(r.body()).get("generation").asInt()).isEqualTo(2);
    long index = (Long) storedState().get("log") - 1;
    JsonNode rec = JSON.readTree(publicGet("/api/v1/log/leaves/" + index + "/rewrap").body());
    assertThat(rec.get("previousHeaderSha256").asText()).isEqualTo(HEX.formatHex(sha256(header)));
    assertThat(Envelope.open(served(reportId), CAROL.encryptionKey(), Envelope.CONTEXT_REPORT)).isEqualTo(PLAINTEXT);
    // the auditors' view of the submission still shows the original header
    sequenceLog();
    long submissionLeaf = DB.jdbi().withHandle(h -> h.createQuery("SELECT idx FROM log_leaves WHERE entry_type = 1"
        + " ORDER BY idx").mapTo(Long.class).list()).get(0);
    JsonNode h = JSON.readTree(publicGet("/api/v1/log/leaves/" + submissionLeaf + "/envelope-header").body());
    assertThat(h.get("header").asText()).isEqualTo(HEX.formatHex(originalHeader));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

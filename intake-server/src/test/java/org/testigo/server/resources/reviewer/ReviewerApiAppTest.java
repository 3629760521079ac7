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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * The reviewer API on its own port, with an organisation made for the test: alice (reviewer,
 * valid), bob (reviewer, validity over), carol (auditor). Every refused request gets the same
 * 401 body and changes no row; the success paths list, stream, fetch the reply key and post
 * a reply that the source then reads on the status page.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewerApiAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DATA = tempDir();
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  static final String ROOT_FINGERPRINT = organisation();
  static final String UNAUTHORISED = "{\"code\":401,\"message\":\"The request is not authorised.\"}";
  static String receipt;
  static String reportId;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("limits.maxFormBytes", "2000000"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "2000000"));

  static Path tempDir() {
    try {
      return Files.createTempDirectory("testigo-revapi-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String organisation() {
    try {
      Instant now = Instant.now();
      SigningPrivateKey root = SigningPrivateKey.generate(RANDOM);
      SigningPrivateKey log = SigningPrivateKey.generate(RANDOM);
      KeyManifest m = new KeyManifest(0, null, "Revapi test organisation", root.publicKey(), log.publicKey(),
          List.of(ReviewerEntry.of(ALICE.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minusSeconds(300), now.plus(Duration.ofDays(30))),
              ReviewerEntry.of(BOB.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))),
              ReviewerEntry.of(CAROL.publicBundle(), ReviewerEntry.ROLE_AUDITOR, now.minusSeconds(300), now.plus(Duration.ofDays(30)))),
          now);
      Files.writeString(DATA.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(SignedManifest.sign(m, root))));
      String fp = KeyManifest.rootFingerprint(root.publicKey()).hex();
      Files.writeString(DATA.resolve("root-fingerprint"), fp + "\n");
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      Files.write(DATA.resolve("deployment-secret"), secret);
      // The transparency log (merged from translog) refuses to start without the log key of
      // the manifest: its 32-byte seed, owner-only.
      Path logKey = Files.write(DATA.resolve("log-key"), log.exposeSecret());
      Files.setPosixFilePermissions(logKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return fp;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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

  static long count(String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Map<String, Long> rowCounts() throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t : List.of("envelopes", "envelope_chunks", "mailboxes", "mailbox_envelopes", "reviewer_nonces",
        "reviewer_feed", "case_events")) {
      m.put(t, count(t));
    }
    return m;
  }

  static HttpResponse<String> postForm(URI uri, String contentType, byte[] body) throws Exception {
    return ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String submitReport(String narrative) throws Exception {
    String b = "----RevapiBoundary";
    StringBuilder s = new StringBuilder();
    for (String[] f : new String[][] {{"version", "1"}, {"lang", "es"}, {"what", "extortion"}, {"who", "inm"},
        {"state", "CHP"}, {"narrative", narrative}, {"wants", "reply"}}) {
      s.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    s.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = postForm(source("/report?lang=es"), "multipart/form-data; boundary=" + b,
        s.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static JsonNode list(String query) throws Exception {
    return client(ALICE).getJson(ApiPaths.REVIEWER_SUBMISSIONS + query, Bounded.PAGE_JSON_BYTES); // throws unless 200
  }

  static void assertRefused(ReviewerRequests.Prepared request) throws Exception {
    assertRefused(request, false);
  }

  /** 401, the generic body, and no row changed (but the nonce of a valid signature is spent). */
  static void assertRefused(ReviewerRequests.Prepared request, boolean nonceSpent) throws Exception {
    Map<String, Long> before = rowCounts();
    HttpResponse<byte[]> r = request.send();
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(UNAUTHORISED);
    Map<String, Long> after = rowCounts();
    if (nonceSpent) {
      before.merge("reviewer_nonces", 1L, Long::sum);
    }
    assertThat(after).isEqualTo(before);
  }

  @Test
  @Order(1)
  void submissions_areListedAfterACursorWithServerFactsOnly() throws Exception {
    receipt = submitReport("Nos quitaron el dinero en el retén.");
    assertThat(list("?after=0").get("items")).hasSize(1);
    submitReport("Segundo informe.");
    JsonNode page = list("?after=0&limit=1");
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("more").asBoolean()).isTrue();
    JsonNode first = page.get("items").get(0);
    reportId = first.get("id").asText();
    assertThat(first.get("context").asText()).isEqualTo("report");
    assertThat(first.get("receivedDay").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(first.get("sha256").asText()).hasSize(64);
    assertThat(first.get("hasMailbox").asBoolean()).isTrue();
    assertThat(first.get("caseId").asText()).isEqualTo(reportId);
    JsonNode rest = list("?after=" + page.get("next").asLong() + "&limit=10");
    assertThat(rest.get("items")).hasSize(1);
    assertThat(rest.get("items").get(0).get("seq").asLong()).isGreaterThan(first.get("seq").asLong());
    assertThat(rest.get("more").asBoolean()).isFalse();
    JsonNode none = list("?after=" + rest.get("next").asLong());
    assertThat(none.get("items")).isEmpty();
    assertThat(none.get("next").asLong()).isEqualTo(rest.get("next").asLong());
  }

  @Test
  @Order(2)
  void envelope_streamsTheStoredCiphertextWhichOpensWithTheReviewerKey() throws Exception {
    JsonNode item = list("?after=0&limit=1").get("items").get(0);
    byte[] envelope;
    try (InputStream in = client(ALICE).envelope(reportId)) { // throws unless 200
      envelope = in.readAllBytes();
    }
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(envelope)))
        .isEqualTo(item.get("sha256").asText());
    byte[] plain = Envelope.open(envelope, ALICE.encryptionKey(), Envelope.CONTEXT_REPORT);
    assertThat(new String(plain, StandardCharsets.UTF_8)).contains("Nos quitaron el dinero");
    HttpResponse<byte[]> missing = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/submissions/" + "00".repeat(16) + "/envelope"), null).send();
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void manifest_isTheArmoredChainThatVerifiesFromThePinnedRoot() throws Exception {
    byte[] manifest = client(CAROL).manifest(); // throws unless 200
    var latest = ManifestChain.verify(SignedManifest.parseArmored(new String(manifest, StandardCharsets.US_ASCII)),
        org.testigo.crypto.Fingerprint.fromHex(ROOT_FINGERPRINT));
    assertThat(latest.reviewers()).hasSize(3);
  }

  @Test
  @Order(4)
  void refused_unsignedBadlySignedReplayedExpiredUnknownKeyOutOfValidityWrongTag() throws Exception {
    URI list = reviewer("/api/v1/reviewer/submissions");
    assertRefused(new ReviewerRequests.Prepared(list, "GET", Map.of(), null));
    ReviewerRequests.Prepared good = ReviewerRequests.signed(ALICE.signingKey(), "GET", list, null);
    String sig = good.headers().get("Signature");
    char c = sig.charAt(12);
    assertRefused(good.withHeader("Signature", sig.substring(0, 12) + (c == 'A' ? 'B' : 'A') + sig.substring(13)));
    assertThat(good.send().statusCode()).isEqualTo(200);
    assertRefused(good);
    assertRefused(ReviewerRequests.signed(ALICE.signingKey(), "GET", list, null, Instant.now().minus(Duration.ofMinutes(10))));
    assertRefused(ReviewerRequests.signed(ALICE.signingKey(), "GET", list, null, Instant.now().plus(Duration.ofMinutes(10))));
    assertRefused(ReviewerRequests.signed(SigningPrivateKey.generate(RANDOM), "GET", list, null));
    assertRefused(ReviewerRequests.signed(BOB.signingKey(), "GET", list, null));
    assertRefused(ReviewerRequests.signedGetWithParams(ALICE.signingKey(), list, Map.of("tag", "testigo-reviewer-v0")));
    assertRefused(ReviewerRequests.signedGetWithParams(ALICE.signingKey(), list, Map.of("alg", "hmac-sha256")));
    long now = Instant.now().getEpochSecond();
    assertRefused(ReviewerRequests.signedGetWithParams(ALICE.signingKey(), list, Map.of("created", now, "expires", now + 600)));
    assertThat(ReviewerRequests.signedGetWithParams(ALICE.signingKey(), list, Map.of()).send().statusCode()).isEqualTo(200);
    // signed for another path, sent to this one
    ReviewerRequests.Prepared other = ReviewerRequests.signed(ALICE.signingKey(), "GET", reviewer("/api/v1/reviewer/manifest"), null);
    assertRefused(new ReviewerRequests.Prepared(list, "GET", other.headers(), null));
    // a query added after signing
    assertRefused(new ReviewerRequests.Prepared(reviewer("/api/v1/reviewer/submissions?after=1"), "GET", good.headers(), null));
  }

  @Test
  @Order(5)
  void ports_reviewerPathsOnlyOnTheReviewerPortAndNothingElseThere() throws Exception {
    HttpResponse<byte[]> onSource = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        source("/api/v1/reviewer/submissions"), null).send();
    assertThat(onSource.statusCode()).isEqualTo(404);
    assertThat(ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/api/v1/reviewer/manifest")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/api/v1/%72eviewer/manifest")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    for (String p : List.of("/", "/report", "/api/v1/manifest", "/assets/testigo.css")) {
      assertThat(ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(reviewer(p)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as(p).isEqualTo(404);
      assertThat(ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source(p)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as(p).isEqualTo(200);
    }
    // The envelope API is a servlet outside Jersey (SubmissionsServlet): the port filter holds for it too.
    HttpResponse<String> post = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(reviewer("/api/v1/submissions"))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).as(post.body()).isEqualTo(404);
  }

  static byte[] sealedReply(RecipientPublicKey to, String text) throws Exception {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(payload);
    w.writePart(new PartHeader("message", null, "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    w.finish();
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload.toByteArray()), sealed, List.of(to), Envelope.CONTEXT_REPLY, RANDOM);
    return sealed.toByteArray();
  }

  @Test
  @Order(6)
  void reply_isSealedToTheReplyKeyStoredAndReadByTheSourceWithTheReceipt() throws Exception {
    HttpResponse<byte[]> keyResponse = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/submissions/" + reportId + "/reply-key"), null).send();
    assertThat(keyResponse.statusCode()).isEqualTo(200);
    JsonNode key = JSON.readTree(keyResponse.body());
    RecipientPublicKey replyKey = RecipientPublicKey.fromBytes(
        java.util.Base64.getUrlDecoder().decode(key.get("replyPublicKey").asText()));
    assertThat(key.get("fingerprint").asText()).isEqualTo(replyKey.fingerprint().hex());
    URI replies = reviewer("/api/v1/reviewer/submissions/" + reportId + "/replies");

    // refused without changing anything: digest of another body, auditor, wrong recipient, wrong context
    byte[] reply = sealedReply(replyKey, "Recibimos su denuncia. Gracias.");
    assertRefused(ReviewerRequests.signed(ALICE.signingKey(), "POST", replies, reply).withBody(sealedReply(replyKey, "other")), true);
    Map<String, Long> before = rowCounts();
    assertThat(ReviewerRequests.signed(CAROL.signingKey(), "POST", replies, reply).send().statusCode()).isEqualTo(403);
    byte[] toAlice = sealedReply(ALICE.encryptionKey().publicKey(), "x");
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", replies, toAlice).send().statusCode()).isEqualTo(400);
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[10]), report, List.of(replyKey), Envelope.CONTEXT_REPORT, RANDOM);
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", replies, report.toByteArray()).send().statusCode()).isEqualTo(400);
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST", replies, new byte[] {1, 2, 3}).send().statusCode()).isEqualTo(400);
    Map<String, Long> after = rowCounts();
    after.remove("reviewer_nonces");
    before.remove("reviewer_nonces");
    assertThat(after).isEqualTo(before);

    HttpResponse<byte[]> ok = ReviewerRequests.signed(ALICE.signingKey(), "POST", replies, reply).send();
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(count("mailbox_envelopes")).isEqualTo(before.get("mailbox_envelopes") + 1);

    HttpResponse<String> status = postForm(source("/status?lang=es"), "application/x-www-form-urlencoded",
        ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("Recibimos su denuncia. Gracias.");

    // a reply is not a submission: the feed does not list it
    JsonNode all = list("?after=0&limit=100");
    assertThat(all.get("items")).hasSize(2);
  }

  static byte[] eventBody(SigningPrivateKey author, String caseHex, byte[] sealed, Instant at) {
    var event = org.testigo.crypto.event.SignedCaseEvent.sign(author, org.testigo.crypto.event.CaseId.fromHex(caseHex),
        1, List.of(), at, sealed);
    return LengthPrefixed.join(event.encoded(), sealed);
  }

  static byte[] sealedEventContent(List<RecipientPublicKey> to) throws Exception {
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("{\"v\":1,\"type\":\"acknowledge\"}".getBytes(StandardCharsets.UTF_8)),
        sealed, to, Envelope.CONTEXT_CASE_EVENT, RANDOM);
    return sealed.toByteArray();
  }

  @Test
  @Order(7)
  void caseEvents_areCheckedStoredOnceAndListedAfterACursor() throws Exception {
    URI post = reviewer("/api/v1/reviewer/cases/" + reportId + "/events");
    byte[] content = sealedEventContent(List.of(ALICE.encryptionKey().publicKey()));
    byte[] body = eventBody(ALICE.signingKey(), reportId, content, Instant.now());

    Map<String, Long> before = rowCounts();
    before.remove("reviewer_nonces");
    // signed by someone else than the request's signer, for another case, content swapped,
    // sealed to the wrong team, claimed far from now, garbage: 400; auditor: 403; unknown case: 404
    int[] statuses = {
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, eventBody(BOB.signingKey(), reportId, content, Instant.now())).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, eventBody(ALICE.signingKey(), "11".repeat(16), content, Instant.now())).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, tamperLast(body)).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, eventBody(ALICE.signingKey(), reportId,
            sealedEventContent(List.of(CAROL.encryptionKey().publicKey())), Instant.now())).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, eventBody(ALICE.signingKey(), reportId, content,
            Instant.now().minus(Duration.ofHours(2)))).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", post, new byte[] {0, 5, 1, 2}).send().statusCode(),
        ReviewerRequests.signed(CAROL.signingKey(), "POST", post, eventBody(CAROL.signingKey(), reportId, content, Instant.now())).send().statusCode(),
        ReviewerRequests.signed(ALICE.signingKey(), "POST", reviewer("/api/v1/reviewer/cases/" + "22".repeat(16) + "/events"),
            eventBody(ALICE.signingKey(), "22".repeat(16), content, Instant.now())).send().statusCode()};
    assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 400, 403, 404);
    Map<String, Long> after = rowCounts();
    after.remove("reviewer_nonces");
    assertThat(after).isEqualTo(before);
    assertRefused(ReviewerRequests.signed(ALICE.signingKey(), "POST", post, body).withBody(tamperLast(body)), true);

    HttpResponse<byte[]> created = ReviewerRequests.signed(ALICE.signingKey(), "POST", post, body).send();
    assertThat(created.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> again = ReviewerRequests.signed(ALICE.signingKey(), "POST", post, body).send();
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("seq")).isEqualTo(JSON.readTree(created.body()).get("seq"));
    assertThat(count("case_events")).isEqualTo(1);

    HttpResponse<byte[]> listed = ReviewerRequests.signed(CAROL.signingKey(), "GET", reviewer("/api/v1/reviewer/events?after=0"), null).send();
    JsonNode items = JSON.readTree(listed.body()).get("items");
    assertThat(items).hasSize(1);
    JsonNode item = items.get(0);
    assertThat(item.get("caseId").asText()).isEqualTo(reportId);
    assertThat(item.get("author").asText()).isEqualTo(ALICE.signingKey().publicKey().fingerprint().hex());
    assertThat(item.get("receivedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(java.util.Base64.getDecoder().decode(item.get("content").asText())).isEqualTo(content);
    JsonNode none = JSON.readTree(ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/events?after=" + item.get("seq").asLong()), null).send().body());
    assertThat(none.get("items")).isEmpty();
  }

  static byte[] tamperLast(byte[] b) {
    byte[] c = b.clone();
    c[c.length - 1] ^= 1;
    return c;
  }

  @Test
  @Order(8)
  void envelopeBatch_isTheFeedPageWithEachEnvelopeInlineAndRefusesBadInputWith400() throws Exception {
    JsonNode page = list("?after=0&limit=500");
    HttpResponse<byte[]> r = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/submissions/envelopes?after=0&limit=500"), null).send();
    assertThat(r.statusCode()).isEqualTo(200);
    java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(r.body()));
    assertThat(new String(in.readNBytes(8), StandardCharsets.US_ASCII)).isEqualTo("TGBATCH1");
    int n = 0;
    for (int tag = in.read(); tag == 1; tag = in.read()) {
      JsonNode item = JSON.readTree(in.readNBytes(in.readUnsignedShort()));
      assertThat(item).isEqualTo(page.get("items").get(n++));
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int len = in.readInt(); len != 0; len = in.readInt()) {
        assertThat(len).isBetween(1, 64 * 1024);
        sha.update(in.readNBytes(len));
      }
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(item.get("sha256").asText());
    }
    assertThat(n).isEqualTo(page.get("items").size()).isGreaterThanOrEqualTo(2);
    assertThat(in.read()).as("more").isEqualTo(0);
    assertThat(in.read()).as("nothing after the end marker").isEqualTo(-1);

    HttpResponse<byte[]> one = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/submissions/envelopes?after=0&limit=1"), null).send();
    byte[] b = one.body();
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(b[b.length - 2]).as("end marker").isEqualTo((byte) 0);
    assertThat(b[b.length - 1]).as("more").isEqualTo((byte) 1);

    Map<String, Long> before = rowCounts();
    before.remove("reviewer_nonces");
    for (String q : List.of("?after=-1", "?limit=0", "?limit=501", "?after=x", "?limit=99999999999")) {
      HttpResponse<byte[]> bad = ReviewerRequests.signed(ALICE.signingKey(), "GET",
          reviewer("/api/v1/reviewer/submissions/envelopes" + q), null).send();
      assertThat(bad.statusCode()).as(q).isBetween(400, 404);
      assertThat(new String(bad.body(), StandardCharsets.UTF_8)).as(q).doesNotContain("Exception").doesNotContain("TGBATCH");
    }
    Map<String, Long> after = rowCounts();
    after.remove("reviewer_nonces");
    assertThat(after).isEqualTo(before);
    assertRefused(new ReviewerRequests.Prepared(reviewer("/api/v1/reviewer/submissions/envelopes"), "GET",
        Map.of(), null));
  }


  /** Every spelling of a reviewer path that is not the canonical one (issue 17's table). */
  static List<String> variants(String canonical, int port) {
    String rest = canonical.substring("/api/v1/reviewer/".length());
    String[] segs = canonical.substring(1).split("/");
    java.util.List<String> v = new java.util.ArrayList<>();
    for (int i = 0; i < segs.length; i++) { // a matrix parameter in each segment, and an empty one
      String[] m = segs.clone();
      m[i] = m[i] + ";x";
      v.add("/" + String.join("/", m));
      m[i] = segs[i] + ";";
      v.add("/" + String.join("/", m));
    }
    v.addAll(List.of(
        "/api/v1/reviewer%2f" + rest, "/api/v1/reviewer%2F" + rest, "/api%2fv1%2freviewer%2f" + rest,
        "/api/v1/reviewer/%2e/" + rest, "/api/v1/x/%2e%2e/reviewer/" + rest, "/api/v1/reviewer%3bx/" + rest,
        "/api/v1/reviewer%5c" + rest, "/api/v1/%72eviewer/" + rest, "/api/v1/reviewer/%252f" + rest,
        "/api/v1/reviewer/" + rest + "%00",
        "/api/v1/reviewer/./" + rest, "/api/v1/x/../reviewer/" + rest, "/api/v1/reviewer/" + rest + "/.",
        "/api/v1/reviewer/" + rest + "/x/..", "/api/v1/reviewer/..;/reviewer/" + rest, "/..;/api/v1/reviewer/" + rest,
        "/api/v1/reviewer/..;/" + rest,
        "//api/v1/reviewer/" + rest, "/api//v1/reviewer/" + rest, "/api/v1/reviewer//" + rest,
        canonical + "/", canonical + "//",
        "/API/v1/reviewer/" + rest, "/api/V1/reviewer/" + rest, "/api/v1/Reviewer/" + rest,
        "/api/v1/REVIEWER/" + rest, "/api/v1/reviewer/" + rest.toUpperCase(java.util.Locale.ROOT),
        "/api/v1/reviewer\\" + rest, "/api/v1/reviewer/" + rest + "#x",
        "http://127.0.0.1:" + port + "/api/v1/reviewer;x/" + rest,
        "/api/v1/reviewer/" + rest.replace("/", "/;x/")));
    v.removeIf(canonical::equals);
    return v;
  }

  @Test
  @Order(9)
  void reviewerApi_answersNoSpellingOfAPathWithoutAValidSignature_andRefusedRequestsChangeNothing() throws Exception {
    int port = APP.getPort(1);
    String id = reportId;
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    List<String[]> endpoints = List.of(
        new String[] {"GET", "/api/v1/reviewer/submissions"}, new String[] {"GET", "/api/v1/reviewer/submissions/envelopes"},
        new String[] {"GET", "/api/v1/reviewer/submissions/" + id + "/envelope"},
        new String[] {"GET", "/api/v1/reviewer/submissions/" + id + "/reply-key"},
        new String[] {"GET", "/api/v1/reviewer/events"}, new String[] {"GET", "/api/v1/reviewer/manifest"},
        new String[] {"GET", "/api/v1/reviewer/rewraps"}, new String[] {"GET", "/api/v1/reviewer/rewraps/" + id + "/0"},
        new String[] {"POST", "/api/v1/reviewer/submissions/" + id + "/replies"},
        new String[] {"POST", "/api/v1/reviewer/cases/" + id + "/events"},
        new String[] {"POST", "/api/v1/reviewer/challenges"}, new String[] {"POST", "/api/v1/reviewer/rewraps/" + id});
    SigningPrivateKey removed = SigningPrivateKey.generate(RANDOM);
    int requests = 0;
    for (String[] e : endpoints) {
      String method = e[0];
      byte[] b = method.equals("POST") ? body : null;
      // the canonical path, unsigned: the one generic 401
      assertThat(org.testigo.server.edge.RawHttp.exchange(port,
          org.testigo.server.edge.RawHttp.request(method, e[1], port, Map.of(), b)).status()).as(e[1]).isEqualTo(401);
      List<String> table = variants(e[1], port);
      assertThat(table).hasSizeGreaterThanOrEqualTo(25);
      Map<String, Long> before = rowCounts();
      long verified = 0;
      for (String target : table) {
        String path = target.startsWith("http://") ? target.substring(target.indexOf('/', 7)) : target;
        boolean reachesAuth = org.testigo.server.edge.CanonicalPath.isCanonical(path)
            && path.startsWith("/api/v1/reviewer/");
        for (String mode : List.of("unsigned", "removed", "expired", "alice-canonical", "alice-variant")) {
          Map<String, String> h = switch (mode) {
            case "unsigned" -> Map.of();
            case "removed" -> signedHeaders(removed, method, port, path, b);
            case "expired" -> signedHeaders(BOB.signingKey(), method, port, path, b);
            case "alice-canonical" -> signedHeaders(ALICE.signingKey(), method, port, e[1], b);
            default -> signedHeaders(ALICE.signingKey(), method, port, path, b);
          };
          org.testigo.server.edge.RawHttp.Answer a = org.testigo.server.edge.RawHttp.exchange(port,
              org.testigo.server.edge.RawHttp.request(method, target, port, h, b));
          requests++;
          assertThat(a.status()).as(mode + " " + method + " " + target).isBetween(400, 499);
          assertThat(a.header("X-Content-Type-Options")).as(target).isEqualTo("nosniff");
          assertThat(a.text()).as(target).doesNotContain("Exception").doesNotContain(id);
          if (mode.equals("alice-variant") && reachesAuth) {
            verified++;
          }
        }
      }
      Map<String, Long> after = rowCounts();
      // A nonce is spent exactly when a signature verified: alice's own signature over a path
      // that is canonical and under the reviewer prefix (e.g. an upper-case last segment: 404).
      before.merge("reviewer_nonces", verified, Long::sum);
      assertThat(after).as(e[1]).isEqualTo(before);
    }
    assertThat(requests).isGreaterThan(12 * 25 * 5);
  }

  static Map<String, String> signedHeaders(SigningPrivateKey key, String method, int port, String rawPath, byte[] body)
      throws Exception {
    byte[] sha = body == null ? null : MessageDigest.getInstance("SHA-256").digest(body);
    var h = org.testigo.crypto.httpsig.ReviewerRequestSignature.sign(key, method, "127.0.0.1:" + port, rawPath, null,
        sha, Instant.now(), ReviewerRequests.lifetime(), RANDOM);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Signature-Input", h.signatureInput());
    m.put("Signature", h.signature());
    if (h.contentDigest() != null) {
      m.put("Content-Digest", h.contentDigest());
      m.put("Content-Type", "application/octet-stream");
    }
    return m;
  }

  @Test
  @Order(10)
  void signatureFieldsGivenTwice_areRefusedAndSpendNoNonce() throws Exception {
    int port = APP.getPort(1);
    String path = "/api/v1/reviewer/submissions";
    Map<String, String> h = signedHeaders(ALICE.signingKey(), "GET", port, path, null);
    for (String twice : List.of("Signature-Input", "Signature")) {
      StringBuilder extra = new StringBuilder();
      h.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
      extra.append(twice).append(": ").append(h.get(twice)).append("\r\n");
      byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extra
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      Map<String, Long> before = rowCounts();
      org.testigo.server.edge.RawHttp.Answer a = org.testigo.server.edge.RawHttp.exchange(port, req);
      assertThat(a.status()).as(twice).isEqualTo(401);
      assertThat(a.text()).isEqualTo(UNAUTHORISED);
      assertThat(rowCounts()).isEqualTo(before);
    }
    // A parameter given twice inside one field.
    Map<String, String> dup = new LinkedHashMap<>(h);
    dup.put("Signature-Input", h.get("Signature-Input") + ";alg=\"ed25519\"");
    Map<String, Long> before = rowCounts();
    assertThat(org.testigo.server.edge.RawHttp.exchange(port,
        org.testigo.server.edge.RawHttp.request("GET", path, port, dup, null)).status()).isEqualTo(401);
    assertThat(rowCounts()).isEqualTo(before);
    // The same headers once: accepted, and its nonce spent.
    assertThat(org.testigo.server.edge.RawHttp.exchange(port,
        org.testigo.server.edge.RawHttp.request("GET", path, port, h, null)).status()).isEqualTo(200);
    before.merge("reviewer_nonces", 1L, Long::sum);
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  @Order(11)
  void aVerifiedRequestRefusedLater_spendsItsNonce_andTheTextsSayWhatHappened() throws Exception {
    int port = APP.getPort(1);
    Map<String, Long> before = rowCounts();
    org.testigo.server.edge.RawHttp.Answer wrongMethod = org.testigo.server.edge.RawHttp.exchange(port,
        org.testigo.server.edge.RawHttp.request("DELETE", "/api/v1/reviewer/manifest", port,
            signedHeaders(ALICE.signingKey(), "DELETE", port, "/api/v1/reviewer/manifest", null), null));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.text()).contains("not allowed").doesNotContain("Not found");
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);
    String replies = "/api/v1/reviewer/submissions/" + reportId + "/replies";
    org.testigo.server.edge.RawHttp.Answer auditor = org.testigo.server.edge.RawHttp.exchange(port,
        org.testigo.server.edge.RawHttp.request("POST", replies, port,
            signedHeaders(CAROL.signingKey(), "POST", port, replies, body), body));
    assertThat(auditor.status()).isEqualTo(403);
    assertThat(auditor.text()).contains("not allowed").doesNotContain("form");
    before.merge("reviewer_nonces", 2L, Long::sum);
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  @Order(12)
  void aRequestSignedForAnotherServersName_isRefusedAndSpendsNoNonce() throws Exception {
    int port = APP.getPort(1);
    String path = "/api/v1/reviewer/manifest";
    for (String authority : List.of("127.0.0.1:18093", "other-deployment.example", "localhost", "127.0.0.1",
        "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion")) {
      Map<String, Long> before = rowCounts();
      org.testigo.server.edge.RawHttp.Answer a = org.testigo.server.edge.RawHttp.exchange(port,
          getSignedFor(authority, authority, path));
      assertThat(a.status()).as(authority).isEqualTo(401);
      assertThat(rowCounts()).as(authority).isEqualTo(before);
    }
    for (String authority : List.of("localhost:" + port, "LOCALHOST:" + port)) {
      byte[] req = getSignedFor(authority.toLowerCase(java.util.Locale.ROOT), authority, path);
      assertThat(org.testigo.server.edge.RawHttp.exchange(port, req).status()).as(authority).isEqualTo(200);
    }
  }

  /** A GET by alice, signed for {@code signedAuthority} and sent with {@code Host: host}. */
  static byte[] getSignedFor(String signedAuthority, String host, String path) {
    var h = org.testigo.crypto.httpsig.ReviewerRequestSignature.sign(ALICE.signingKey(), "GET", signedAuthority, path,
        null, null, Instant.now(), ReviewerRequests.lifetime(), RANDOM);
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nSignature-Input: " + h.signatureInput()
        + "\r\nSignature: " + h.signature() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The same receipt used for a second report (a source who goes back and sends again, or a
   * phone that retries with a new submission id): each report is its own case in the feed
   * ({@code caseId} = its id, reviewer-api-and-batches.md §4), so neither is refused by the
   * reviewer tool. Follow-ups stay with the receipt's first report, even when the later report
   * has a smaller id (found by an outside attack: the case used to be the smallest id, read
   * anew each time, so a later report took over follow-ups already filed); a reply belongs to
   * the case it was sent from, and each case's objects (what its erasure deletes) are exactly
   * its own. Two registrations of one new mailbox at the same moment both succeed.
   */
  @Test
  @Order(13)
  void aReceiptUsedForTwoReports_givesTwoCases_andConcurrentRegistrationsNeverFail() throws Exception {
    org.testigo.crypto.receipt.ReceiptKeys keys = org.testigo.crypto.receipt.ReceiptKeys.derive(
        org.testigo.crypto.receipt.Receipt.parse(receipt), new org.testigo.crypto.receipt.ReceiptParams(256, 1, 1),
        HexFormat.of().parseHex(ROOT_FINGERPRINT));
    byte[] lookup = keys.mailboxLookupKey().exposeSecret().clone();
    keys.destroy();
    String firstFollowUp = followUpOnTheStatusPage("Un detalle antes del segundo envío.");
    assertThat(feed().get(firstFollowUp).get("caseId").asText()).isEqualTo(reportId);

    // the same receipt again, under an id smaller than the first report's
    List<RecipientPublicKey> recipients = ManifestChain.verify(SignedManifest.parseArmored(
        Files.readString(DATA.resolve("manifest-chain.txt"))),
        org.testigo.crypto.Fingerprint.fromHex(ROOT_FINGERPRINT)).reviewers().stream()
        .filter(e -> e.receivesReports() && e.isValidAt(Instant.now())).map(ReviewerEntry::encryptionKey).toList();
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("sent again".getBytes(StandardCharsets.UTF_8)), again, recipients,
        Envelope.CONTEXT_REPORT, RANDOM);
    byte[] low = new byte[16];
    RANDOM.nextBytes(low);
    low[0] = 0;
    low[1] = 0;
    String secondId = HexFormat.of().formatHex(low);
    assertThat(secondId).isLessThan(reportId);
    HttpResponse<String> stored = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/api/v1/submissions"))
        .header("Content-Type", "application/octet-stream")
        .header(org.testigo.api.ApiHeaders.MAILBOX, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(lookup))
        .header(org.testigo.api.ApiHeaders.SUBMISSION_ID, secondId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(again.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    assertThat(JSON.readTree(stored.body()).get("id").asText()).isEqualTo(secondId);
    String laterFollowUp = followUpOnTheStatusPage("Otro detalle.");

    Map<String, JsonNode> byId = feed();
    assertThat(byId.get(reportId).get("caseId").asText()).isEqualTo(reportId);
    assertThat(byId.get(secondId).get("context").asText()).isEqualTo("report");
    assertThat(byId.get(secondId).get("caseId").asText()).as("a report is its own case").isEqualTo(secondId);
    assertThat(byId.get(firstFollowUp).get("caseId").asText()).as("a filed follow-up never moves").isEqualTo(reportId);
    assertThat(byId.get(laterFollowUp).get("caseId").asText()).as("the receipt's first report").isEqualTo(reportId);

    // a reply sent from the second case belongs to it, not to the first
    RecipientPublicKey replyKey = RecipientPublicKey.fromBytes(java.util.Base64.getUrlDecoder().decode(
        JSON.readTree(ReviewerRequests.signed(ALICE.signingKey(), "GET",
            reviewer("/api/v1/reviewer/submissions/" + secondId + "/reply-key"), null).send().body())
            .get("replyPublicKey").asText()));
    byte[] reply = sealedReply(replyKey, "Sobre su segundo envío.");
    assertThat(ReviewerRequests.signed(ALICE.signingKey(), "POST",
        reviewer("/api/v1/reviewer/submissions/" + secondId + "/replies"), reply).send().statusCode()).isEqualTo(201);
    List<String> second = objects(secondId);
    List<String> first = objects(reportId);
    assertThat(second).containsExactlyInAnyOrder(byId.get(secondId).get("sha256").asText(), sha256Hex(reply));
    assertThat(first).contains(byId.get(reportId).get("sha256").asText(), byId.get(firstFollowUp).get("sha256").asText(),
        byId.get(laterFollowUp).get("sha256").asText()).doesNotContain(sha256Hex(reply));
    assertThat(first).doesNotContainAnyElementsOf(second);

    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    String body = "{\"lookupKey\":\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fresh)
        + "\",\"replyPublicKey\":\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            org.testigo.crypto.key.RecipientPrivateKey.generate(RANDOM).publicKey().toBytes()) + "\"}";
    long mailboxes = count("mailboxes");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return postForm(source("/api/v1/mailboxes"), "application/json", body.getBytes(StandardCharsets.US_ASCII))
              .statusCode();
        }));
      }
      go.countDown();
      List<Integer> statuses = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> f : answers) {
        statuses.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(statuses).as("never a 500").allMatch(c -> c == 200 || c == 201);
      assertThat(statuses).filteredOn(c -> c == 201).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("mailboxes")).isEqualTo(mailboxes + 1);
  }

  /** Files a follow-up with the receipt on the status page; returns its id (the feed's newest follow-up). */
  static String followUpOnTheStatusPage(String message) throws Exception {
    java.util.Set<String> before = feed().keySet();
    String b = "----RevapiFollowUp";
    String form = "--" + b + "\r\nContent-Disposition: form-data; name=\"receipt\"\r\n\r\n" + receipt + "\r\n--" + b
        + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n" + message + "\r\n--" + b + "--\r\n";
    HttpResponse<String> r = postForm(source("/status/follow-up?lang=es"), "multipart/form-data; boundary=" + b,
        form.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> added = feed().values().stream().filter(n -> !before.contains(n.get("id").asText()))
        .map(n -> n.get("id").asText()).toList();
    assertThat(added).hasSize(1);
    return added.get(0);
  }

  /** The feed from the start, by id. */
  static Map<String, JsonNode> feed() throws Exception {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode n : list("?after=0&limit=100").get("items")) {
      byId.put(n.get("id").asText(), n);
    }
    return byId;
  }

  /** The SHA-256 of every stored envelope of a case (what its erasure must name). */
  static List<String> objects(String caseId) throws Exception {
    HttpResponse<byte[]> r = ReviewerRequests.signed(ALICE.signingKey(), "GET",
        reviewer("/api/v1/reviewer/cases/" + caseId + "/objects"), null).send();
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    JSON.readTree(r.body()).get("objects").forEach(o -> out.add(o.get("sha256").asText()));
    return out;
  }

  static String sha256Hex(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}

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
import java.net.URI;
import java.net.URLEncoder;
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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.domain.Language;
import org.testigo.server.intake.ReceiptLanguages;
import org.testigo.server.storage.TestDatabase;

/**
 * Erasure through the reviewer API on a real MariaDB, the deletions made by the eraser account
 * of ops/install/mariadb-users.sql (docs/spec/retention-and-erasure.md §3). A case with a
 * report, a follow-up, a reply, a rewrapped header and two events is erased by an early
 * decision signed by two reviewers; afterwards no column of any table holds its envelopes'
 * bytes or ids (but the signed events and the erasure row, which name the case), the log has
 * the erasure leaf, both feeds serve the decision, the receipt opens nothing, and events for
 * the case are refused. Every bad decision is refused with the reason and leaves every table
 * as it was; the same decision posted again answers 200 and changes nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureApiAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HexFormat HEX = HexFormat.of();
  /**
   * The time the decisions are dated: half a minute before the class starts, so CAROL's entry
   * (ended at T0 + 1 s) has ended before the server starts and every report is sealed to
   * ALICE and BOB only, however fast the machine.
   */
  static final Instant T0 = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final ReviewerIdentity DAVE = ReviewerIdentity.generate("dave", RANDOM);
  static final ReviewerIdentity EVE = ReviewerIdentity.generate("eve", RANDOM); // in no manifest
  /** A reviewer whose entry ended a moment after T0 (as a revoked or expired key): valid at T0, not now. */
  static final ReviewerIdentity CAROL = ReviewerIdentity.generate("carol", RANDOM);
  /** Genesis three days ago without a policy; the default policy from yesterday on. */
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Erasure test org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALICE, ReviewerEntry.ROLE_REVIEWER), entry(BOB, ReviewerEntry.ROLE_REVIEWER),
          entry(DAVE, ReviewerEntry.ROLE_AUDITOR), ReviewerEntry.of(CAROL.publicBundle(), ReviewerEntry.ROLE_REVIEWER,
              T0.minus(Duration.ofDays(4)), T0.plusSeconds(1))), T0.minus(Duration.ofDays(3))), ROOT);
  static final SignedManifest S1 = SignedManifest.sign(ManifestUpdates.setRetention(S0, RetentionPolicy.DEFAULT,
      T0.minus(Duration.ofDays(1))), ROOT);
  static final TestDatabase DB = TestDatabase.mariadb();
  static final String USERS = "tge_" + HEX.formatHex(randomBytes(5));
  static final Path DATA = prepare();

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("database.type", "MARIADB"),
      ConfigOverride.config("database.url", DB.url()),
      ConfigOverride.config("database.user", "root"),
      ConfigOverride.config("database.passwordFile", DATA.resolve("db-password").toString()),
      ConfigOverride.config("eraserDatabase.user", USERS + "_eraser"),
      ConfigOverride.config("eraserDatabase.passwordFile", DATA.resolve("db-eraser-password").toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static String receipt;
  /** A visit of the source begun before the erasure (the status page's capability). */
  static String visit;
  static String caseId;
  static String followUpId;
  static String otherCaseId;
  /** Every envelope of the case as served before the erasure, by id (report, follow-up, reply). */
  static final Map<String, byte[]> SERVED = new LinkedHashMap<>();
  static byte[] rewrapHeader;
  static EventId recordEvent;
  static EventId otherCaseEvent;
  static List<byte[]> objectHashes;
  static ErasureDecision applied;

  static ReviewerEntry entry(ReviewerIdentity who, String role) {
    return ReviewerEntry.of(who.publicBundle(), role, T0.minus(Duration.ofDays(4)), T0.plus(Duration.ofDays(30)));
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-erasure-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0, S1)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      Files.writeString(dir.resolve("db-password"), "");
      String eraserPassword = HEX.formatHex(randomBytes(16));
      Files.writeString(dir.resolve("db-eraser-password"), eraserPassword);
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.write(Files.createFile(dir.resolve("deployment-secret"), ownerOnly), randomBytes(32));
      Files.write(Files.createFile(dir.resolve("log-key"), ownerOnly), LOG_KEY.exposeSecret());
      createAccounts(eraserPassword);
      return dir;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs ops/install/mariadb-users.sql as install.sh does, for this test's database (migrated
   * already, so the eraser gets its table grants) and uniquely named accounts.
   */
  static void createAccounts(String eraserPassword) throws IOException, InterruptedException {
    String template = Files.readString(Path.of("..", "ops", "install", "mariadb-users.sql"));
    for (String host : List.of("localhost", "127.0.0.1")) {
      String sql = template.replace("@@DB@@", DB.mariadbName()).replace("@@HOST@@", host);
      for (String role : List.of("APP", "MIGRATE", "BACKUP", "ERASER", "ADMIN")) {
        sql = sql.replace("@@" + role + "_USER@@", USERS + "_" + role.toLowerCase(java.util.Locale.ROOT))
            .replace("@@" + role + "_PASSWORD@@", role.equals("ERASER") ? eraserPassword : HEX.formatHex(randomBytes(16)));
      }
      Process p = new ProcessBuilder("mariadb", "--user=root", "--host=127.0.0.1", "--protocol=TCP")
          .redirectErrorStream(true).start();
      p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    }
  }

  @AfterAll
  static void dropDatabaseAndAccounts() throws Exception {
    DB.close();
    try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB_SERVER, "root", "");
        Statement s = c.createStatement()) {
      for (String role : List.of("app", "migrate", "backup", "eraser", "admin")) {
        for (String host : List.of("localhost", "127.0.0.1")) {
          s.execute("DROP USER IF EXISTS '" + USERS + "_" + role + "'@'" + host + "'");
        }
      }
    }
  }

  // ---- HTTP ----

  static URI reviewer(String path) {
    return URI.create("http://127.0.0.1:" + APP.getPort(1) + path);
  }

  static URI source(String path) {
    return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
  }

  static HttpResponse<byte[]> get(ReviewerIdentity who, String path) throws Exception {
    return ReviewerRequests.signed(who.signingKey(), "GET", reviewer(path), null).send();
  }

  static HttpResponse<byte[]> post(ReviewerIdentity who, String path, byte[] body) throws Exception {
    return ReviewerRequests.signed(who.signingKey(), "POST", reviewer(path), body).send();
  }

  static HttpResponse<byte[]> postDecision(byte[] decision) throws Exception {
    return post(ALICE, "/api/v1/reviewer/erasures", decision);
  }

  static HttpResponse<String> form(URI uri, String contentType, byte[] body) throws Exception {
    return ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> publicGet(String path) throws Exception {
    return ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] multipart(String boundary, String[][] fields) {
    StringBuilder s = new StringBuilder();
    for (String[] f : fields) {
      s.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    s.append("--").append(boundary).append("--\r\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The body of the first report's form, as posted (to post the same form again after its erasure). */
  static byte[] firstForm;

  /**
   * A report through the receipt-first form as a phone without JavaScript sends it (the page's
   * receipt, two of its words typed back; sealed by the server, with a mailbox); its receipt.
   */
  static String submitReport(String narrative) throws Exception {
    String b = "----ErasureBoundary";
    String page = publicGet("/report?lang=es").body();
    Matcher w = Pattern.compile("<p class=\"receipt\" id=\"testigo-receipt-words\">((?:<span>[^<]+</span> ?)+)</p>").matcher(page);
    Matcher at = Pattern.compile("name=\"confirm_at\" value=\"([1-8]) ([1-8])\"").matcher(page);
    assertThat(w.find()).isTrue();
    assertThat(at.find()).isTrue();
    String[] words = w.group(1).replaceAll("</?span>", "").split(" ");
    byte[] body = multipart(b, new String[][] {{"version", "1"}, {"lang", "es"}, {"what", "extortion"},
        {"who", "inm"}, {"state", "CHP"}, {"narrative", narrative}, {"wants", "reply"}, {"receipt", w.group(1).replaceAll("</?span>", "")},
        {"confirm_at", at.group(1) + " " + at.group(2)}, {"confirm_1", words[Integer.parseInt(at.group(1)) - 1]},
        {"confirm_2", words[Integer.parseInt(at.group(2)) - 1]}});
    if (firstForm == null) {
      firstForm = body;
    }
    HttpResponse<String> r = form(source("/report?lang=es"), "multipart/form-data; boundary=" + b, body);
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static void followUp(String receiptWords, String message) throws Exception {
    String b = "----ErasureFollowUp";
    HttpResponse<String> r = form(source("/status/follow-up?lang=es"), "multipart/form-data; boundary=" + b,
        multipart(b, new String[][] {{"receipt", receiptWords}, {"message", message}}));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static HttpResponse<String> status(String receiptWords) throws Exception {
    return form(source("/status?lang=es"), "application/x-www-form-urlencoded",
        ("receipt=" + URLEncoder.encode(receiptWords, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
  }

  static JsonNode feed() throws Exception {
    HttpResponse<byte[]> r = get(ALICE, "/api/v1/reviewer/submissions?after=0&limit=100");
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("items");
  }

  static byte[] served(String id) throws Exception {
    HttpResponse<byte[]> r = get(ALICE, "/api/v1/reviewer/submissions/" + id + "/envelope");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  static byte[] sealedEvent(String json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out,
        List.of(ALICE.encryptionKey().publicKey(), BOB.encryptionKey().publicKey()), Envelope.CONTEXT_CASE_EVENT, RANDOM);
    return out.toByteArray();
  }

  /** Posts an event to a case; its id. */
  static EventId postEvent(String caseHex, long lamport, String json) throws Exception {
    byte[] content = sealedEvent(json);
    SignedCaseEvent event = SignedCaseEvent.sign(ALICE.signingKey(), CaseId.fromHex(caseHex), lamport, List.of(),
        Instant.now(), content);
    HttpResponse<byte[]> r = post(ALICE, "/api/v1/reviewer/cases/" + caseHex + "/events",
        LengthPrefixed.join(event.encoded(), content));
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    return event.eventId();
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  // ---- decisions ----

  static ErasureDecision early(String caseHex, Instant at, EventId record, List<byte[]> objects,
      ReviewerIdentity... signers) {
    ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(CaseId.fromHex(caseHex),
        ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY, at, null, record, objects), signers[0].signingKey());
    for (int i = 1; i < signers.length; i++) {
      d = d.cosign(signers[i].signingKey());
    }
    return d;
  }

  // ---- what is stored ----

  /** Row counts of every table (but the nonces every signed request adds), and the events' content bytes. */
  static Map<String, Object> storedState() {
    new org.testigo.server.storage.TransparencyLog(DB.jdbi()).sequence();
    Map<String, Object> m = new TreeMap<>();
    for (String t : tables()) {
      // nonces: every signed request adds one; tree heads: signed on the server's own schedule
      if (!List.of("reviewer_nonces", "log_tree_heads", "log_signer").contains(t)) {
        m.put(t, DB.count(t));
      }
    }
    m.put("case_events.content", DB.jdbi().withHandle(h -> h.createQuery(
        "SELECT COALESCE(SUM(LENGTH(content)), 0) FROM case_events").mapTo(Long.class).one()));
    m.put("log_leaves.envelope_id", DB.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(envelope_id) FROM log_leaves").mapTo(Long.class).one()));
    return m;
  }

  static List<String> tables() {
    return DB.jdbi().withHandle(h -> h.createQuery("SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = :db AND table_type = 'BASE TABLE' ORDER BY table_name")
        .bind("db", DB.mariadbName()).mapTo(String.class).list());
  }

  /** Every "table.column" of a binary or text type whose value contains {@code needle}. */
  static List<String> columnsHolding(byte[] needle) {
    List<String[]> columns = DB.jdbi().withHandle(h -> h.createQuery("SELECT table_name, column_name FROM"
        + " information_schema.columns WHERE table_schema = :db AND data_type IN ('binary', 'varbinary', 'blob',"
        + " 'tinyblob', 'mediumblob', 'longblob', 'char', 'varchar', 'text', 'mediumtext', 'longtext')")
        .bind("db", DB.mariadbName()).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
    List<String> found = new ArrayList<>();
    for (String[] c : columns) {
      long n = DB.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM `" + c[0] + "` WHERE LOCATE(:needle,"
          + " CAST(`" + c[1] + "` AS BINARY)) > 0").bind("needle", needle).mapTo(Long.class).one());
      if (n > 0) {
        found.add(c[0] + "." + c[1]);
      }
    }
    return found;
  }

  static void assertRefused(HttpResponse<byte[]> r, int status, String message, Map<String, Object> before)
      throws Exception {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    if (message != null) {
      assertThat(JSON.readTree(r.body()).get("message").asText()).contains(message);
    }
    assertThat(storedState()).isEqualTo(before);
  }

  // ---- the tests, in order ----

  @Test
  @Order(1)
  void setup_aCaseWithReportFollowUpReplyRewrapAndEvents_andASecondCase() throws Exception {
    receipt = submitReport("Nos quitaron todo en el retén de Huehuetoca. MARCADOR-ERASURE");
    followUp(receipt, "Otro detalle del retén.");
    JsonNode items = feed();
    assertThat(items).hasSize(2);
    caseId = items.get(0).get("caseId").asText();
    for (JsonNode n : items) {
      assertThat(n.get("caseId").asText()).isEqualTo(caseId);
      if (!n.get("id").asText().equals(caseId)) {
        assertThat(n.get("context").asText()).isEqualTo("follow-up");
        followUpId = n.get("id").asText();
      }
    }
    SERVED.put(caseId, served(caseId)); // the report first, then the follow-up, then the reply
    SERVED.put(followUpId, served(followUpId));
    // a reply to the source, sealed to the mailbox's reply key
    JsonNode key = JSON.readTree(get(ALICE, "/api/v1/reviewer/submissions/" + caseId + "/reply-key").body());
    RecipientPublicKey replyKey = RecipientPublicKey.fromBytes(Base64.getUrlDecoder().decode(
        key.get("replyPublicKey").asText()));
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(payload);
    w.writePart(new PartHeader("message", null, "text/plain; charset=utf-8"),
        "Recibimos su denuncia.".getBytes(StandardCharsets.UTF_8));
    w.finish();
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload.toByteArray()), reply, List.of(replyKey), Envelope.CONTEXT_REPLY,
        RANDOM);
    HttpResponse<byte[]> stored = post(ALICE, "/api/v1/reviewer/submissions/" + caseId + "/replies",
        reply.toByteArray());
    assertThat(stored.statusCode()).isEqualTo(201);
    SERVED.put(JSON.readTree(stored.body()).get("id").asText(), reply.toByteArray());
    HttpResponse<String> page = status(receipt);
    assertThat(page.body()).contains("Recibimos su denuncia.");
    Matcher v = Pattern.compile("<input type=\"hidden\" name=\"visit\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(v.find()).isTrue();
    visit = v.group(1);
    // a rewrap of the report (new stanzas for the same reviewers)
    rewrapHeader = Envelope.rewrapHeader(new ByteArrayInputStream(SERVED.get(caseId)), ALICE.encryptionKey(),
        Envelope.CONTEXT_REPORT, List.of(ALICE.encryptionKey().publicKey(), BOB.encryptionKey().publicKey()), RANDOM);
    assertThat(post(ALICE, "/api/v1/reviewer/rewraps/" + caseId, rewrapHeader).statusCode()).isEqualTo(201);
    // two events: one of triage, one that carries the statistical record
    postEvent(caseId, 1, "{\"v\":1,\"type\":\"acknowledge\"}");
    recordEvent = postEvent(caseId, 2, "{\"v\":1,\"type\":\"erasure\"}");
    // a second case, with an event of its own
    submitReport("Un segundo informe.");
    otherCaseId = feed().get(2).get("id").asText();
    otherCaseEvent = postEvent(otherCaseId, 1, "{\"v\":1,\"type\":\"acknowledge\"}");
    assertThat(DB.count("envelope_rewraps")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void objects_listsEveryStoredEnvelopeOfTheCaseBySha256_andOnlyThem() throws Exception {
    HttpResponse<byte[]> r = get(DAVE, "/api/v1/reviewer/cases/" + caseId + "/objects");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("caseId").asText()).isEqualTo(caseId);
    List<String> expected = new ArrayList<>();
    for (byte[] e : SERVED.values()) {
      expected.add(HEX.formatHex(sha256(e))); // as stored: the report before its rewrap
    }
    expected.sort(null);
    List<String> listed = new ArrayList<>();
    List<String> contexts = new ArrayList<>();
    for (JsonNode o : body.get("objects")) {
      listed.add(o.get("sha256").asText());
      contexts.add(o.get("context").asText());
      assertThat(o.get("receivedDay").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    }
    assertThat(listed).isEqualTo(expected);
    assertThat(contexts).containsExactlyInAnyOrder("report", "follow-up", "reply");
    objectHashes = listed.stream().map(HEX::parseHex).toList();

    assertThat(get(ALICE, "/api/v1/reviewer/cases/" + "00".repeat(16) + "/objects").statusCode()).isEqualTo(404);
    assertThat(get(ALICE, "/api/v1/reviewer/cases/not-an-id/objects").statusCode()).isEqualTo(404);
    assertThat(get(ALICE, "/api/v1/reviewer/cases/" + followUpId + "/objects").statusCode()).isEqualTo(404);
    assertThat(publicGet("/api/v1/reviewer/cases/" + caseId + "/objects").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void erase_refusesEveryBadDecisionWithTheReason_andChangesNothing() throws Exception {
    Map<String, Object> before = storedState();
    Instant now = Instant.now();
    ErasureDecision good = early(caseId, now, recordEvent, objectHashes, ALICE, BOB);

    byte[] garbage = randomBytes(300);
    assertRefused(postDecision(garbage), 400, null, before);
    assertRefused(postDecision(new byte[0]), 400, null, before);
    byte[] tampered = good.encoded().clone();
    tampered[40] ^= 1; // inside the signed body
    assertRefused(postDecision(tampered), 400, null, before);
    byte[] trailing = Arrays.copyOf(good.encoded(), good.encoded().length + 1);
    assertRefused(postDecision(trailing), 400, null, before);
    assertRefused(postDecision(new byte[256 * 1024 + 1]), 413, null, before);

    assertRefused(postDecision(early(caseId, now, recordEvent, objectHashes, ALICE, EVE).encoded()), 403,
        "is not a reviewer or admin", before);
    assertRefused(postDecision(early(caseId, now, recordEvent, objectHashes, ALICE, DAVE).encoded()), 403,
        "is not a reviewer or admin", before);
    assertRefused(postDecision(early(caseId, now, recordEvent, objectHashes, ALICE).encoded()), 403,
        "needs 2 reviewers' signatures", before);
    // carol was a reviewer at T0 and is not now: a decision dated T0 with her signature does not count
    assertRefused(postDecision(early(caseId, T0, recordEvent, objectHashes, ALICE, CAROL).encoded()), 403,
        "is not a reviewer or admin of the manifest in force now", before);
    assertRefused(postDecision(early(caseId, now.minus(Duration.ofDays(31)), recordEvent, objectHashes, ALICE, BOB)
        .encoded()), 403, "more than 30 days ago", before);
    assertRefused(postDecision(early(caseId, now.plus(Duration.ofMinutes(20)), recordEvent, objectHashes, ALICE, BOB)
        .encoded()), 403, "after the server's clock", before);
    // decided while the genesis manifest (no policy) was in force
    assertRefused(postDecision(early(caseId, T0.minus(Duration.ofDays(2)), recordEvent, objectHashes, ALICE, BOB)
        .encoded()), 409, "No retention policy", before);
    assertRefused(postDecision(early(caseId, now, otherCaseEvent, objectHashes, ALICE, BOB).encoded()), 409,
        "record_event is not a stored case event of this case", before);
    assertRefused(postDecision(early(caseId, now, EventId.fromBytes(randomBytes(32)), objectHashes, ALICE, BOB)
        .encoded()), 409, "record_event", before);
    assertRefused(postDecision(early("00".repeat(16), now, recordEvent, objectHashes, ALICE, BOB).encoded()), 404,
        null, before);
    // a follow-up is not a case
    assertRefused(postDecision(early(followUpId, now, recordEvent, objectHashes, ALICE, BOB).encoded()), 404,
        null, before);

    // too few objects: the reply is missing
    byte[] replyHash = sha256(SERVED.values().stream().skip(2).findFirst().orElseThrow());
    List<byte[]> withoutReply = objectHashes.stream().filter(h -> !Arrays.equals(h, replyHash)).toList();
    HttpResponse<byte[]> few = postDecision(early(caseId, now, recordEvent, withoutReply, ALICE, BOB).encoded());
    assertRefused(few, 409, "does not list exactly", before);
    assertThat(JSON.readTree(few.body()).get("missing")).hasSize(1);
    assertThat(JSON.readTree(few.body()).get("missing").get(0).asText()).isEqualTo(HEX.formatHex(replyHash));
    assertThat(JSON.readTree(few.body()).get("unlisted")).isEmpty();
    // too many: one more hash, and the other case's report
    List<byte[]> more = new ArrayList<>(objectHashes);
    byte[] stranger = sha256(served(otherCaseId));
    more.add(stranger);
    HttpResponse<byte[]> many = postDecision(early(caseId, now, recordEvent, more, ALICE, BOB).encoded());
    assertRefused(many, 409, "does not list exactly", before);
    assertThat(JSON.readTree(many.body()).get("missing")).isEmpty();
    assertThat(JSON.readTree(many.body()).get("unlisted").get(0).asText()).isEqualTo(HEX.formatHex(stranger));
    // the hash of the report as served after its rewrap is not a stored envelope's hash
    List<byte[]> rewrapped = new ArrayList<>(withoutReply);
    rewrapped.removeIf(h -> Arrays.equals(h, objectHashes.get(0)));
    rewrapped.add(sha256(served(caseId)));
    assertRefused(postDecision(early(caseId, now, recordEvent, rewrapped, ALICE, BOB).encoded()), 409,
        "does not list exactly", before);

    // an auditor may not post at all; the audit feed is empty
    assertRefused(post(DAVE, "/api/v1/reviewer/erasures", good.encoded()), 403, null, before);
    assertThat(JSON.readTree(publicGet("/api/v1/audit/erasures").body()).get("items")).isEmpty();
    assertThat(feed()).hasSize(3);
  }

  @Test
  @Order(4)
  void erase_deletesEveryTraceOfTheCaseInOneTransaction_andLogsIt() throws Exception {
    Map<String, Object> before = storedState();
    long logBefore = (Long) before.get("log_leaves");
    applied = early(caseId, Instant.now(), recordEvent, objectHashes, ALICE, BOB);
    HttpResponse<byte[]> r = postDecision(applied.encoded());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.get("decision").asText()).isEqualTo(HEX.formatHex(applied.hash()));
    assertThat(answer.get("erasedObjects").asInt()).isEqualTo(3);
    assertThat(answer.get("seq").asLong()).isEqualTo(1);

    Map<String, Object> after = storedState();
    assertThat(after.get("envelopes")).isEqualTo((Long) before.get("envelopes") - 3);
    assertThat(after.get("envelope_rewraps")).isEqualTo(0L);
    assertThat(after.get("mailboxes")).isEqualTo((Long) before.get("mailboxes") - 1);
    assertThat(after.get("mailbox_envelopes")).isEqualTo((Long) before.get("mailbox_envelopes") - 3);
    assertThat(after.get("reviewer_feed")).isEqualTo((Long) before.get("reviewer_feed") - 2);
    assertThat(after.get("case_events")).isEqualTo(before.get("case_events")); // the signed events stay
    assertThat(after.get("erasures")).isEqualTo(1L);
    assertThat(after.get("log_leaves")).isEqualTo(logBefore + 1);

    // no column of any table holds the envelopes' bytes, the rewrapped header or their ids,
    // but the case's id in its signed events and in the erasure row
    for (Map.Entry<String, byte[]> e : SERVED.entrySet()) {
      byte[] bytes = e.getValue();
      int headerLength = Math.toIntExact(Envelope.inspectHeader(new ByteArrayInputStream(bytes)).headerLength());
      assertThat(columnsHolding(Arrays.copyOf(bytes, Math.min(bytes.length, 96)))).as("prefix of " + e.getKey())
          .isEmpty();
      assertThat(columnsHolding(Arrays.copyOfRange(bytes, headerLength, Math.min(bytes.length, headerLength + 64))))
          .as("payload of " + e.getKey()).isEmpty();
      assertThat(columnsHolding(sha256(bytes))).as("hash of " + e.getKey())
          .containsOnly("log_leaves.leaf", "log_leaves.object_hash", "erasures.decision"); // its leaf; the decision
      List<String> withId = columnsHolding(HEX.parseHex(e.getKey()));
      if (e.getKey().equals(caseId)) {
        assertThat(withId).containsExactlyInAnyOrder("case_events.case_id", "case_events.event_bytes",
            "erasures.case_id", "erasures.decision");
      } else {
        assertThat(withId).as("id of " + e.getKey()).isEmpty();
      }
    }
    assertThat(columnsHolding(Arrays.copyOfRange(rewrapHeader, 40, 104))).isEmpty();
    assertThat(columnsHolding("MARCADOR-ERASURE".getBytes(StandardCharsets.UTF_8))).isEmpty();
    // the record event keeps its sealed content; the other event of the case is emptied
    List<Long> contents = DB.jdbi().withHandle(h -> h.createQuery("SELECT LENGTH(content) FROM case_events"
        + " WHERE case_id = :c ORDER BY seq").bind("c", HEX.parseHex(caseId)).mapTo(Long.class).list());
    assertThat(contents).hasSize(2);
    assertThat(contents.get(0)).isZero();
    assertThat(contents.get(1)).isPositive();

    // the log's new leaf is the erasure leaf of this decision
    JsonNode leaves = JSON.readTree(publicGet("/api/v1/log/leaves?start=" + logBefore + "&end=" + (logBefore + 1))
        .body());
    LogLeaf leaf = LogLeaf.parse(HEX.parseHex(leaves.get("leaves").get(0).asText()));
    assertThat(leaf.type()).isEqualTo(LogLeaf.EntryType.ERASURE);
    assertThat(leaf.objectHash()).isEqualTo(applied.hash());
    // both feeds serve the decision; the audit feed is on the source port only
    JsonNode audit = JSON.readTree(publicGet("/api/v1/audit/erasures?after=0").body());
    assertThat(audit.get("items")).hasSize(1);
    assertThat(Base64.getDecoder().decode(audit.get("items").get(0).get("decision").asText()))
        .isEqualTo(applied.encoded());
    assertThat(ErasureDecision.parse(Base64.getDecoder().decode(audit.get("items").get(0).get("decision").asText()))
        .hash()).isEqualTo(applied.hash());
    assertThat(get(ALICE, "/api/v1/audit/erasures").statusCode()).isEqualTo(404);
    JsonNode mine = JSON.readTree(get(BOB, "/api/v1/reviewer/erasures?after=0&limit=10").body());
    assertThat(mine.get("items").get(0).get("caseId").asText()).isEqualTo(caseId);
    assertThat(mine.get("items").get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(mine.get("more").asBoolean()).isFalse();
    assertThat(JSON.readTree(get(BOB, "/api/v1/reviewer/erasures?after=1").body()).get("items")).isEmpty();

    // the case is gone for reviewers and for the source
    assertThat(feed()).hasSize(1);
    assertThat(get(ALICE, "/api/v1/reviewer/submissions/" + caseId + "/envelope").statusCode()).isEqualTo(404);
    assertThat(get(ALICE, "/api/v1/reviewer/cases/" + caseId + "/objects").statusCode()).isEqualTo(410);
    HttpResponse<String> erasedReceipt = status(receipt);
    HttpResponse<String> unknownReceipt = status(Receipt.generate(RANDOM).render(ReceiptLanguages.of(Language.ES)));
    assertThat(erasedReceipt.statusCode()).isEqualTo(unknownReceipt.statusCode());
    assertThat(erasedReceipt.body()).contains("El código no es válido").doesNotContain("Recibimos su denuncia");
    assertThat(unknownReceipt.body()).contains("El código no es válido");
    // a visit begun before the erasure shows nothing either, and takes no follow-up
    HttpResponse<String> openVisit = form(source("/visit?lang=es"), "application/x-www-form-urlencoded",
        ("visit=" + URLEncoder.encode(visit, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(openVisit.statusCode()).isEqualTo(unknownReceipt.statusCode());
    assertThat(openVisit.body()).contains("El código no es válido").doesNotContain("Recibimos su denuncia");
    long envelopes = DB.count("envelopes");
    String b = "----ErasureVisit";
    HttpResponse<String> late = form(source("/visit/follow-up?lang=es"), "multipart/form-data; boundary=" + b,
        multipart(b, new String[][] {{"visit", visit}, {"message", "Otro mensaje."}}));
    assertThat(late.statusCode()).isEqualTo(unknownReceipt.statusCode());
    assertThat(DB.count("envelopes")).isEqualTo(envelopes);
  }

  @Test
  @Order(5)
  void afterErasure_replayIs200AndChangesNothing_anotherDecisionIs409_eventsAre410() throws Exception {
    Map<String, Object> before = storedState();
    HttpResponse<byte[]> replay = postDecision(applied.encoded());
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(replay.body()).get("decision").asText()).isEqualTo(HEX.formatHex(applied.hash()));
    assertThat(JSON.readTree(replay.body()).get("erasedObjects").asInt()).isEqualTo(3);
    assertThat(storedState()).isEqualTo(before);

    ErasureDecision second = early(caseId, Instant.now().plusSeconds(1), recordEvent, objectHashes, BOB, ALICE);
    assertRefused(postDecision(second.encoded()), 409, "already erased by another decision", before);

    byte[] content = sealedEvent("{\"v\":1,\"type\":\"acknowledge\"}");
    SignedCaseEvent event = SignedCaseEvent.sign(ALICE.signingKey(), CaseId.fromHex(caseId), 3, List.of(),
        Instant.now(), content);
    assertRefused(post(ALICE, "/api/v1/reviewer/cases/" + caseId + "/events",
        LengthPrefixed.join(event.encoded(), content)), 410, "erased", before);
    // the other case is untouched and still takes events
    assertThat(get(ALICE, "/api/v1/reviewer/cases/" + otherCaseId + "/objects").statusCode()).isEqualTo(200);
    postEvent(otherCaseId, 2, "{\"v\":1,\"type\":\"acknowledge\"}");
  }

  /**
   * A source chooses its report's id: a report sent under the erased case's id (an outside
   * attack: it was stored, served to reviewers and could be neither triaged nor erased) is
   * refused as an id already used, and nothing is stored.
   */
  @Test
  @Order(6)
  void afterErasure_aReportUnderTheErasedCasesId_is409_andNothingIsStored() throws Exception {
    Map<String, Object> before = storedState();
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("under an erased id".getBytes(StandardCharsets.UTF_8)), sealed,
        List.of(ALICE.encryptionKey().publicKey(), BOB.encryptionKey().publicKey()), Envelope.CONTEXT_REPORT, RANDOM);
    HttpResponse<String> r = ReviewerRequests.CLIENT.send(HttpRequest.newBuilder(source("/api/v1/submissions"))
        .header("Content-Type", "application/octet-stream").header("Testigo-Submission-Id", caseId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(sealed.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(JSON.readTree(r.body()).get("code").asInt()).isEqualTo(409);
    assertThat(storedState()).isEqualTo(before);
    assertThat(feed()).hasSize(1);
    assertThat(get(ALICE, "/api/v1/reviewer/submissions/" + caseId + "/envelope").statusCode()).isEqualTo(404);

    // the same form posted again (a saved page, a reload): its id is the erased case's; the source
    // is not told "received" (an outside attack found it was, with nothing stored)
    HttpResponse<String> again = form(source("/report?lang=es"), "multipart/form-data; boundary=----ErasureBoundary",
        firstForm);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    assertThat(again.body()).doesNotContain("<p class=\"receipt\">");
    assertThat(storedState()).isEqualTo(before);
  }
}

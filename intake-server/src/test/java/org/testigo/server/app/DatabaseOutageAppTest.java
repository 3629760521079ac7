package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.storage.TestDatabase;

/**
 * Issue 3: "database down gives 503 and the service recovers by itself when it returns". The
 * real server on a real MariaDB database reached through a {@link LoopbackProxy}; the proxy
 * (not the shared MariaDB) is cut off. While it is down, the report form, the envelope API,
 * a chunked upload's commit, the status page and the reviewer API answer 503 with Retry-After
 * and a generic body, and the admin health check says the database is unhealthy. After the
 * proxy is restored the same requests succeed without a restart, and no row of the failed
 * requests (nor of one cut off in the middle of its transaction) was stored.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageAppTest {
  static final Path DATA = MariadbApp.dataDirectory("testigo-outage-");
  static final TestDatabase DB = TestDatabase.mariadb();
  static final LoopbackProxy PROXY = proxy();
  static final List<String> TABLES = List.of("envelopes", "envelope_chunks", "mailboxes", "mailbox_envelopes",
      "log_leaves", "reviewer_nonces", "case_events");
  static String receipt;
  static String uploadId;
  static Map<String, Long> beforeOutage;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> "jdbc:mariadb://127.0.0.1:" + PROXY.port() + "/"
          + DB.mariadbName() + "?useServerPrepStmts=true",
          ConfigOverride.config("limits.maxFormBytes", "2000000"),
          ConfigOverride.config("limits.maxEnvelopeBytes", "2000000"),
          // Envelopes above 64 KiB stream into one open transaction: the one cut off mid-way.
          ConfigOverride.config("limits.replayBufferBytes", "65536")));


  static LoopbackProxy proxy() {
    try {
      return new LoopbackProxy(3306);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }


  @AfterAll
  static void dropDatabase() throws Exception {
    PROXY.close();
    DB.close();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  static Map<String, Long> rowCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t : TABLES) {
      m.put(t, DB.count(t));
    }
    return m;
  }

  // --- the requests, the same before, during and after the outage ---

  static HttpResponse<String> formReport() throws Exception {
    return new HttpForms().field("version", "1").field("lang", "es").field("what", "extortion")
        .field("who", "inm").field("state", "CHP").field("place_kind", "train")
        .field("narrative", "Nos pidieron dinero en el tren.").field("wants", "reply")
        .post(url("/report?lang=es"));
  }

  static List<RecipientPublicKey> recipients() throws Exception {
    return ManifestChain.verify(SignedManifest.parseArmored(HttpForms.get(url("/api/v1/manifest"), null).body()),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()))
        .recipients();
  }

  static byte[] sealed(int payloadBytes) throws Exception {
    byte[] payload = new byte[payloadBytes];
    new SecureRandom().nextBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), out, recipients(), Envelope.CONTEXT_REPORT, new SecureRandom());
    return out.toByteArray();
  }

  static HttpResponse<String> apiSubmission() throws Exception {
    return HttpForms.post(url("/api/v1/submissions"), "application/octet-stream", sealed(2000));
  }

  static HttpResponse<String> statusPage() throws Exception {
    return HttpForms.post(url("/status?lang=en"), "application/x-www-form-urlencoded",
        ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
  }

  static HttpResponse<String> commitUpload() throws Exception {
    return HttpForms.post(url("/api/v1/uploads/" + uploadId + "/commit"), "application/json", new byte[0]);
  }

  static HttpResponse<String> reviewerList() throws Exception {
    char[] pass = Files.readString(DATA.resolve(DemoOrganisation.PASSPHRASE)).strip().toCharArray();
    SigningPrivateKey key = Keystore.read(DATA.resolve(DemoOrganisation.KEYSTORE), Passphrase.of(pass)).signingKey();
    URI uri = URI.create("http://127.0.0.1:" + APP.getPort(1) + "/api/v1/reviewer/submissions?after=0&limit=10");
    var h = ReviewerRequestSignature.sign(key, "GET", uri.getHost() + ":" + uri.getPort(), uri.getRawPath(),
        uri.getRawQuery(), null, Instant.now(), ReviewerRequestSignature.DEFAULT_LIFETIME, new SecureRandom());
    return HttpForms.CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Signature-Input", h.signatureInput()).header("Signature", h.signature()).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> health() throws Exception {
    return HttpForms.get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck", null);
  }

  /** Polls until {@code condition} holds; fails after {@code max} (a bound, not a speed target). */
  static void awaitUntil(Duration max, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition still false after " + max).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  @Order(1)
  void beforeTheOutage_everyRequestSucceedsThroughTheProxy() throws Exception {
    HttpResponse<String> report = formReport();
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(report.body());
    assertThat(m.find()).isTrue();
    receipt = m.group(1);
    assertThat(apiSubmission().statusCode()).isEqualTo(201);
    HttpResponse<String> created = HttpForms.post(url("/api/v1/uploads"), "application/json", new byte[0]);
    assertThat(created.statusCode()).isEqualTo(201);
    uploadId = created.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
    byte[] envelope = sealed(3000);
    HttpResponse<String> piece = HttpForms.CLIENT.send(HttpRequest.newBuilder(
            URI.create(url("/api/v1/uploads/" + uploadId + "?offset=0")))
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(envelope))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(piece.statusCode()).as(piece.body()).isEqualTo(200);
    assertThat(statusPage().statusCode()).isEqualTo(200);
    assertThat(reviewerList().statusCode()).isEqualTo(200);
    assertThat(health().statusCode()).isEqualTo(200);
    assertThat(PROXY.openSockets()).as("the server's pool reaches MariaDB through the proxy").isPositive();
  }

  @Test
  @Order(2)
  void whileTheDatabaseIsDown_requestsGet503WithRetryAfterAndAGenericBody() throws Exception {
    beforeOutage = rowCounts();
    PROXY.cutOff();
    Map<String, Callable<HttpResponse<String>>> requests = new LinkedHashMap<>();
    requests.put("report form", DatabaseOutageAppTest::formReport);
    requests.put("envelope API", DatabaseOutageAppTest::apiSubmission);
    requests.put("upload commit", DatabaseOutageAppTest::commitUpload);
    requests.put("status page", DatabaseOutageAppTest::statusPage);
    requests.put("reviewer API", DatabaseOutageAppTest::reviewerList);
    for (var e : requests.entrySet()) {
      long start = System.nanoTime();
      HttpResponse<String> r = e.getValue().call();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("database down: %s answered %d in %d ms%n", e.getKey(), r.statusCode(), millis);
      assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).as(e.getKey()).hasValueSatisfying(
          v -> assertThat(Integer.parseInt(v)).isPositive());
      assertGeneric(e.getKey(), r.body());
    }
    HttpResponse<String> h = health();
    assertThat(h.statusCode()).isEqualTo(500);
    assertThat(h.body()).contains("\"database\":{\"healthy\":false");
    assertThat(rowCounts()).isEqualTo(beforeOutage);
  }

  static void assertGeneric(String what, String body) {
    assertThat(body).as(what).isNotBlank()
        .doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("sql")
        .doesNotContainIgnoringCase("jdbc").doesNotContainIgnoringCase("mariadb")
        .doesNotContain("at org.").doesNotContain("3306").doesNotContain(String.valueOf(PROXY.port()))
        .doesNotContain(DB.mariadbName());
  }

  @Test
  @Order(3)
  void aSubmissionCutOffInsideItsTransaction_storesNothing() throws Exception {
    PROXY.restore();
    awaitUntil(Duration.ofSeconds(60), () -> health().statusCode() == 200);
    Map<String, Long> before = rowCounts();
    byte[] envelope = sealed(1_500_000);
    // The body now arrives whole before the transaction begins (docs/decisions/0015-body-spool.md), so the
    // transaction is short: a slow database link (64 KiB/s) keeps it open long enough to be
    // seen and cut, deterministically.
    PROXY.slow(64 * 1024);
    CompletableFuture<HttpResponse<String>> answer = HttpForms.CLIENT.sendAsync(
        HttpRequest.newBuilder(URI.create(url("/api/v1/submissions"))).timeout(Duration.ofSeconds(90))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(),
        HttpResponse.BodyHandlers.ofString());
    // The server has begun the envelope's transaction once its row is visible uncommitted.
    awaitUntil(Duration.ofSeconds(60), () -> uncommittedEnvelopes() > before.get("envelopes"));
    PROXY.cutOff();
    try {
      HttpResponse<String> r = answer.get(90, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertGeneric("cut-off submission", r.body());
    } catch (java.util.concurrent.ExecutionException resetWhileSending) {
      assertThat(resetWhileSending.getCause()).isInstanceOf(IOException.class);
    }
    PROXY.restore();
    awaitUntil(Duration.ofSeconds(60), () -> uncommittedEnvelopes() == before.get("envelopes"));
    assertThat(rowCounts()).isEqualTo(before);
  }

  /** Envelope rows including those of open transactions (READ UNCOMMITTED), straight to MariaDB. */
  static long uncommittedEnvelopes() throws Exception {
    try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB_SERVER + DB.mariadbName(), "root", "");
        Statement s = c.createStatement()) {
      s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM envelopes")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  @Order(4)
  void whenTheDatabaseReturns_theSameRequestsSucceedWithoutARestart() throws Exception {
    PROXY.restore();
    awaitUntil(Duration.ofSeconds(60), () -> health().statusCode() == 200);
    Map<String, Long> before = rowCounts();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> report = formReport();
    statuses.add(report.statusCode());
    statuses.add(apiSubmission().statusCode());
    statuses.add(commitUpload().statusCode());
    statuses.add(statusPage().statusCode());
    HttpResponse<String> list = reviewerList();
    statuses.add(list.statusCode());
    assertThat(statuses).containsExactly(200, 201, 201, 200, 200);
    assertThat(list.body()).contains("\"id\"");
    Map<String, Long> after = rowCounts();
    assertThat(after.get("envelopes")).isEqualTo(before.get("envelopes") + 3);
    assertThat(after.get("log_leaves")).isEqualTo(before.get("log_leaves") + 3);
    assertThat(after.get("mailboxes")).isEqualTo(before.get("mailboxes") + 1);
    assertThat(after.get("reviewer_nonces")).isEqualTo(before.get("reviewer_nonces") + 1);
    assertThat(countOf("SELECT COUNT(*) FROM envelope_chunks c LEFT JOIN envelopes e ON e.id = c.envelope_id"
        + " WHERE e.id IS NULL")).as("chunks without their envelope").isZero();
    assertThat(countOf("SELECT COUNT(*) FROM envelopes WHERE state <> 'stored'"))
        .as("envelopes begun but never finished").isZero();
  }

  static long countOf(String sql) {
    return DB.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  @Order(5)
  void whenTheDatabaseStopsAnswering_requestsGet503AfterBoundedTimeoutsInsteadOfHanging() throws Exception {
    awaitUntil(Duration.ofSeconds(60), () -> health().statusCode() == 200);
    Map<String, Long> before = rowCounts();
    PROXY.stall();
    try {
      long start = System.nanoTime();
      HttpResponse<String> r = HttpForms.CLIENT.send(HttpRequest.newBuilder(URI.create(url("/api/v1/submissions")))
          .timeout(Duration.ofSeconds(170)).header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(sealed(2000))).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("database not answering: envelope API answered %d in %d ms%n", r.statusCode(), millis);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertGeneric("stalled database", r.body());
      start = System.nanoTime();
      HttpResponse<String> h = health();
      System.out.printf("database not answering: health check answered %d in %d ms%n", h.statusCode(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(h.statusCode()).isEqualTo(500);
    } finally {
      PROXY.restore();
    }
    awaitUntil(Duration.ofSeconds(90), () -> health().statusCode() == 200);
    assertThat(apiSubmission().statusCode()).isEqualTo(201);
    assertThat(rowCounts().get("envelopes")).isEqualTo(before.get("envelopes") + 1);
  }
}

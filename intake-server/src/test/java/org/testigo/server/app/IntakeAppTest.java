package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testigo.api.progress.SourceProgress;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.resources.source.AssetsResource;
import org.testigo.server.views.BrowserSealing;

/**
 * The whole service from the demo config with a temporary data directory (H2): demo
 * bootstrap, pages, a report with a file sent without JavaScript, the receipt, the status
 * page, the envelope API, and the invariants (no plaintext at rest, no address or user agent
 * in logs, nothing stored on bad input).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeAppTest {
  static final Path DATA = tempDir();
  static final Instant STARTED = Instant.now();
  static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  static final String MARKER = "MRK" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("limits.maxFormBytes", "2000000"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "2000000"));

  static Path tempDir() {
    try {
      return Files.createTempDirectory("testigo-app-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLoggerName().startsWith("jdk.internal.httpclient")) {
        return; // the test's own HTTP client, not the server
      }
      LOG.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
    }
  };

  /**
   * Attaches the capturing appender to the root logger before every test. The logging
   * context is shared by every app test in this JVM; an app started or stopped by an earlier
   * test class can reset or stop it, so the appender is re-attached each time.
   */
  @BeforeEach
  void captureLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (!ctx.isStarted()) {
      ctx.start();
    }
    if (!CAPTURE.isStarted()) {
      CAPTURE.setContext(ctx);
      CAPTURE.start();
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(CAPTURE.getName()) == null || !root.isAttached(CAPTURE)) {
      CAPTURE.setName("intake-app-test-capture");
      root.addAppender(CAPTURE);
    }
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    ctx.getLogger("jdk.internal.httpclient").setLevel(ch.qos.logback.classic.Level.WARN);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  static long count(String table) throws Exception {
    try (Connection c = h2(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Connection h2() throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", "");
  }

  static byte[] envelopeBytes(String context) throws Exception {
    try (Connection c = h2();
        PreparedStatement s = c.prepareStatement("SELECT c.data FROM " + org.testigo.server.storage.EnvelopeDao.PARTS
            + " c JOIN envelopes e ON e.id = c.envelope_id WHERE e.context = ? ORDER BY c.envelope_id, c.idx")) {
      s.setString(1, context);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.writeBytes(rs.getBytes(1));
        }
      }
      return out.toByteArray();
    }
  }

  static ReviewerIdentity demoReviewer() throws Exception {
    char[] pass = Files.readString(DATA.resolve(DemoOrganisation.PASSPHRASE)).strip().toCharArray();
    return Keystore.read(DATA.resolve(DemoOrganisation.KEYSTORE), Passphrase.of(pass));
  }

  static HttpForms validReport() {
    return new HttpForms().field("version", "1").field("lang", "es").field("what", "extortion")
        .field("who", "inm").field("state", "CHP").field("place_kind", "train")
        .field("narrative", "Nos pidieron dinero en el tren. " + MARKER)
        .field("wants", "reply")
        .file("files", "foto.jpg", "image/jpeg", ("JPEGDATA " + MARKER + " END").getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  @Order(1)
  void demoBootstrap_createsAVerifiableManifestAndKeystoreInTheDataDirectory() throws Exception {
    String fp = Files.readString(DATA.resolve("root-fingerprint")).strip();
    var latest = ManifestChain.verify(SignedManifest.parseArmored(
        Files.readString(DATA.resolve("manifest-chain.txt"))), org.testigo.crypto.Fingerprint.fromHex(fp));
    ReviewerIdentity reviewer = demoReviewer();
    assertThat(latest.recipients()).containsExactly(reviewer.encryptionKey().publicKey());
    assertThat(Files.size(DATA.resolve("deployment-secret"))).isEqualTo(32);
  }

  @Test
  @Order(2)
  void pages_carryStrictHeadersNoCookieNoServerAndStayUnder100KB() throws Exception {
    for (String path : List.of("/", "/report", "/status", "/assets/testigo.css", "/assets/testigo.js", "/nope", "/api/v1/manifest")) {
      HttpResponse<String> r = HttpForms.get(url(path), null);
      assertThat(r.headers().firstValue("Content-Security-Policy")).contains(org.testigo.server.edge.SecurityHeaders.CSP);
      assertThat(r.headers().firstValue("Referrer-Policy")).contains("same-origin");
      assertThat(r.headers().firstValue("Cache-Control")).as(path)
          .contains(path.startsWith("/assets/") ? AssetsResource.CACHE : "no-store");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.headers().firstValue("Server")).isEmpty();
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(path.endsWith(".js") ? 256 * 1024 : 100 * 1024);
    }
    String form = HttpForms.get(url("/report"), null).body();
    assertThat(form.split("<script", -1)).as("exactly one script: the same-origin bundle with SRI").hasSize(2);
    assertThat(form).contains("<script src=\"/assets/testigo.js\" integrity=\"" + BrowserSealing.integrity() + "\" defer>")
        .contains("<html lang=\"es\"").doesNotContain("style=")
        .doesNotContain("http://").doesNotContain("https://").contains("enctype=\"multipart/form-data\"");
  }

  /**
   * Static assets (no secret, no reflected input) are served gzip-compressed when asked and
   * cacheable, their bytes unchanged once inflated (the SRI hash pins them); the home page, the
   * forms and the no-JS pages together stay under the issue-23 budgets (docs/decisions/0009-no-compressed-responses.md).
   */
  @Test
  @Order(2)
  void assets_areGzippedWhenAcceptedCacheableAndPagesStayWithinBudget() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long assets = 0;
    for (String path : List.of("/assets/testigo.css", "/assets/testigo.js")) {
      HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(plain.headers().firstValue("Content-Encoding")).as(path).isEmpty();
      HttpResponse<byte[]> gz = http.send(HttpRequest.newBuilder(URI.create(url(path)))
          .header("Accept-Encoding", "gzip, deflate, br").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(gz.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
      assertThat(gz.headers().firstValue("Vary")).as(path).contains("Accept-Encoding");
      assertThat(gz.headers().firstValue("Cache-Control")).as(path).contains(AssetsResource.CACHE);
      assertThat(gz.body().length).as(path).isLessThan(plain.body().length / 2);
      try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
        assertThat(in.readAllBytes()).as(path + " inflates to the served bytes").isEqualTo(plain.body());
      }
      HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(URI.create(url(path)))
          .header("Accept-Encoding", "gzip;q=0, identity").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(refused.headers().firstValue("Content-Encoding")).as(path).isEmpty();
      assertThat(refused.body()).isEqualTo(plain.body());
      assets += gz.body().length;
    }
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url("/assets/testigo.js"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(BrowserSealing.script());
    long report = http.send(HttpRequest.newBuilder(URI.create(url("/report"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body().length;
    long home = http.send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body().length;
    System.out.printf("page weight: home %d B, report form %d B, css+js gzipped %d B%n", home, report, assets);
    assertThat(report + assets).as("report page with JS, transferred").isLessThan(100 * 1024);
    assertThat(report + assets - gzLength(http, "/assets/testigo.js")).as("report page without JS").isLessThan(30 * 1024);
    assertThat(home).isLessThan(30 * 1024);

    HttpResponse<byte[]> icon = http.send(HttpRequest.newBuilder(URI.create(url("/favicon.ico"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(icon.statusCode()).isEqualTo(204);
    assertThat(icon.body()).isEmpty();
    HttpResponse<byte[]> clip = http.send(HttpRequest.newBuilder(URI.create(url("/assets/audio/ht/what.ogg")))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(clip.statusCode()).isEqualTo(200);
    assertThat(clip.headers().firstValue("Content-Type")).contains("audio/ogg");
    assertThat(new String(clip.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url("/assets/audio/xx/what.ogg"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);
  }

  static long gzLength(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  /** No dynamic response is compressed, even when asked (BREACH; docs/decisions/0009-no-compressed-responses.md). */
  @Test
  @Order(2)
  void pages_areNeverCompressed() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : List.of("/", "/report", "/status", "/api/v1/manifest")) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
          .header("Accept-Encoding", "gzip, deflate, br").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Encoding")).as(path).isEmpty();
      assertThat(r.body().length).as(path).isGreaterThan(256); // long enough that gzip would have applied
      assertThat(r.body()[0] == (byte) 0x1f && r.body()[1] == (byte) 0x8b).as(path + " is not gzip").isFalse();
    }
  }

  @Test
  @Order(3)
  void pages_followLangLinkThenAcceptLanguageThenSpanish() throws Exception {
    assertThat(HttpForms.get(url("/?lang=ht"), "en").body()).contains("<html lang=\"ht\"").contains("Denonse");
    assertThat(HttpForms.get(url("/"), "fr-CA,fr;q=0.9").body()).contains("<html lang=\"fr\"");
    assertThat(HttpForms.get(url("/"), "de").body()).contains("<html lang=\"es\"");
    assertThat(HttpForms.get(url("/report?lang=pt"), null).body()).contains("Sequestro");
    // Tor Browser's default English says nothing about its user: Spanish, unless a link chose
    assertThat(HttpForms.get(url("/"), "en-US,en;q=0.5").body()).contains("<html lang=\"es\"");
    assertThat(HttpForms.get(url("/report?lang=en"), "en-US,en;q=0.5").body()).contains("<html lang=\"en\"")
        .contains("action=\"/report?lang=en\"").contains("href=\"/?lang=en\"");
  }

  static String receiptOf(String page) {
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(page);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  @Order(4)
  void report_withoutJavaScriptIsSealedStoredAndOpensOnlyWithTheReviewerKey() throws Exception {
    long before = count("envelopes");
    HttpResponse<String> r = validReport().post(url("/report?lang=es"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(MARKER);
    String receipt = receiptOf(r.body());
    assertThat(receipt.split("\\s+")).hasSize(Receipt.WORD_COUNT);
    assertThat(count("envelopes")).isEqualTo(before + 1);
    assertThat(count("mailboxes")).isEqualTo(1);

    byte[] sealed = envelopeBytes("report");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    Envelope.open(new ByteArrayInputStream(sealed), plain, demoReviewer().encryptionKey(), Envelope.CONTEXT_REPORT);
    PayloadReader payload = new PayloadReader(new ByteArrayInputStream(plain.toByteArray()));
    PayloadReader.Part q = payload.next();
    assertThat(q.header().name()).isEqualTo("questionnaire");
    String json = new String(q.body().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"]").contains(MARKER);
    PayloadReader.Part file = payload.next();
    assertThat(file.header().filename()).isEqualTo("foto.jpg");
    assertThat(new String(file.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("JPEGDATA " + MARKER + " END");
    assertThat(payload.next()).isNull();
  }

  @Test
  @Order(5)
  void status_opensRepliesWithTheReceiptAndAcceptsAFollowUp() throws Exception {
    String receiptWords = receiptOf(validReport().post(url("/report?lang=en")).body());
    HttpResponse<String> empty = HttpForms.post(url("/status?lang=en"), "application/x-www-form-urlencoded",
        ("receipt=" + java.net.URLEncoder.encode(receiptWords, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).contains("There are no replies yet");

    // A reviewer's reply, sealed to the mailbox's reply key and linked as the reviewer API will.
    Receipt receipt = Receipt.parse(receiptWords);
    ReceiptKeys keys = ReceiptKeys.derive(receipt, new ReceiptParams(256, 1, 1),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()).toBytes());
    RecipientPrivateKey replyKey = keys.replyKey();
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    var w = new org.testigo.crypto.payload.PayloadWriter(payload);
    w.writePart(new org.testigo.crypto.payload.PartHeader("message", null, "text/plain; charset=utf-8"),
        "We received your report. <b>Stay safe</b>.".getBytes(StandardCharsets.UTF_8));
    w.finish();
    ByteArrayOutputStream sealedReply = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload.toByteArray()), sealedReply, List.of(replyKey.publicKey()),
        Envelope.CONTEXT_REPLY, new SecureRandom());
    var jdbi = org.jdbi.v3.core.Jdbi.create(IntakeAppTest::h2).installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
    var store = new org.testigo.server.storage.EnvelopeStore(jdbi, 4096, java.time.Clock.systemUTC(), new SecureRandom(),
        new org.testigo.server.storage.TransparencyLog(jdbi));
    byte[] mailboxId = org.testigo.crypto.receipt.MailboxIds.keyedHash(
        new org.testigo.crypto.SecretBytes(Files.readAllBytes(DATA.resolve("deployment-secret"))), keys.mailboxLookupKey());
    store.store("reply", java.util.Optional.of(org.testigo.server.storage.EnvelopeStore.MailboxLink.existing(
        org.testigo.server.domain.MailboxId.fromBytes(mailboxId), "reply")), out -> out.write(sealedReply.toByteArray()));

    HttpResponse<String> withReply = HttpForms.post(url("/status?lang=en"), "application/x-www-form-urlencoded",
        ("receipt=" + java.net.URLEncoder.encode(receiptWords, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(withReply.body()).contains("We received your report. &lt;b&gt;Stay safe&lt;/b&gt;.");

    long before = count("envelopes");
    HttpResponse<String> followUp = new HttpForms().field("receipt", receiptWords)
        .field("message", "More: " + MARKER).file("files", "", "application/octet-stream", new byte[0])
        .post(url("/status/follow-up?lang=en"));
    assertThat(followUp.statusCode()).isEqualTo(200);
    assertThat(count("envelopes")).isEqualTo(before + 1);
    byte[] sealedFollowUp = envelopeBytes("follow-up");
    byte[] opened = Envelope.open(sealedFollowUp, demoReviewer().encryptionKey(), Envelope.CONTEXT_FOLLOW_UP);
    assertThat(new String(opened, StandardCharsets.UTF_8)).contains("More: " + MARKER);
  }

  @Test
  @Order(5)
  void status_showsPublishedProgressInThePageLanguageEscapedAndDropsForgedRecords() throws Exception {
    String receiptWords = receiptOf(validReport().post(url("/report?lang=es")).body());
    storeReply(receiptWords, SourceProgress.received(1).payload());
    storeReply(receiptWords, SourceProgress.referred(2, "<script>alert(1)</script> Fiscalía {1}", "FGR/OAX/123").payload());
    storeReply(receiptWords, SourceProgress.closed(3, SourceProgress.Outcome.REFERRED).payload());
    // Forged or broken records: each is dropped, none shows anything.
    storeReply(receiptWords, progressPayload("{\"v\":1,\"n\":5,\"status\":\"investigating\",\"note\":\"FORGED-1\"}"));
    storeReply(receiptWords, progressPayload("{\"v\":1,\"n\":5,\"status\":\"referred\",\"institution\":\""
        + "FORGED-2".repeat(20) + "\"}"));
    storeReply(receiptWords, progressPayload("{\"v\":1,\"n\":5,\"status\":\"referred\",\"institution\":\"FORGED-3\u202e\"}"));
    storeReply(receiptWords, progressPayload("{\"v\":2,\"status\":\"received\"}"));
    storeReply(receiptWords, progressPayload("FORGED-4 not json"));
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    var w = new org.testigo.crypto.payload.PayloadWriter(mixed);
    w.writePart(new org.testigo.crypto.payload.PartHeader("message", null, "text/plain; charset=utf-8"),
        "FORGED-5".getBytes(StandardCharsets.UTF_8));
    w.writePart(new org.testigo.crypto.payload.PartHeader("progress", null, "application/json"),
        SourceProgress.investigating(4).encode());
    w.finish();
    storeReply(receiptWords, mixed.toByteArray());

    Map<String, List<String>> expected = Map.of(
        "es", List.of("Estado de su denuncia", "Su denuncia fue recibida.",
            "Su denuncia fue enviada a &lt;script&gt;alert(1)&lt;/script&gt; Fiscalía {1} con el número de referencia FGR/OAX/123.",
            "Su caso fue cerrado: el caso pasó a otra institución."),
        "en", List.of("Status of your report", "Your report was received.",
            "Your report was referred to &lt;script&gt;alert(1)&lt;/script&gt; Fiscalía {1} with reference number FGR/OAX/123.",
            "Your case was closed: the case went to another institution."),
        "ht", List.of("Nou resevwa denonsyasyon ou.", "Nou voye denonsyasyon ou bay &lt;script&gt;"),
        "pt", List.of("Sua denúncia foi recebida.", "Sua denúncia foi encaminhada a &lt;script&gt;"),
        "fr", List.of("Votre signalement a été reçu.", "Votre signalement a été transmis à &lt;script&gt;"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      HttpResponse<String> page = HttpForms.post(url("/status?lang=" + e.getKey()), "application/x-www-form-urlencoded",
          ("receipt=" + java.net.URLEncoder.encode(receiptWords, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).as(e.getKey()).contains(e.getValue()).doesNotContain("<script>alert")
          .doesNotContain("FORGED").doesNotContain("progress.");
    }
    // Stored on the same day, in random id order: the publication number orders them, newest first.
    String es = HttpForms.post(url("/status?lang=es"), "application/x-www-form-urlencoded",
        ("receipt=" + java.net.URLEncoder.encode(receiptWords, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)).body();
    assertThat(es.indexOf("Su caso fue cerrado")).isPositive().isLessThan(es.indexOf("Su denuncia fue enviada"));
    assertThat(es.indexOf("Su denuncia fue enviada")).isLessThan(es.indexOf("Su denuncia fue recibida"));
  }

  /** A reply payload of one progress part holding {@code json} as it is (valid or not). */
  private static byte[] progressPayload(String json) throws java.io.IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    var w = new org.testigo.crypto.payload.PayloadWriter(payload);
    w.writePart(new org.testigo.crypto.payload.PartHeader("progress", null, "application/json"),
        json.getBytes(StandardCharsets.UTF_8));
    w.finish();
    return payload.toByteArray();
  }

  /** Seals {@code payload} to the receipt's reply key and links it to its mailbox as a reply. */
  private static void storeReply(String receiptWords, byte[] payload) throws Exception {
    ReceiptKeys keys = ReceiptKeys.derive(Receipt.parse(receiptWords), new ReceiptParams(256, 1, 1),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()).toBytes());
    ByteArrayOutputStream sealedReply = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), sealedReply, List.of(keys.replyKey().publicKey()),
        Envelope.CONTEXT_REPLY, new SecureRandom());
    var jdbi = org.jdbi.v3.core.Jdbi.create(IntakeAppTest::h2).installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
    var store = new org.testigo.server.storage.EnvelopeStore(jdbi, 4096, java.time.Clock.systemUTC(), new SecureRandom(),
        new org.testigo.server.storage.TransparencyLog(jdbi));
    byte[] mailboxId = org.testigo.crypto.receipt.MailboxIds.keyedHash(
        new org.testigo.crypto.SecretBytes(Files.readAllBytes(DATA.resolve("deployment-secret"))), keys.mailboxLookupKey());
    store.store("reply", java.util.Optional.of(org.testigo.server.storage.EnvelopeStore.MailboxLink.existing(
        org.testigo.server.domain.MailboxId.fromBytes(mailboxId), "reply")), out -> out.write(sealedReply.toByteArray()));
  }

  @Test
  @Order(6)
  void badInput_getsGenericErrorsAndChangesNothingStored() throws Exception {
    long envelopes = count("envelopes");
    long chunks = count("envelope_chunks");
    long mailboxes = count("mailboxes");
    byte[] good = validReport().body();
    List<HttpResponse<String>> responses = new ArrayList<>();
    responses.add(HttpForms.post(url("/report"), "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
        java.util.Arrays.copyOf(good, good.length - 30)));
    responses.add(HttpForms.post(url("/report"), "text/plain", good));
    responses.add(HttpForms.post(url("/report"), "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
        "garbage".getBytes(StandardCharsets.US_ASCII)));
    responses.add(new HttpForms().field("version", "9").field("narrative", MARKER).post(url("/report")));
    responses.add(new HttpForms().field("version", "1").field("what", "<b>" + MARKER).post(url("/report")));
    responses.add(new HttpForms().field("version", "1").field("badge", MARKER.repeat(50)).post(url("/report")));
    responses.add(HttpForms.post(url("/status"), "application/x-www-form-urlencoded",
        ("receipt=" + MARKER).getBytes(StandardCharsets.US_ASCII)));
    responses.add(HttpForms.post(url("/api/v1/submissions"), "application/octet-stream",
        ("TESTIGO garbage " + MARKER).getBytes(StandardCharsets.US_ASCII)));
    responses.add(HttpForms.post(url("/api/v1/submissions"), "application/octet-stream",
        java.util.Arrays.copyOf(envelopeBytes("report"), 500)));
    for (HttpResponse<String> r : responses) {
      assertThat(r.statusCode()).isBetween(400, 499);
      assertThat(r.body()).doesNotContain(MARKER).doesNotContain("Exception").doesNotContain("at org.");
    }
    assertThat(responses.get(5).body()).contains("Revise esta pregunta");
    assertThat(oversizedFormAnswers413()).isEqualTo(413);
    assertThat(count("envelopes")).isEqualTo(envelopes);
    assertThat(count("envelope_chunks")).isEqualTo(chunks);
    assertThat(count("mailboxes")).isEqualTo(mailboxes);
  }

  /**
   * Posts a form over the size cap. The server answers 413 as soon as the cap is passed and
   * closes the connection while the client may still be sending, so the client can see the
   * connection reset before it reads the answer: a few attempts, and every answer that does
   * arrive must be 413.
   */
  private static int oversizedFormAnswers413() throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        HttpResponse<String> tooBig = new HttpForms().field("version", "1")
            .file("files", "big.bin", "application/octet-stream", new byte[2_100_000]).post(url("/report"));
        return tooBig.statusCode();
      } catch (java.io.IOException resetWhileSending) {
        Thread.sleep(200);
      }
    }
    return -1;
  }

  @Test
  @Order(7)
  void api_acceptsAnEnvelopeSealedToTheManifestAndRefusesOtherRecipientsOrContexts() throws Exception {
    var manifest = ManifestChain.verify(SignedManifest.parseArmored(HttpForms.get(url("/api/v1/manifest"), null).body()),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    byte[] payload = ("client-sealed " + MARKER).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream good = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), good, manifest.recipients(), Envelope.CONTEXT_REPORT, new SecureRandom());
    long before = count("envelopes");
    HttpResponse<String> ok = HttpForms.post(url("/api/v1/submissions"), "application/octet-stream", good.toByteArray());
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(ok.body()).matches("\\{.*\"id\":\"[0-9a-f]{32}\".*\\}");
    assertThat(count("envelopes")).isEqualTo(before + 1);

    ByteArrayOutputStream stranger = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), stranger,
        List.of(RecipientPrivateKey.generate(new SecureRandom()).publicKey()), Envelope.CONTEXT_REPORT, new SecureRandom());
    ByteArrayOutputStream wrongContext = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), wrongContext, manifest.recipients(), Envelope.CONTEXT_REPLY, new SecureRandom());
    for (byte[] bad : List.of(stranger.toByteArray(), wrongContext.toByteArray())) {
      HttpResponse<String> r = HttpForms.post(url("/api/v1/submissions"), "application/octet-stream", bad);
      assertThat(r.statusCode()).isEqualTo(400);
    }
    assertThat(HttpForms.post(url("/api/v1/submissions"), "application/json", good.toByteArray()).statusCode())
        .isEqualTo(415);
    assertThat(count("envelopes")).isEqualTo(before + 1);
  }

  @Test
  @Order(8)
  void api_registersAMailboxFromALookupKeyWithoutSeeingTheReceipt() throws Exception {
    byte[] lookup = new SecureRandom().generateSeed(32);
    String replyKey = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(RecipientPrivateKey.generate(new SecureRandom()).publicKey().toBytes());
    String body = "{\"lookupKey\":\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(lookup)
        + "\",\"replyPublicKey\":\"" + replyKey + "\"}";
    long before = count("mailboxes");
    assertThat(HttpForms.post(url("/api/v1/mailboxes"), "application/json", body.getBytes(StandardCharsets.US_ASCII))
        .statusCode()).isEqualTo(201);
    assertThat(HttpForms.post(url("/api/v1/mailboxes"), "application/json", body.getBytes(StandardCharsets.US_ASCII))
        .statusCode()).isEqualTo(200);
    assertThat(count("mailboxes")).isEqualTo(before + 1);
    try (Connection c = h2(); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM mailboxes")) {
      while (rs.next()) {
        assertThat(rs.getBytes(1)).isNotEqualTo(lookup);
      }
    }
  }

  @Test
  @Order(9)
  void adminPort_reportsDatabaseAndManifestHealthy() throws Exception {
    HttpResponse<String> r = HttpForms.get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"database\"").contains("\"manifest\"").contains("\"healthy\":true");
    assertThat(HttpForms.get("http://127.0.0.1:" + APP.getAdminPort() + "/metrics", null).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(9)
  void adminTask_exportsTheCiphertextOfAStoredEnvelopeForTheReviewerCli() throws Exception {
    HttpResponse<String> r = HttpForms.post("http://127.0.0.1:" + APP.getAdminPort()
        + "/tasks/export-envelope?latest=true", "text/plain", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    Path exported = Path.of(r.body().strip());
    assertThat(exported.getParent()).isEqualTo(DATA.resolve("exports"));
    byte[] opened = Envelope.open(Files.readAllBytes(exported), demoReviewer().encryptionKey(), Envelope.CONTEXT_REPORT);
    assertThat(new String(opened, StandardCharsets.ISO_8859_1)).contains(MARKER);
  }

  /** The receipt-first form as the page shows it: its receipt, and the two word positions it asks for. */
  static HttpForms receiptFirstReport(String page, String narrative) {
    Matcher w = Pattern.compile("<p class=\"receipt\" id=\"testigo-receipt-words\">((?:<span>[^<]+</span> ?)+)</p>").matcher(page);
    Matcher at = Pattern.compile("name=\"confirm_at\" value=\"([1-8]) ([1-8])\"").matcher(page);
    assertThat(w.find()).as(page).isTrue();
    assertThat(at.find()).isTrue();
    String[] words = w.group(1).replaceAll("</?span>", "").split(" ");
    return new HttpForms().field("version", "1").field("lang", "es").field("what", "extortion")
        .field("who", "inm").field("state", "CHP").field("narrative", narrative + " " + MARKER)
        .field("wants", "reply").field("receipt", w.group(1).replaceAll("</?span>", "")).field("confirm_at", at.group(1) + " " + at.group(2))
        .field("confirm_1", words[Integer.parseInt(at.group(1)) - 1])
        .field("confirm_2", words[Integer.parseInt(at.group(2)) - 1])
        .file("files", "foto.jpg", "image/jpeg", ("JPEGDATA " + MARKER + " END").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A phone without JavaScript that sends the form twice (a second tap on "send" while the first
   * is on its way, or a reload that posts again; user pass: two identical cases reached the
   * reviewers, unlinked): both answers show the form's receipt and one report is stored. The same
   * form sent with other answers is another report (its own case), and the status page labels
   * the two proofs with what they are.
   */
  @Test
  @Order(9)
  void receiptFirstForm_sentTwiceWithTheSameAnswers_isStoredOnce_otherAnswersAreAnotherReport() throws Exception {
    String page = HttpForms.get(url("/report?lang=es"), null).body();
    long envelopes = count("envelopes");
    long mailboxes = count("mailboxes");
    HttpResponse<String> first = receiptFirstReport(page, "Nos quitaron todo en el retén.").post(url("/report?lang=es"));
    HttpResponse<String> again = receiptFirstReport(page, "Nos quitaron todo en el retén.").post(url("/report?lang=es"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    String receipt = receiptOf(first.body());
    assertThat(receiptOf(again.body())).isEqualTo(receipt);
    assertThat(count("envelopes")).isEqualTo(envelopes + 1);
    assertThat(count("mailboxes")).isEqualTo(mailboxes + 1);

    HttpResponse<String> other = receiptFirstReport(page, "Otra cosa: también nos golpearon.")
        .post(url("/report?lang=es"));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(receiptOf(other.body())).isEqualTo(receipt);
    assertThat(count("envelopes")).isEqualTo(envelopes + 2);
    assertThat(count("mailboxes")).isEqualTo(mailboxes + 1);

    HttpResponse<String> status = HttpForms.post(url("/status?lang=es"), "application/x-www-form-urlencoded",
        ("receipt=" + java.net.URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(Pattern.compile("<h3>Denuncia enviada el [0-9]{1,2} de [a-z]+ de 20[0-9]{2}</h3>")
        .matcher(status.body()).results().count()).isEqualTo(2);
  }

  /**
   * A post another site made (a browser says so with Sec-Fetch-Site or a foreign Origin) is
   * refused before anything is read: 403 with a page that says what happened, nothing stored.
   * Another site could otherwise post the no-JavaScript form with a receipt its author knows and
   * show it to the source on our genuine page (outside attack); a null Origin (another site's
   * redirect, a sandboxed frame: second attack) is refused too. Our own pages' posts (our Origin
   * under Referrer-Policy same-origin, Sec-Fetch-Site same-origin) and clients that send neither pass.
   */
  @Test
  @Order(9)
  void postsAnotherSiteMade_areRefusedAndStoreNothing() throws Exception {
    long envelopes = count("envelopes");
    long mailboxes = count("mailboxes");
    byte[] body = validReport().body();
    String type = "multipart/form-data; boundary=" + HttpForms.BOUNDARY;
    for (String[] headers : new String[][] {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
        {"Origin", "http://attacker.example"}, {"Origin", "http://127.0.0.1:1"}, {"Origin", "not a url"},
        {"Origin", "null"}}) {
      for (String path : List.of("/report?lang=es", "/status?lang=es", "/api/v1/submissions")) {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            URI.create(url(path))).header("Content-Type", type).header(headers[0], headers[1])
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path + " " + String.join(": ", headers)).isEqualTo(403);
        assertThat(r.body()).contains(path.startsWith("/api/") ? "This form came from another page"
            : "Este formulario llegó desde otra página").doesNotContain(MARKER);
      }
    }
    assertThat(count("envelopes")).isEqualTo(envelopes);
    assertThat(count("mailboxes")).isEqualTo(mailboxes);
    // our own page's post, as a browser sends it, is stored
    HttpResponse<String> own = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create(url("/report?lang=es"))).header("Content-Type", type).header("Sec-Fetch-Site", "same-origin")
        .header("Origin", "http://127.0.0.1:" + APP.getLocalPort())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    // and a client that sends neither header (the shelter tool, a script)
    HttpResponse<String> noHeaders = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
        .newBuilder(URI.create(url("/report?lang=es"))).header("Content-Type", type)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(noHeaders.statusCode()).as(noHeaders.body()).isEqualTo(200);
    assertThat(count("envelopes")).isEqualTo(envelopes + 2);
  }

  @Test
  @Order(10)
  void atRest_noPlaintextMarkerInDataDirectoryOrTempFilesAndNoAddressOrAgentInLogs() throws Exception {
    try (Connection c = h2()) {
      c.createStatement().execute("CHECKPOINT SYNC");
    }
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    List<Path> hits = new ArrayList<>();
    for (Path root : List.of(DATA, Path.of(System.getProperty("java.io.tmpdir")))) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(Files::isRegularFile).filter(p -> modifiedSinceStart(p)).filter(p -> contains(p, marker))
            .forEach(hits::add);
      } catch (java.io.UncheckedIOException unreadable) {
        // other processes' temp directories may vanish or be unreadable while walking
      }
    }
    assertThat(hits).isEmpty();
    // The capture is live on the logger hierarchy the server uses (it was attached before
    // every test, so whatever the server logged during the earlier requests is in LOG).
    LoggerFactory.getLogger(org.testigo.server.IntakeApplication.class).warn("capture probe");
    assertThat(LOG).contains("capture probe");
    assertThat(LOG).noneMatch(l -> l.contains("127.0.0.1") || l.contains("TestigoProbeAgent") || l.contains(MARKER));
  }

  private static boolean modifiedSinceStart(Path p) {
    try {
      return Files.getLastModifiedTime(p).compareTo(FileTime.from(STARTED.minusSeconds(5))) >= 0
          && Files.size(p) < 512L * 1024 * 1024;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean contains(Path p, byte[] needle) {
    try {
      byte[] hay = Files.readAllBytes(p);
      outer:
      for (int i = 0; i + needle.length <= hay.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (IOException | OutOfMemoryError e) {
      return false;
    }
  }
}

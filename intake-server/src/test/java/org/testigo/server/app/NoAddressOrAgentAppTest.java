package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.storage.TestDatabase;

/**
 * Issue 3 and invariant 2: "No IP address or User-Agent in any log or table". Every request
 * here comes from a distinctive loopback address (127.77.31.9, not the 127.0.0.1 the server
 * and the database use), with a distinctive User-Agent and distinctive forwarding headers
 * (X-Forwarded-For, Forwarded, X-Real-IP naming TEST-NET addresses that are never contacted).
 * After a run of good and bad requests over the source pages, the envelope API, uploads,
 * mailboxes and the reviewer API, a {@code mariadb-dump} of the server's database, the data
 * directory, every log event and everything written to standard output and error (where a
 * request log would go) hold none of the markers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoAddressOrAgentAppTest {
  static final String CLIENT_ADDRESS = "127.77.31.9";
  static final String FORWARDED_ADDRESS = "198.51.100.77";
  static final String REAL_IP = "203.0.113.41";
  static final String AGENT = "TestigoPrivacyProbe/9.1 (agent-"
      + HexFormat.of().formatHex(new SecureRandom().generateSeed(6)) + ")";
  static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
  static final List<String> EVENTS = java.util.Collections.synchronizedList(new ArrayList<>());
  static final PrintStream ORIGINAL_OUT = System.out;
  static final PrintStream ORIGINAL_ERR = System.err;
  static final Path DATA = MariadbApp.dataDirectory("testigo-privacy-");
  static final TestDatabase DB = TestDatabase.mariadb();
  static final Instant STARTED = Instant.now();
  static String receipt;

  static {
    // Before the server starts: its console appender (and a request log, if one were
    // configured) writes through System.out / System.err.
    System.setOut(new PrintStream(new Tee(ORIGINAL_OUT), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(ORIGINAL_ERR), true, StandardCharsets.UTF_8));
  }

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("limits.maxFormBytes", "2000000"),
          ConfigOverride.config("limits.maxEnvelopeBytes", "2000000")));

  /** Copies console output into {@link #CONSOLE} as well. */
  static final class Tee extends OutputStream {
    private final OutputStream original;

    Tee(OutputStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (CONSOLE) {
        CONSOLE.write(b);
      }
      original.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (CONSOLE) {
        CONSOLE.write(b, off, len);
      }
      original.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      original.flush();
    }
  }

  static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      EVENTS.add(e.getLoggerName() + " " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
  };



  @AfterAll
  static void restoreConsoleAndDropDatabase() throws Exception {
    System.setOut(ORIGINAL_OUT);
    System.setErr(ORIGINAL_ERR);
    DB.close();
  }

  /**
   * Attaches the capture to the root logger before every test (the server's start reset the
   * logging configuration) and lets Testigo's own loggers speak at DEBUG; the levels the
   * configuration sets for Jetty and Flyway are kept, as in production.
   */
  @BeforeEach
  void captureLogEvents() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (!CAPTURE.isStarted()) {
      CAPTURE.setContext(ctx);
      CAPTURE.setName("privacy-capture");
      CAPTURE.start();
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!root.isAttached(CAPTURE)) {
      root.addAppender(CAPTURE);
    }
    ctx.getLogger("org.testigo").setLevel(Level.DEBUG);
  }

  /** An HTTP/1.1 exchange over a socket bound to {@link #CLIENT_ADDRESS}. */
  record Reply(int status, String body) {}

  static Reply send(int port, String method, String pathAndQuery, Map<String, String> extraHeaders, String contentType,
      byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(CLIENT_ADDRESS), 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
      StringBuilder h = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("User-Agent: ").append(AGENT).append("\r\n")
          .append("X-Forwarded-For: ").append(FORWARDED_ADDRESS).append("\r\n")
          .append("Forwarded: for=").append(FORWARDED_ADDRESS).append(";proto=http\r\n")
          .append("X-Real-IP: ").append(REAL_IP).append("\r\n")
          .append("Connection: close\r\n");
      extraHeaders.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        h.append("Content-Type: ").append(contentType).append("\r\n")
            .append("Content-Length: ").append(body.length).append("\r\n");
      }
      h.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(h.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return parse(s.getInputStream().readAllBytes());
    }
  }

  static Reply parse(byte[] raw) throws IOException {
    String all = new String(raw, StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    String head = all.substring(0, end);
    int status = Integer.parseInt(head.substring(9, 12));
    String body = all.substring(end + 4);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      StringBuilder joined = new StringBuilder();
      int i = 0;
      while (true) {
        int eol = body.indexOf("\r\n", i);
        int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
        if (size == 0) {
          break;
        }
        // sizes count bytes; the pages are ASCII-escaped HTML or JSON, but decode safely
        byte[] bytes = body.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
        String chunk = new String(java.util.Arrays.copyOf(bytes, size), StandardCharsets.UTF_8);
        joined.append(chunk);
        i = eol + 2 + chunk.length() + 2;
      }
      body = joined.toString();
    }
    return new Reply(status, body);
  }

  static Reply source(String method, String path, String contentType, byte[] body) throws IOException {
    return send(APP.getLocalPort(), method, path, Map.of(), contentType, body);
  }

  static byte[] sealedToManifest(String text) throws Exception {
    var manifest = ManifestChain.verify(SignedManifest.parseArmored(source("GET", "/api/v1/manifest", null, null).body()),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, manifest.recipients(),
        Envelope.CONTEXT_REPORT, new SecureRandom());
    return out.toByteArray();
  }

  @Test
  @Order(1)
  void aRunOfGoodAndBadRequests_fromADistinctiveAddressAndAgent() throws Exception {
    String form = "multipart/form-data; boundary=" + HttpForms.BOUNDARY;
    List<Integer> statuses = new ArrayList<>();
    statuses.add(source("GET", "/", null, null).status());
    statuses.add(source("GET", "/report?lang=fr", null, null).status());
    Reply report = source("POST", "/report?lang=es", form, new HttpForms().field("version", "1").field("lang", "es")
        .field("what", "extortion").field("who", "inm").field("state", "CHP").field("place_kind", "train")
        .field("narrative", "Nos pidieron dinero.").field("wants", "reply")
        .file("files", "foto.jpg", "application/octet-stream", new byte[] {1, 2, 3}).body());
    assertThat(report.status()).as(report.body()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(report.body());
    assertThat(m.find()).isTrue();
    receipt = m.group(1);
    byte[] statusForm = ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
    statuses.add(source("POST", "/status?lang=en", "application/x-www-form-urlencoded", statusForm).status());
    statuses.add(source("POST", "/status/follow-up?lang=en", form, new HttpForms().field("receipt", receipt)
        .field("message", "Otra cosa.").file("files", "", "application/octet-stream", new byte[0]).body()).status());
    statuses.add(source("POST", "/api/v1/submissions", "application/octet-stream", sealedToManifest("api")).status());
    Reply upload = source("POST", "/api/v1/uploads", "application/json", new byte[0]);
    String uploadId = upload.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
    statuses.add(source("PUT", "/api/v1/uploads/" + uploadId + "?offset=0", "application/octet-stream",
        sealedToManifest("upload")).status());
    statuses.add(source("POST", "/api/v1/uploads/" + uploadId + "/commit", "application/json", new byte[0]).status());
    String lookup = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(32));
    String replyKey = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        org.testigo.crypto.key.RecipientPrivateKey.generate(new SecureRandom()).publicKey().toBytes());
    statuses.add(source("POST", "/api/v1/mailboxes", "application/json", ("{\"lookupKey\":\"" + lookup
        + "\",\"replyPublicKey\":\"" + replyKey + "\"}").getBytes(StandardCharsets.US_ASCII)).status());
    statuses.add(reviewerList().status());
    assertThat(statuses).containsExactly(200, 200, 200, 200, 201, 200, 201, 201, 200);

    List<Integer> refused = new ArrayList<>();
    refused.add(source("POST", "/report", form, "garbage".getBytes(StandardCharsets.US_ASCII)).status());
    refused.add(source("POST", "/report", "text/plain", "x".getBytes(StandardCharsets.US_ASCII)).status());
    refused.add(source("POST", "/status", "application/x-www-form-urlencoded",
        "receipt=uno+dos".getBytes(StandardCharsets.US_ASCII)).status());
    refused.add(source("POST", "/api/v1/submissions", "application/octet-stream",
        "TESTIGO garbage".getBytes(StandardCharsets.US_ASCII)).status());
    refused.add(source("GET", "/nope", null, null).status());
    refused.add(source("POST", "/api/v1/mailboxes", "application/json",
        "{\"lookupKey\": \"unterminated".getBytes(StandardCharsets.US_ASCII)).status());
    refused.add(send(APP.getPort(1), "GET", "/api/v1/reviewer/submissions", Map.of(), null, null).status());
    assertThat(refused).hasSize(7).allMatch(status -> status >= 400 && status < 500);
  }

  static Reply reviewerList() throws Exception {
    char[] pass = Files.readString(DATA.resolve(DemoOrganisation.PASSPHRASE)).strip().toCharArray();
    var key = Keystore.read(DATA.resolve(DemoOrganisation.KEYSTORE), Passphrase.of(pass)).signingKey();
    int port = APP.getPort(1);
    String path = "/api/v1/reviewer/submissions";
    var h = ReviewerRequestSignature.sign(key, "GET", "127.0.0.1:" + port, path, "after=0&limit=10", null,
        Instant.now(), ReviewerRequestSignature.DEFAULT_LIFETIME, new SecureRandom());
    return send(port, "GET", path + "?after=0&limit=10",
        Map.of("Signature-Input", h.signatureInput(), "Signature", h.signature()), null, null);
  }

  /** Every textual form of the markers that a log line or a table could hold. */
  static List<String> markers() {
    List<String> m = new ArrayList<>(List.of(CLIENT_ADDRESS, FORWARDED_ADDRESS, REAL_IP, AGENT,
        "TestigoPrivacyProbe", AGENT.substring(AGENT.indexOf("agent-"), AGENT.length() - 1)));
    for (String ip : List.of(CLIENT_ADDRESS, FORWARDED_ADDRESS, REAL_IP)) {
      long n = 0;
      for (String part : ip.split("\\.")) {
        n = n * 256 + Integer.parseInt(part);
      }
      m.add(Long.toString(n)); // INET_ATON form
      m.add(ip.replace('.', '-'));
    }
    return m;
  }

  @Test
  @Order(2)
  void noRequestLogIsConfigured() {
    var server = (DefaultServerFactory) APP.getConfiguration().getServerFactory();
    assertThat(((LogbackAccessRequestLogFactory) server.getRequestLogFactory()).getAppenders())
        .as("a request log records addresses and user agents").isEmpty();
  }

  @Test
  @Order(3)
  void theDatabaseDump_holdsNoAddressOrAgent() throws Exception {
    Process dump = new ProcessBuilder("mariadb-dump", "-h", "127.0.0.1", "-P", "3306", "-u", "root",
        "--skip-comments", "--skip-extended-insert", DB.mariadbName()).redirectErrorStream(false).start();
    byte[] sql;
    try (InputStream in = dump.getInputStream()) {
      sql = in.readAllBytes();
    }
    assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dump.exitValue()).as(new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    String text = new String(sql, StandardCharsets.ISO_8859_1);
    assertThat(text).as("the dump has the rows of the run").contains("INSERT INTO `envelopes`")
        .contains("INSERT INTO `mailboxes`").contains("INSERT INTO `reviewer_nonces`");
    for (String marker : markers()) {
      assertThat(text).as("dump contains " + marker).doesNotContainIgnoringCase(marker);
      assertThat(text).doesNotContainIgnoringCase(HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8)));
    }
    for (String ip : List.of(CLIENT_ADDRESS, FORWARDED_ADDRESS, REAL_IP)) {
      byte[] packed = InetAddress.getByName(ip).getAddress();
      assertThat(text).doesNotContain(new String(packed, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  @Order(4)
  void theDataDirectory_holdsNoAddressOrAgent() throws Exception {
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DATA)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        if (markers().stream().anyMatch(content::contains)) {
          hits.add(p);
        }
      }
    }
    assertThat(hits).isEmpty();
  }

  @Test
  @Order(5)
  void logEventsAndConsoleOutput_holdNoAddressOrAgent() throws Exception {
    // The captures are live: a probe through the server's logger hierarchy and console arrives.
    LoggerFactory.getLogger(IntakeApplication.class).warn("privacy capture probe");
    assertThat(EVENTS).anyMatch(l -> l.contains("privacy capture probe"));
    // Dropwizard's console appender is asynchronous: the probe reaches the console a moment later.
    String console = "";
    for (long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        !console.contains("privacy capture probe") && System.nanoTime() < deadline; Thread.sleep(20)) {
      synchronized (CONSOLE) {
        console = CONSOLE.toString(StandardCharsets.UTF_8);
      }
    }
    assertThat(console).as("the server's console log is captured").contains("privacy capture probe")
        .contains("Starting testigo-intake-server");
    for (String marker : markers()) {
      assertThat(EVENTS).as("log events containing " + marker).noneMatch(l -> l.contains(marker));
      assertThat(console).as("console output containing " + marker).doesNotContain(marker);
    }
  }
}

package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptLanguage;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.storage.TestDatabase;

/**
 * Issue 18 through the real server on MariaDB, with the source connector reading PROXY lines
 * as behind tor ({@code HiddenServiceExportCircuitID haproxy}): each request here starts with
 * the line tor would send for a chosen circuit. One circuit over its share gets 429 with
 * Retry-After before its body is read, while another circuit is served; a visit costs one
 * Argon2id derivation whatever it does next (counted by the server's own metric); a visit's
 * capability opens only its own mailbox and ends on "leave"; and no circuit identifier reaches
 * a log line, the console, the database or the data directory.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FairShareAppTest {
  static final Path DATA = MariadbApp.dataDirectory("testigo-fair-");
  static final TestDatabase DB = TestDatabase.mariadb();
  static final SecureRandom RANDOM = new SecureRandom();
  /** Circuit ids with a distinctive look, so that a leak of one into any output is found. */
  static final int CIRCUIT_A = 0x5eed_a001;
  static final int CIRCUIT_B = 0x5eed_b002;
  static final int CIRCUIT_C = 0x5eed_c003;
  static final int CIRCUIT_D = 0x5eed_d004;
  static final int CIRCUIT_E = 0x5eed_e005;
  static final int CIRCUIT_F = 0x5eed_f006;
  static final int CIRCUIT_G = 0x5eed_f007;
  static final int CIRCUIT_H = 0x5eed_f008;
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
  static final ObjectMapper JSON = new ObjectMapper();

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("server.applicationConnectors[0].useProxyProtocol", "true"),
          ConfigOverride.config("fairness.keyDerivationsPerMinute", "3"),
          ConfigOverride.config("fairness.maxOpenUploads", "2"),
          ConfigOverride.config("fairness.submissionsPerHour", "6"),
          ConfigOverride.config("limits.maxConcurrentSubmissions", "2"),
          ConfigOverride.config("limits.submissionWaitMillis", "3000")));

  static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      EVENTS.add(e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getThreadName());
    }
  };

  @BeforeAll
  static void capture() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    CAPTURE.setContext(ctx);
    CAPTURE.start();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(CAPTURE);
    ctx.getLogger("org.testigo").setLevel(ch.qos.logback.classic.Level.DEBUG);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  /**
   * One HTTP/1.1 exchange on a new connection that begins with tor's PROXY line for
   * {@code circuit} (none when negative).
   */
  static Reply send(long circuit, String method, String path, String contentType, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.setSoTimeout(60_000);
      return exchange(s, circuit, method, path, contentType, body);
    }
  }

  static Reply exchange(Socket s, long circuit, String method, String path, String contentType, byte[] body)
      throws IOException {
    StringBuilder h = new StringBuilder();
    if (circuit >= 0) {
      h.append(proxyLine(circuit));
    }
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: example.onion\r\nConnection: close\r\n");
    if (body != null) {
      h.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    OutputStream out = s.getOutputStream();
    out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    return parse(s.getInputStream());
  }

  /** The line tor's export_hs_client_circuit_id writes: the circuit id is the address's last 32 bits. */
  static String proxyLine(long circuit) {
    return String.format(Locale.ROOT, "PROXY TCP6 fc00:dead:beef:4dad::%x:%x ::1 %d 80\r\n",
        circuit >>> 16, circuit & 0xffff, circuit & 0xffff);
  }

  static Reply parse(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    String[] lines = all.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
    }
    String body = all.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    byte[] raw = chunked.getBytes(StandardCharsets.UTF_8);
    int i = 0;
    while (i < raw.length) {
      int eol = indexOf(raw, i);
      int size = Integer.parseInt(new String(raw, i, eol - i, StandardCharsets.US_ASCII).strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(new String(raw, eol + 2, size, StandardCharsets.UTF_8));
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }

  static int indexOf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    return raw.length;
  }

  static byte[] form(String name, String value) {
    return (name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
  }

  static String randomReceipt() {
    Receipt r = Receipt.generate(RANDOM);
    try {
      return r.render(ReceiptLanguage.ES);
    } finally {
      r.destroy();
    }
  }

  static long derivations() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getAdminPort()), 5000);
      Reply r = exchange(s, -1, "GET", "/metrics", null, null);
      JsonNode gauges = JSON.readTree(r.body()).get("gauges");
      return gauges.get("receipts.derivations").get("value").asLong();
    }
  }

  static String visitOf(String page) {
    Matcher m = Pattern.compile("name=\"visit\" value=\"([0-9a-f]{32})\"").matcher(page);
    assertThat(m.find()).as(page).isTrue();
    return m.group(1);
  }

  static int proofArticles(String page) {
    return page.split("<article class=\"proof\">", -1).length - 1;
  }

  @Test
  @Order(1)
  void statusFlood_overItsShareOneCircuitGets429BeforeItsBody_andAnotherCircuitIsStillServed() throws Exception {
    long before = derivations();
    for (int i = 0; i < 3; i++) {
      Reply r = send(CIRCUIT_A, "POST", "/status?lang=en", "application/x-www-form-urlencoded",
          form("receipt", randomReceipt()));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
    }
    assertThat(derivations()).isEqualTo(before + 3);
    Reply refused = send(CIRCUIT_A, "POST", "/status?lang=en", "application/x-www-form-urlencoded",
        form("receipt", randomReceipt()));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Integer.parseInt(refused.headers().get("retry-after"))).isBetween(1, 61);
    assertThat(refused.body()).contains("Too many requests came from your connection");
    assertThat(derivations()).as("refused before any derivation").isEqualTo(before + 3);

    Reply other = send(CIRCUIT_B, "POST", "/status?lang=en", "application/x-www-form-urlencoded",
        form("receipt", randomReceipt()));
    assertThat(other.status()).isEqualTo(400);
    assertThat(derivations()).isEqualTo(before + 4);
  }

  @Test
  @Order(2)
  void uploadSlots_aCircuitHoldsItsShare_andAnotherCircuitStillOpensOne() throws Exception {
    assertThat(send(CIRCUIT_C, "POST", "/api/v1/uploads", null, null).status()).isEqualTo(201);
    assertThat(send(CIRCUIT_C, "POST", "/api/v1/uploads", null, null).status()).isEqualTo(201);
    Reply third = send(CIRCUIT_C, "POST", "/api/v1/uploads", null, null);
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.headers()).containsKey("retry-after");
    assertThat(JSON.readTree(third.body()).get("code").asInt()).isEqualTo(429);
    assertThat(send(CIRCUIT_B, "POST", "/api/v1/uploads", null, null).status()).isEqualTo(201);
    // A connection without a PROXY line (not through the exporting onion) is served as a
    // circuit of its own.
    assertThat(send(-1, "POST", "/api/v1/uploads", null, null).status()).isEqualTo(201);
    assertThat(send(-1, "GET", "/?lang=en", null, null).status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aVisitCostsOneDerivation_reportStatusAndFollowUps_andLeaveEndsIt() throws Exception {
    long before = derivations();
    Reply report = send(CIRCUIT_D, "POST", "/report?lang=es", "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
        IntakeAppTest.validReport().body());
    assertThat(report.status()).as(report.body()).isEqualTo(200);
    assertThat(derivations()).isEqualTo(before + 1);
    String visit = visitOf(report.body());
    assertThat(report.body()).doesNotContain("/visit/" + visit).doesNotContain("?visit=");

    Reply status = send(CIRCUIT_D, "POST", "/visit?lang=es", "application/x-www-form-urlencoded", form("visit", visit));
    assertThat(status.status()).isEqualTo(200);
    assertThat(visitOf(status.body())).isEqualTo(visit);
    assertThat(proofArticles(status.body())).isEqualTo(1);
    String receiptWords = IntakeAppTest.receiptOf(report.body());
    assertThat(status.body()).doesNotContain(receiptWords);

    for (int i = 0; i < 2; i++) {
      Reply followUp = send(CIRCUIT_D, "POST", "/visit/follow-up?lang=es",
          "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
          new HttpForms().field("visit", visit).field("message", "Más información " + i).body());
      assertThat(followUp.status()).as(followUp.body()).isEqualTo(200);
    }
    Reply after = send(CIRCUIT_D, "POST", "/visit?lang=es", "application/x-www-form-urlencoded", form("visit", visit));
    assertThat(proofArticles(after.body())).isEqualTo(3);
    assertThat(derivations()).as("report, status page and two follow-ups: one derivation").isEqualTo(before + 1);

    assertThat(send(CIRCUIT_D, "POST", "/visit/leave?lang=es", "application/x-www-form-urlencoded",
        form("visit", visit)).status()).isEqualTo(200);
    Reply ended = send(CIRCUIT_D, "POST", "/visit?lang=es", "application/x-www-form-urlencoded", form("visit", visit));
    assertThat(ended.status()).isEqualTo(400);
    assertThat(ended.body()).contains("Su visita terminó");
    Reply endedFollowUp = send(CIRCUIT_D, "POST", "/visit/follow-up?lang=es",
        "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
        new HttpForms().field("visit", visit).field("message", "after leaving").body());
    assertThat(endedFollowUp.status()).isEqualTo(400);
  }

  @Test
  @Order(4)
  void aCapabilityOpensOnlyItsOwnMailbox_andAGuessedOrMalformedOneNothing() throws Exception {
    String first = visitOf(send(CIRCUIT_E, "POST", "/report?lang=es",
        "multipart/form-data; boundary=" + HttpForms.BOUNDARY, IntakeAppTest.validReport().body()).body());
    String second = visitOf(send(CIRCUIT_E, "POST", "/report?lang=es",
        "multipart/form-data; boundary=" + HttpForms.BOUNDARY, IntakeAppTest.validReport().body()).body());
    assertThat(send(CIRCUIT_E, "POST", "/visit/follow-up?lang=es", "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
        new HttpForms().field("visit", first).field("message", "solo para el primero").body()).status()).isEqualTo(200);
    assertThat(proofArticles(send(CIRCUIT_E, "POST", "/visit", "application/x-www-form-urlencoded",
        form("visit", first)).body())).isEqualTo(2);
    assertThat(proofArticles(send(CIRCUIT_E, "POST", "/visit", "application/x-www-form-urlencoded",
        form("visit", second)).body())).isEqualTo(1);
    byte[] guessed = new byte[16];
    RANDOM.nextBytes(guessed);
    for (String bad : List.of(java.util.HexFormat.of().formatHex(guessed), first.toUpperCase(Locale.ROOT),
        first + "0", first.substring(1), "", "../" + first)) {
      Reply r = send(CIRCUIT_E, "POST", "/visit", "application/x-www-form-urlencoded", form("visit", bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.body()).doesNotContain(first).doesNotContain("<article class=\"proof\">");
    }
  }

  @Test
  @Order(5)
  void slowBodiesOnOtherCircuitsHoldNoSubmissionSlot_anHonestReportIsStillStored() throws Exception {
    // The outside tester's F1: with a slot taken before the body, 4 circuits trickling bodies
    // held every slot. Here 2 slots; 2 circuits x 3 slow senders (headers, a few bytes, then
    // nothing): the bodies are spooled without a slot, so an honest report on a third circuit
    // is stored at once.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int circuit : new int[] {CIRCUIT_F, CIRCUIT_G}) {
        for (int i = 0; i < 3; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
          String head = proxyLine(circuit) + "POST /api/v1/submissions HTTP/1.1\r\nHost: example.onion\r\n"
              + "Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\nTESTIGO";
          s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          slow.add(s);
        }
      }
      Thread.sleep(500);
      long started = System.nanoTime();
      Reply report = send(CIRCUIT_H, "POST", "/report?lang=es", "multipart/form-data; boundary=" + HttpForms.BOUNDARY,
          IntakeAppTest.validReport().body());
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(report.status()).as(report.body()).isEqualTo(200);
      assertThat(millis).as("not queued behind the slow senders' 3 s wait").isLessThan(2900);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  @Order(6)
  void noCircuitIdentifierReachesALogTheDatabaseOrTheDataDirectory() throws Exception {
    List<String> markers = new ArrayList<>();
    for (int id : new int[] {CIRCUIT_A, CIRCUIT_B, CIRCUIT_C, CIRCUIT_D, CIRCUIT_E, CIRCUIT_F, CIRCUIT_G, CIRCUIT_H}) {
      markers.add(String.format("%x:%x", id >>> 16, id & 0xffff));
      markers.add(Integer.toHexString(id));
      markers.add(Long.toString(id & 0xffffffffL));
    }
    markers.add("fc00:dead");
    markers.add("fc00:0:dead");
    String logs = String.join("\n", EVENTS).toLowerCase(Locale.ROOT);
    assertThat(EVENTS).isNotEmpty();
    for (String m : markers) {
      assertThat(logs).as("log lines").doesNotContain(m);
    }
    String dump = new String(new ProcessBuilder("mariadb-dump", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--skip-comments", DB.mariadbName())
        .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    assertThat(dump).contains("create table");
    for (String m : markers) {
      assertThat(dump).as("database dump").doesNotContain(m);
    }
    try (Stream<Path> files = Files.walk(DATA)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String m : markers) {
          assertThat(text).as(f.toString()).doesNotContain(m);
        }
      }
    }
  }
}

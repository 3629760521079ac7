package org.testigo.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Issue 17 section 2, on the real server over raw sockets: what Jetty answers by itself carries
 * the security headers and a generic body on every connector; a chunk extension with a line
 * break (request smuggling) is refused; a Content-Length of 2^31 is a 413 with nothing in the
 * log; the admin port's log-level task cannot turn on a logger that sees requests.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EdgeAppTest {
  static final Path DATA = tempDir();
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
  static final String UPLOAD_ID = "5eed0f0e1d2c3b4a5eed0f0e1d2c3b4a";

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      EVENTS.add(e.getLoggerName() + " " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
  };

  static Path tempDir() {
    try {
      return Files.createTempDirectory("testigo-edge-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void captureLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (!CAPTURE.isStarted()) {
      CAPTURE.setContext(ctx);
      CAPTURE.start();
    }
    var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!root.isAttached(CAPTURE)) {
      root.addAppender(CAPTURE);
    }
  }

  static int[] ports() {
    return new int[] {APP.getLocalPort(), APP.getPort(1), APP.getAdminPort()};
  }

  static long envelopes() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM envelopes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void assertHardened(String what, RawHttp.Answer a) {
    SecurityHeaders.ALL.forEach((name, value) -> assertThat(a.header(name)).as(what + ": " + name + " in "
        + a.status() + " " + a.headers() + " " + a.text()).isEqualTo(value));
    assertThat(a.header("Server")).as(what).isNull();
    assertThat(a.text()).as(what).doesNotContain("Exception").doesNotContain("jetty").doesNotContain("\tat ")
        .doesNotContain(UPLOAD_ID);
  }

  static Map<String, byte[]> malformed(int port) {
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("NUL in a header", ("GET / HTTP/1.1\r\n" + host + "X-A: a\u0000b\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("encoded slash", ("GET /api%2fv1 HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("path parameter", ("GET /api;x/v1/manifest HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("dot segment", ("GET /a/../healthcheck HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("bad chunk size", ("POST /api/v1/submissions HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n"
        + "zz\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("two lengths", ("POST /api/v1/submissions HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n"
        + "abcd").getBytes(StandardCharsets.ISO_8859_1));
    m.put("length and chunked", ("POST /api/v1/submissions HTTP/1.1\r\n" + host
        + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("no Host", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    m.put("HTTP/9.9", ("GET / HTTP/9.9\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("space in target", ("GET /a b HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("folded header", ("GET / HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("70 KB header", ("GET / HTTP/1.1\r\n" + host + "X-A: " + "a".repeat(70_000) + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    m.put("bad method", ("G(T / HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("non-ASCII path", ("GET /\u00e9 HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    m.put("length 2^31", ("PUT /api/v1/uploads/" + UPLOAD_ID + " HTTP/1.1\r\n" + host
        + "Content-Length: 2147483648\r\n\r\nabc").getBytes(StandardCharsets.ISO_8859_1));
    m.put("length not a number", ("POST /api/v1/submissions HTTP/1.1\r\n" + host + "Content-Length: 1e3\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    return m;
  }

  @Test
  void jettyItself_isTheVersionWithoutTheChunkExtensionBug() {
    assertThat(Jetty.VERSION).isEqualTo("12.1.14");
  }

  @Test
  void malformedRequests_getAGenericAnswerWithEverySecurityHeader_onEveryConnector() throws Exception {
    long before = envelopes();
    int answered = 0;
    for (int port : ports()) {
      for (var e : malformed(port).entrySet()) {
        RawHttp.Answer a = RawHttp.exchange(port, e.getValue());
        String what = e.getKey() + " on port " + port;
        assertThat(a.status()).as(what).isBetween(400, 505).isNotEqualTo(500);
        assertHardened(what, a);
        if (a.header("Content-Type") != null && a.header("Content-Type").startsWith("application/json")) {
          assertThat(a.text()).as(what).startsWith("{\"code\":" + a.status() + ",");
        }
        answered++;
      }
    }
    assertThat(answered).isEqualTo(3 * malformed(0).size());
    assertThat(envelopes()).isEqualTo(before);
  }

  @Test
  void aChunkExtensionWithALineBreak_isRefused_andStoresNothing() throws Exception {
    long before = envelopes();
    int port = APP.getLocalPort();
    for (String path : List.of("/api/v1/submissions", "/report")) {
      byte[] req = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "1;ext=\"val\r\nX\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      RawHttp.Answer a = RawHttp.exchange(port, req);
      assertThat(a.status()).as(path).isEqualTo(400);
      assertHardened(path, a);
    }
    assertThat(envelopes()).isEqualTo(before);
  }

  @Test
  void aLengthOf2pow31OrMore_is413_withNoStackTraceAndNoPathInTheLog() throws Exception {
    EVENTS.clear();
    int port = APP.getLocalPort();
    for (String target : List.of("PUT /api/v1/uploads/" + UPLOAD_ID, "POST /api/v1/submissions", "POST /report",
        "POST /api/v1/uploads")) {
      for (String length : List.of("2147483648", "9223372036854775807", "99999999999999999999")) {
        byte[] req = (target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + length + "\r\n\r\nabc").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer a = RawHttp.exchange(port, req);
        assertThat(a.status()).as(target + " " + length).isIn(400, 413);
        assertHardened(target, a);
      }
    }
    synchronized (EVENTS) {
      for (String e : EVENTS) {
        assertThat(e).doesNotContain(UPLOAD_ID).doesNotContain("/api/v1/").doesNotContain("\tat ")
            .doesNotContain("NumberFormatException");
      }
    }
  }

  @Test
  void theLogLevelTask_changesOnlyTheServersOwnLoggers() throws Exception {
    int admin = APP.getAdminPort();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Level jetty = ctx.getLogger("org.eclipse.jetty").getEffectiveLevel();
    Level root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
    for (String query : List.of("logger=org.eclipse.jetty&level=DEBUG", "logger=org.eclipse.jetty.server&level=ALL",
        "logger=org.glassfish.jersey&level=TRACE", "level=DEBUG", "logger=ROOT&level=DEBUG",
        "logger=org.testigo&logger=org.eclipse.jetty&level=DEBUG", "logger=org.testigoX&level=DEBUG",
        "logger=org.testigo.%3Cscript%3E&level=DEBUG", "logger=org.testigo..x&level=DEBUG")) {
      RawHttp.Answer a = RawHttp.exchange(admin, RawHttp.request("POST", "/tasks/log-level?" + query, admin, Map.of(),
          new byte[0]));
      assertThat(a.status()).as(query).isNotEqualTo(200);
      assertHardened(query, a);
    }
    assertThat(ctx.getLogger("org.eclipse.jetty").getEffectiveLevel()).isEqualTo(jetty);
    assertThat(ctx.getLogger("org.eclipse.jetty.server").getEffectiveLevel()).isEqualTo(jetty);
    assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(root);
    RawHttp.Answer ok = RawHttp.exchange(admin, RawHttp.request("POST",
        "/tasks/log-level?logger=org.testigo.server.intake&level=DEBUG", admin, Map.of(), new byte[0]));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ctx.getLogger("org.testigo.server.intake").getLevel()).isEqualTo(Level.DEBUG);
    ctx.getLogger("org.testigo.server.intake").setLevel(null);
  }

  @Test
  void aWrongMethod_says405NotFound() throws Exception {
    int port = APP.getLocalPort();
    RawHttp.Answer a = RawHttp.exchange(port, RawHttp.request("DELETE", "/api/v1/manifest", port, Map.of(), null));
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.text()).contains("not allowed").doesNotContain("Not found");
    assertHardened("405", a);
  }

  @Test
  void requestsThatUsedToWriteClientInputIntoTheLog_writeNothingOfIt() throws Exception {
    String marker = "probe" + Long.toHexString(System.nanoTime());
    int source = APP.getLocalPort();
    int reviewer = APP.getPort(1);
    EVENTS.clear();
    String form = "Content-Type: application/x-www-form-urlencoded\r\n";
    List<byte[]> requests = List.of(
        ("PUT /api/v1/uploads/" + UPLOAD_ID + "?ua=" + marker + " HTTP/1.1\r\nHost: " + marker + ".example\r\n" + form
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
        ("GET /?lang=" + marker + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + form + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: Mozilla/5.0 " + marker + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1),
        ("GET / HTTP/1.1\r\nHost: Mozilla/5.0 (X11) " + marker + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1),
        ("POST /status?a=" + marker + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + form + "Content-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    for (int port : new int[] {source, reviewer}) {
      for (byte[] r : requests) {
        RawHttp.Answer a = RawHttp.exchange(port, r);
        assertHardened(new String(r, 0, 40, StandardCharsets.ISO_8859_1), a);
      }
    }
    // Clients that reset their connection in the middle of a response.
    for (int i = 0; i < 10; i++) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.setReceiveBufferSize(1024);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", source), 5000);
        s.getOutputStream().write(("GET /assets/testigo.js?" + marker + "=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        s.getInputStream().read(new byte[100]);
        s.setSoLinger(true, 0);
      }
    }
    Thread.sleep(500);
    synchronized (EVENTS) {
      for (String e : EVENTS) {
        assertThat(e).doesNotContain(marker).doesNotContain(UPLOAD_ID).doesNotContain("\tat ");
      }
    }
  }

  @Test
  void errorsWrittenByServletsOnTheAdminPort_carryTheSecurityHeadersToo() throws Exception {
    int admin = APP.getAdminPort();
    RawHttp.Answer unknownTask = RawHttp.exchange(admin, RawHttp.request("POST", "/tasks/nonexist", admin, Map.of(),
        new byte[0]));
    assertThat(unknownTask.status()).isEqualTo(404);
    assertHardened("unknown task", unknownTask);
    RawHttp.Answer getTask = RawHttp.exchange(admin, RawHttp.request("GET", "/tasks/gc", admin, Map.of(), null));
    assertThat(getTask.status()).isEqualTo(405);
    assertHardened("GET of a task", getTask);
  }

  @Test
  void anEmptyQuery_isNotCanonicalEither() throws Exception {
    for (int port : ports()) {
      RawHttp.Answer a = RawHttp.exchange(port, RawHttp.request("GET", "/api/v1/reviewer/manifest?", port, Map.of(),
          null));
      assertThat(a.status()).isEqualTo(400);
      assertHardened("empty query", a);
    }
  }
}

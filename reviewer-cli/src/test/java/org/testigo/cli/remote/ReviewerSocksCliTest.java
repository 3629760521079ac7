package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.api.client.SocksStandIn;
import org.testigo.cli.CliResult;
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * {@code testigo-reviewer} over SOCKS5: {@code server add --socks} stores the proxy, every
 * request of {@code sync} goes through it with the onion name as a DOMAINNAME, and an onion
 * without a proxy is refused before any connection.
 */
class ReviewerSocksCliTest {
  static final String ONION = "testigoreviewerabcdefghijklmnopqrstuvwxyz234567abcdefgh.onion";
  @TempDir Path home;
  HostileServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, new SecureRandom()), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  static String root() {
    return KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex();
  }

  CliResult reviewer(String... args) {
    return CliResult.run(Stream.concat(Stream.of(args), Stream.of("--home", home.toString(), "-k",
        home.resolve("maria.keystore").toString(), "--passphrase-file", home.resolve("pass").toString()))
        .toArray(String[]::new));
  }

  @Test
  void serverAdd_refusesAnOnionWithoutASocksProxy() {
    CliResult r = CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--home", home.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is an onion address, reachable only through Tor").contains("--socks 127.0.0.1:9050");
    assertThat(home.resolve("servers.json")).doesNotExist();
  }

  @Test
  void serverAdd_rejectsAMalformedProxy() {
    CliResult r = CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--socks", "9050",
        "--home", home.toString());
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains("--socks must be HOST:PORT");
  }

  @Test
  void sync_goesThroughTheStoredProxyWithTheOnionNameAsADomainName() throws Exception {
    byte[] payload = new Payloads().part("questionnaire", null,
        "{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"],\"narrative\":\"por el tren\"}"
            .getBytes(StandardCharsets.UTF_8)).finish();
    byte[] envelope = HostileServer.sealToMaria(payload);
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    String sid = HexFormat.of().formatHex(id);
    byte[] batch = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, sid, envelope), envelope)), false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    try (SocksStandIn socks = new SocksStandIn(server.http.getAddress().getPort())) {
      CliResult add = CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--socks",
          "127.0.0.1:" + socks.port(), "--home", home.toString());
      assertThat(add.code()).as(add.err()).isZero();
      assertThat(add.out()).contains("through the SOCKS proxy 127.0.0.1:" + socks.port());
      assertThat(Files.readString(home.resolve("servers.json"))).contains("\"socks\" : \"127.0.0.1:" + socks.port() + "\"");

      CliResult sync = reviewer("sync");

      assertThat(sync.code()).as(sync.err()).isZero();
      assertThat(sync.out()).contains("1 new submission(s)");
      assertThat(socks.requestedHosts).hasSizeGreaterThanOrEqualTo(3)
          .allMatch(h -> h.equals("domain:" + ONION + ":80"));
      // One circuit per run: every request of the run carries the same random SOCKS username,
      // and the next run another (no rendezvous circuit is reused across runs).
      assertThat(socks.usernames).hasSameSizeAs(socks.requestedHosts)
          .allMatch(u -> u.matches("testigo-reviewer-[0-9a-f]{32}"));
      assertThat(java.util.Set.copyOf(socks.usernames)).hasSize(1);
      String firstRun = socks.usernames.get(0);
      socks.usernames.clear();
      reviewer("sync"); // this stand-in serves the same batch again, which sync refuses: only the circuit matters here
      assertThat(socks.usernames).isNotEmpty().allMatch(u -> !u.equals(firstRun))
          .allMatch(u -> u.matches("testigo-reviewer-[0-9a-f]{32}"));
      CliResult list = reviewer("list");
      assertThat(list.code()).as(list.err()).isZero();
      assertThat(list.out()).contains(sid.substring(0, 12));
    }
  }

  @Test
  void sync_throughAProxyThatRefuses_exits7WithTheReason() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(server.http.getAddress().getPort(), 0xF4)) {
      assertThat(CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--socks",
          "127.0.0.1:" + socks.port(), "--home", home.toString()).code()).isZero();
      CliResult sync = reviewer("sync");
      assertThat(sync.code()).isEqualTo(7);
      assertThat(sync.err()).contains("through the SOCKS proxy 127.0.0.1:" + socks.port())
          .contains("client authorization missing (Tor F4)");
    }
  }

  /** A loopback "server" behind the proxy that answers every connection with {@code answer}, then closes. */
  static java.net.ServerSocket rawServer(byte[] answer) throws java.io.IOException {
    java.net.ServerSocket ss = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!ss.isClosed()) {
        try (java.net.Socket c = ss.accept()) {
          c.setSoTimeout(2_000);
          java.io.InputStream in = c.getInputStream();
          int state = 0;
          int b;
          while (state < 4 && (b = in.read()) >= 0) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
          }
          c.getOutputStream().write(answer);
          c.getOutputStream().flush();
        } catch (java.io.IOException e) {
          // next connection
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return ss;
  }

  @Test
  void sync_throughSocks_toAServerAnsweringGarbage_exits7WithOneLineAndKeepsNothing() throws Exception {
    String longLine = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(40_000) + "\r\n\r\n";
    StringBuilder manyHeaders = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 300; i++) {
      manyHeaders.append("X-").append(i).append(": y\r\n");
    }
    manyHeaders.append("\r\n");
    record Case(String name, byte[] answer, String says) {}
    List<Case> cases = List.of(
        new Case("not HTTP", "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII), "not an HTTP response"),
        new Case("endless header line", longLine.getBytes(StandardCharsets.US_ASCII), "response header line too long"),
        new Case("too many headers", manyHeaders.toString().getBytes(StandardCharsets.US_ASCII), "too many response headers"),
        new Case("bad status", "HTTP/1.1 2OO OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "not an HTTP response"),
        new Case("body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{\"items\":[".getBytes(
            StandardCharsets.US_ASCII), "the connection to the server broke"),
        new Case("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n".getBytes(
            StandardCharsets.US_ASCII), "the connection to the server broke"),
        new Case("empty answer", new byte[0], "connection closed before a response"));
    for (Case c : cases) {
      try (java.net.ServerSocket hostile = rawServer(c.answer()); SocksStandIn socks = new SocksStandIn(hostile.getLocalPort())) {
        Path h = Files.createDirectories(home.resolve("case-" + cases.indexOf(c)));
        assertThat(CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--socks",
            "127.0.0.1:" + socks.port(), "--home", h.toString()).code()).isZero();
        CliResult sync = CliResult.run("sync", "--home", h.toString(), "-k", home.resolve("maria.keystore").toString(),
            "--passphrase-file", home.resolve("pass").toString());
        assertThat(sync.code()).as(c.name() + ": " + sync.err()).isEqualTo(7);
        assertThat(sync.err().strip().lines().count()).as(c.name() + ": " + sync.err()).isEqualTo(1);
        assertThat(sync.err()).as(c.name()).contains(c.says()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(socks.requestedHosts).as(c.name()).allMatch(x -> x.equals("domain:" + ONION + ":80"));
        try (Stream<Path> files = Files.walk(h)) {
          assertThat(files.filter(f -> f.toString().contains("submissions") && Files.isRegularFile(f)).toList())
              .as(c.name()).isEmpty();
        }
      }
    }
  }

  @Test
  void serverAdd_refusesAnOnionAsTheProxyAddress() {
    CliResult r = CliResult.run("server", "add", "http://" + ONION, "--root", root(), "--socks", ONION + ":9050",
        "--home", home.toString());
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains("not an onion address");
    assertThat(home.resolve("servers.json")).doesNotExist();
  }

  @Test
  void auditVerify_throughAProxyThatRefuses_exits7WithTorsReasonNotAFileError() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(server.http.getAddress().getPort(), 0xF5)) {
      CliResult r = CliResult.run("audit", "verify", "--server", "http://" + ONION + "/", "--socks",
          "127.0.0.1:" + socks.port(), "--root", root(), "--state-dir", home.resolve("audit").toString());
      assertThat(r.code()).as(r.err()).isEqualTo(7);
      assertThat(r.err()).contains("through the SOCKS proxy 127.0.0.1:" + socks.port())
          .contains("client authorization rejected (Tor F5)").doesNotContain("input/output error");
    }
  }

  @Test
  void auditVerify_refusesAnOnionWithoutASocksProxy() {
    CliResult r = CliResult.run("audit", "verify", "--server", "http://" + ONION + "/", "--root", root(),
        "--state-dir", home.resolve("audit").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is an onion address").contains("--socks");
  }
}

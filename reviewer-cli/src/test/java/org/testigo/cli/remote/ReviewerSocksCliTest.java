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

  @Test
  void auditVerify_refusesAnOnionWithoutASocksProxy() {
    CliResult r = CliResult.run("audit", "verify", "--server", "http://" + ONION + "/", "--root", root(),
        "--state-dir", home.resolve("audit").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is an onion address").contains("--socks");
  }
}

package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/** The one HTTP client and its SOCKS5 path: the onion rule, refusals, and what reaches the proxy. */
class HttpTransportSocksTest {
  static final String ONION = "testigoreviewerabcdefghijklmnopqrstuvwxyz234567abcdefgh.onion";
  HttpServer http;

  @BeforeEach
  void setUp() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", ex -> {
      try (ex) {
        byte[] body = ("host=" + ex.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, 0); // chunked
        ex.getResponseBody().write(body);
      }
    });
    http.start();
  }

  @AfterEach
  void tearDown() {
    http.stop(0);
  }

  static Optional<Socks5.Address> proxy(int port) {
    return Optional.of(new Socks5.Address("127.0.0.1", port));
  }

  static String get(HttpTransport t, String url) throws IOException {
    try (HttpTransport.Response r = t.exchange("GET", URI.create(url), Map.of(), null)) {
      return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void exchange_sendsTheOnionNameToTheProxyAsADomainName() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(http.getAddress().getPort())) {
      String body = get(new HttpTransport(proxy(socks.port()), 10_000), "http://" + ONION + "/x");
      assertThat(body).isEqualTo("host=" + ONION);
      assertThat(socks.requestedHosts).containsExactly("domain:" + ONION + ":80");
      assertThat(socks.usernames).isEmpty();
    }
  }

  @Test
  void exchange_refusesAnOnionWithoutAProxyBeforeAnyConnection() {
    HttpTransport direct = new HttpTransport(Optional.empty(), 10_000);
    assertThatThrownBy(() -> get(direct, "http://" + ONION.toUpperCase() + "./"))
        .isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
          assertThat(e.getMessage()).contains("onion address").contains("--socks")
              .contains("never resolves an onion name through the system's DNS");
        });
  }

  @Test
  void exchange_throughAProxyThatIsDown_saysToStartTor() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpTransport t = new HttpTransport(proxy(port), 10_000);
    URI uri = URI.create("http://" + ONION + "/");
    IOException e = catchIo(t, uri);
    assertThat(e).isInstanceOf(Socks5.SocksException.class);
    assertThat(t.describe(uri, e)).startsWith("cannot reach the server " + ONION + " through the SOCKS proxy 127.0.0.1:" + port)
        .contains("not accepting connections (is tor running");
  }

  @Test
  void exchange_throughSomethingAnsweringGarbage_saysItIsNotSocks5() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket c = garbage.accept()) {
          c.getInputStream().read(new byte[3]);
          OutputStream out = c.getOutputStream();
          out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException ignored) {
          // test over
        }
      });
      t.setDaemon(true);
      t.start();
      HttpTransport h = new HttpTransport(proxy(garbage.getLocalPort()), 10_000);
      IOException e = catchIo(h, URI.create("http://" + ONION + "/"));
      assertThat(e).isInstanceOf(Socks5.SocksException.class)
          .hasMessageContaining("did not answer as a SOCKS5 proxy");
    }
  }

  @Test
  void exchange_whenTorLacksTheClientAuthKey_explainsF4() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(http.getAddress().getPort(), 0xF4)) {
      IOException e = catchIo(new HttpTransport(proxy(socks.port()), 10_000), URI.create("http://" + ONION + "/"));
      assertThat(e).isInstanceOfSatisfying(Socks5.SocksException.class, s -> assertThat(s.reply()).isEqualTo(0xF4));
      assertThat(e.getMessage()).contains("client authorization missing (Tor F4)")
          .contains("testigo-reviewer tor client-file");
      assertThat(socks.requestedHosts).containsExactly("domain:" + ONION + ":80");
    }
  }

  @Test
  void exchange_whenTheProxyRefuses_explainsEachReply() throws Exception {
    int[] codes = {0x01, 0x05, 0xF0, 0xF2, 0xF5, 0xF6, 0xF7};
    String[] says = {"general failure", "connection refused", "descriptor not found (Tor F0)",
        "introduction failed (Tor F2)", "client authorization rejected (Tor F5)", "invalid onion address (Tor F6)",
        "introduction timed out (Tor F7)"};
    for (int i = 0; i < codes.length; i++) {
      try (SocksStandIn socks = new SocksStandIn(http.getAddress().getPort(), codes[i])) {
        IOException e = catchIo(new HttpTransport(proxy(socks.port()), 10_000), URI.create("http://" + ONION + "/"));
        assertThat(e).as("reply %x", codes[i]).hasMessageContaining(says[i]);
      }
    }
  }

  @Test
  void isolated_sendsTheTokenAsTheSocksUsername() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(http.getAddress().getPort())) {
      get(new HttpTransport(proxy(socks.port()), 10_000).isolated("report-1"), "http://" + ONION + "/");
      assertThat(socks.usernames).containsExactly("report-1");
    }
  }

  private static IOException catchIo(HttpTransport t, URI uri) {
    try (HttpTransport.Response r = t.exchange("GET", uri, Map.of(), null)) {
      InputStream ignored = r.body();
      throw new AssertionError("expected a failure, got HTTP " + r.status() + ignored);
    } catch (IOException e) {
      return e;
    }
  }
}

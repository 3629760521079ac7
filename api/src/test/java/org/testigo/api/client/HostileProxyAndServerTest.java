package org.testigo.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's attacks on the client side of the one SOCKS/HTTP path: a proxy or a server that
 * trickles its answer byte by byte (each byte well within the per-read timeout) is cut off at a
 * deadline for the whole SOCKS handshake or the whole response head; an onion name is refused as
 * the proxy's own address (it would go to the system's resolver); a body the connection breaks
 * off in the middle is a server failure ({@link ClientException}), not a local I/O error.
 */
class HostileProxyAndServerTest {
  static final String ONION = "testigoreviewerabcdefghijklmnopqrstuvwxyz234567abcdefgh.onion";

  /** A one-connection loopback server that runs {@code script} on the accepted socket. */
  static final class Raw implements AutoCloseable {
    final ServerSocket server;

    Raw(Consumer<Socket> script) throws IOException {
      server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket c = server.accept();
            Thread s = new Thread(() -> {
              try (c) {
                script.accept(c);
              } catch (IOException | RuntimeException ignored) {
                // the client went away
              }
            });
            s.setDaemon(true);
            s.start();
          } catch (IOException closed) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Writes {@code bytes} one at a time, {@code gapMillis} apart, until done or the peer leaves. */
  static void trickle(Socket c, byte[] bytes, long gapMillis) {
    try {
      OutputStream out = c.getOutputStream();
      for (byte b : bytes) {
        out.write(b);
        out.flush();
        Thread.sleep(gapMillis);
      }
    } catch (IOException | InterruptedException ignored) {
      // cut off, as it should be
    }
  }

  static void drainRequestHead(Socket c) throws IOException {
    InputStream in = c.getInputStream();
    int state = 0;
    int b;
    while (state < 4 && (b = in.read()) >= 0) {
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
  }

  @Test
  void connect_throughAProxyTricklingAValidAnswer_givesUpAtTheHandshakeDeadline() throws Exception {
    // Every byte comes 300 ms after the last, within the 1 s read timeout: only a deadline for
    // the whole handshake (10 bytes, 3 s) stops it.
    try (Raw proxy = new Raw(c -> {
      try {
        c.getInputStream().readNBytes(3);
        trickle(c, new byte[] {5, 0}, 300);
        c.getInputStream().readNBytes(7 + ONION.length());
        trickle(c, new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 80}, 300);
      } catch (IOException ignored) {
        // cut off
      }
    })) {
      assertThatThrownBy(() -> Socks5.connect(new Socks5.Address("127.0.0.1", proxy.port()), ONION, 80, 5_000, 1_000))
          .isInstanceOf(Socks5.SocksException.class)
          .hasMessageMatching("the proxy (did not complete the SOCKS handshake|could not reach \\S+) within 1 s.*");
    }
  }

  @Test
  void connect_throughAProxyThatNeverFinishesItsGreeting_saysSoInsteadOfARawTimeout() throws Exception {
    try (Raw proxy = new Raw(c -> {
      try {
        c.getInputStream().readNBytes(3);
        c.getOutputStream().write(5);
        c.getOutputStream().flush();
        Thread.sleep(5_000);
      } catch (IOException | InterruptedException ignored) {
        // cut off
      }
    })) {
      assertThatThrownBy(() -> Socks5.connect(new Socks5.Address("127.0.0.1", proxy.port()), ONION, 80, 5_000, 1_000))
          .isInstanceOf(Socks5.SocksException.class)
          .hasMessageContaining("did not complete the SOCKS handshake within 1 s");
    }
  }

  @Test
  void socksAddress_refusesAnOnionNameForTheProxyItself() {
    for (String text : new String[] {ONION + ":9050", "ABC.ONION.:9050", "onion:9050"}) {
      assertThatThrownBy(() -> Socks5.Address.parse(text)).as(text)
          .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.BAD_INPUT))
          .hasMessageContaining("not an onion address");
    }
    assertThat(Socks5.Address.parse("localhost:9050").host()).isEqualTo("localhost");
  }

  @Test
  void checkRoute_refusesEveryOnionSpellingWithoutAProxy() {
    for (String url : new String[] {"http://" + ONION + "/", "http://" + ONION.toUpperCase() + "/",
        "http://" + ONION + "./", "http://" + ONION + ":8080/x"}) {
      assertThatThrownBy(() -> HttpTransport.checkRoute(URI.create(url), Optional.empty())).as(url)
          .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.USAGE));
    }
  }

  @Test
  void exchange_throughSocks_aServerTricklingItsHead_isCutOffAtTheHeadDeadline() throws Exception {
    byte[] head = ("HTTP/1.1 200 OK\r\n" + "X-Filler: " + "a".repeat(200) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try (Raw server = new Raw(c -> {
      try {
        drainRequestHead(c);
      } catch (IOException e) {
        return;
      }
      trickle(c, head, 100);
    }); SocksStandIn socks = new SocksStandIn(server.port())) {
      HttpTransport t = new HttpTransport(Optional.of(new Socks5.Address("127.0.0.1", socks.port())), 1_000);
      URI uri = URI.create("http://" + ONION + "/");
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
          () -> t.exchange("GET", uri, Map.of(), null).close());
      assertThat(e).isInstanceOf(HttpTransport.SlowHeadException.class);
      assertThat(t.describe(uri, e)).contains("through the SOCKS proxy")
          .contains("did not send the head of its answer within 2 s");
    }
  }

  @Test
  void body_brokenOffThroughSocks_isAServerFailureNotALocalIoError() throws Exception {
    byte[][] answers = {
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a little".getBytes(StandardCharsets.US_ASCII),
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n".getBytes(StandardCharsets.US_ASCII)};
    for (byte[] answer : answers) {
      try (Raw server = new Raw(c -> {
        try {
          drainRequestHead(c);
          c.getOutputStream().write(answer);
          c.getOutputStream().flush();
        } catch (IOException ignored) {
          // client gone
        }
      }); SocksStandIn socks = new SocksStandIn(server.port())) {
        HttpTransport t = new HttpTransport(Optional.of(new Socks5.Address("127.0.0.1", socks.port())), 5_000);
        try (HttpTransport.Response r = t.exchange("GET", URI.create("http://" + ONION + "/"), Map.of(), null)) {
          InputStream body = new IdleTimeoutInputStream(r.body(), 5, "the answer to /x");
          assertThatThrownBy(body::readAllBytes)
              .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.SERVER))
              .hasMessageContaining("the connection to the server broke while it was sending the answer to /x");
        }
      }
    }
  }
}

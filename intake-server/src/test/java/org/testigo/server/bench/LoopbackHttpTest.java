package org.testigo.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopbackHttp} against real HTTP/1.1 servers on 127.0.0.1: the JDK's HttpServer
 * answering with a fixed-length body, a chunked body, {@code Connection: close} and an
 * unexpected status, and a bare socket server that closes a kept-alive connection without
 * notice. Each test checks the status, that the request arrived whole, that response bodies
 * were read whole (the next request on the same connection succeeds) and how many connections
 * the server accepted.
 */
class LoopbackHttpTest {
  static final byte[] BODY = "an envelope's bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  HttpServer server;
  int port;
  /** Client addresses seen by the server: one per accepted connection. */
  final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
  final List<String> problems = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/fixed", ex -> answer(ex, 201, false, "{\"id\":\"0123\"}"));
    server.createContext("/chunked", ex -> {
      check(ex);
      ex.sendResponseHeaders(200, 0); // length 0: the JDK server sends it chunked
      try (OutputStream body = ex.getResponseBody()) {
        for (int i = 0; i < 5; i++) {
          body.write(new byte[4000 + i]);
          body.flush();
        }
      }
    });
    server.createContext("/close", ex -> answer(ex, 201, true, "bye"));
    server.createContext("/refuse", ex -> answer(ex, 503, false, "busy"));
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    assertThat(problems).isEmpty();
  }

  @Test
  void fixedLengthResponsesReuseOneConnection() throws IOException {
    try (LoopbackHttp http = new LoopbackHttp(port)) {
      for (int i = 0; i < 5; i++) {
        http.exchange(LoopbackHttp.post(port, "/fixed", "application/octet-stream", BODY), 201);
      }
    }
    assertThat(connections).hasSize(1);
  }

  @Test
  void chunkedResponsesAreReadWholeAndReuseOneConnection() throws IOException {
    try (LoopbackHttp http = new LoopbackHttp(port)) {
      for (int i = 0; i < 5; i++) {
        http.exchange(LoopbackHttp.post(port, "/chunked", "application/octet-stream", BODY), 200);
      }
    }
    assertThat(connections).hasSize(1);
  }

  @Test
  void connectionCloseMakesTheNextRequestReconnect() throws IOException {
    try (LoopbackHttp http = new LoopbackHttp(port)) {
      for (int i = 0; i < 3; i++) {
        http.exchange(LoopbackHttp.post(port, "/close", "application/octet-stream", BODY), 201);
      }
      http.exchange(LoopbackHttp.post(port, "/fixed", "application/octet-stream", BODY), 201);
    }
    assertThat(connections).hasSize(4);
  }

  @Test
  void anUnexpectedStatusThrowsWithTheStatusAndKeepsTheConnection() throws IOException {
    try (LoopbackHttp http = new LoopbackHttp(port)) {
      byte[] refused = LoopbackHttp.post(port, "/refuse", "application/octet-stream", BODY);
      assertThatThrownBy(() -> http.exchange(refused, 201)).isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 503").hasMessageContaining("expected 201");
      http.exchange(LoopbackHttp.post(port, "/fixed", "application/octet-stream", BODY), 201);
    }
    assertThat(connections).hasSize(1);
  }

  @Test
  void aKeptAliveConnectionTheServerClosedWhileIdleIsReplaced() throws Exception {
    // A server may close an idle persistent connection at any time, without a Connection
    // header; the client must notice before it sends the next request on it.
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket bare = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor = new Thread(() -> {
        for (int i = 0; i < 2; i++) {
          try (Socket s = bare.accept()) {
            accepted.incrementAndGet();
            readRequest(s.getInputStream());
            s.getOutputStream().write(
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            problems.add(e.toString());
          }
        }
      });
      acceptor.start();
      int barePort = bare.getLocalPort();
      try (LoopbackHttp http = new LoopbackHttp(barePort)) {
        byte[] request = LoopbackHttp.post(barePort, "/api", "application/octet-stream", BODY);
        http.exchange(request, 201);
        Thread.sleep(LoopbackHttp.VALIDATE_AFTER_IDLE.toMillis() + 300);
        http.exchange(request, 201);
      }
      acceptor.join(10_000);
    }
    assertThat(accepted).hasValue(2);
  }

  void answer(HttpExchange ex, int status, boolean close, String body) throws IOException {
    check(ex);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (close) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Records the connection and any difference between the request and what was sent. */
  void check(HttpExchange ex) throws IOException {
    connections.add(ex.getRemoteAddress());
    byte[] got = ex.getRequestBody().readAllBytes();
    if (!"POST".equals(ex.getRequestMethod()) || !java.util.Arrays.equals(got, BODY)
        || !("127.0.0.1:" + port).equals(ex.getRequestHeaders().getFirst("Host"))
        || !"application/octet-stream".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
      problems.add("request differs: " + ex.getRequestMethod() + " " + ex.getRequestHeaders().entrySet());
    }
  }

  /** Reads the head and the Content-Length body of one request from a bare socket. */
  static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("request head cut short: " + head);
      }
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)\r\n").matcher(head);
    if (!length.find() || in.readNBytes(Integer.parseInt(length.group(1))).length != BODY.length) {
      throw new IOException("request body missing: " + head);
    }
  }
}

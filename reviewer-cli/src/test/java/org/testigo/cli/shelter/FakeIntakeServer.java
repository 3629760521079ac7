package org.testigo.cli.shelter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the intake server's client API (manifest, mailboxes, submissions) on a
 * loopback port, recording what it receives. Answers are configurable per test.
 */
final class FakeIntakeServer implements AutoCloseable {
  record Received(String path, Map<String, List<String>> headers, byte[] body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile String chain = "";
  volatile int mailboxStatus = 201;
  volatile int submissionStatus = 201;
  private final HttpServer server;

  FakeIntakeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    received.add(new Received(path, Map.copyOf(ex.getRequestHeaders()), body));
    switch (ex.getRequestMethod() + " " + path) {
      case "GET /api/v1/manifest" -> reply(ex, 200, chain);
      case "POST /api/v1/mailboxes" -> reply(ex, mailboxStatus, mailboxStatus == 201
          ? "{\"status\":\"created\"}" : "{\"code\":" + mailboxStatus + ",\"message\":\"no\"}");
      case "POST /api/v1/submissions" -> reply(ex, submissionStatus, submissionStatus == 201
          ? "{\"id\":\"00112233445566778899aabbccddeeff\",\"receivedDay\":\"2026-11-28\"}"
          : "{\"code\":" + submissionStatus + ",\"message\":\"busy\"}");
      default -> reply(ex, 404, "{\"code\":404,\"message\":\"not found\"}");
    }
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

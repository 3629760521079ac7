package org.testigo.shelter;

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
  /** When set, serves a transparency log of the received submissions signed with this key. */
  volatile org.testigo.crypto.sign.SigningPrivateKey logKey;
  /** Leaves the log holds before the received submissions (other reports). */
  volatile int otherLeaves = 3;
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
      case "GET /api/v1/log/sth" -> {
        if (logKey == null) {
          reply(ex, 404, "{\"code\":404,\"message\":\"not found\"}");
        } else {
          List<byte[]> leaves = leaves();
          byte[] root = org.testigo.crypto.merkle.MerkleTree.root(
              org.testigo.crypto.merkle.LeafHashSource.of(leaves));
          org.testigo.crypto.merkle.SignedTreeHead h = org.testigo.crypto.merkle.SignedTreeHead
              .sign(leaves.size(), root, System.currentTimeMillis(), logKey);
          reply(ex, 200, "{\"version\":1,\"treeSize\":" + leaves.size() + ",\"encoded\":\""
              + java.util.HexFormat.of().formatHex(h.encoded()) + "\"}");
        }
      }
      case "GET /api/v1/log/proof/inclusion" -> {
        String q = ex.getRequestURI().getQuery();
        String leaf = q.replaceAll(".*leaf=([0-9a-f]+).*", "$1");
        long size = Long.parseLong(q.replaceAll(".*size=([0-9]+).*", "$1"));
        List<byte[]> leaves = leaves();
        int index = -1;
        for (int i = 0; i < leaves.size(); i++) {
          if (java.util.HexFormat.of().formatHex(leaves.get(i)).equals(leaf)) {
            index = i;
          }
        }
        if (logKey == null || index < 0) {
          reply(ex, 404, "{\"code\":404,\"message\":\"not found\"}");
        } else {
          StringBuilder audit = new StringBuilder();
          for (byte[] h : org.testigo.crypto.merkle.MerkleTree.inclusionProof(
              org.testigo.crypto.merkle.LeafHashSource.of(leaves), index, size)) {
            audit.append(audit.length() == 0 ? "" : ",").append('"')
                .append(java.util.HexFormat.of().formatHex(h)).append('"');
          }
          reply(ex, 200, "{\"leafIndex\":" + index + ",\"treeSize\":" + size
              + ",\"auditPath\":[" + audit + "]}");
        }
      }
      default -> reply(ex, 404, "{\"code\":404,\"message\":\"not found\"}");
    }
  }

  private List<byte[]> leaves() {
    List<byte[]> leaves = new java.util.ArrayList<>();
    java.time.Instant day = java.time.Instant.parse("2026-11-28T00:00:00Z");
    for (int i = 0; i < otherLeaves; i++) {
      leaves.add(org.testigo.crypto.merkle.LogLeaf.ofObject(
          org.testigo.crypto.merkle.LogLeaf.EntryType.SUBMISSION, day, new byte[] {(byte) i})
          .leafHash());
    }
    for (Received r : at("/api/v1/submissions")) {
      leaves.add(org.testigo.crypto.merkle.LogLeaf.ofObject(
          org.testigo.crypto.merkle.LogLeaf.EntryType.SUBMISSION, day, r.body()).leafHash());
    }
    return leaves;
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

package org.testigo.cli.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * A reviewer API that answers whatever a test tells it to, on 127.0.0.1 and an ephemeral
 * port: the golden manifest chain (so that sync gets past the manifest), then batches,
 * event pages and rewrap pages chosen by the test, including bodies generated on the fly
 * without end (never allocated). It checks no signature. {@link #sent} counts the bytes the
 * endless bodies managed to write before the client hung up.
 */
public final class HostileServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String MANIFEST = String.join("", TestKeys.goldenChain().stream().map(SignedManifest::toArmored).toList());
  /** Upper bound for generated bodies, so that a client that never stops cannot hang the test. */
  public static final long GENERATED_LIMIT = 4L * 1024 * 1024 * 1024;

  public final HttpServer http;
  public final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
  public final AtomicLong sent = new AtomicLong();

  public HostileServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "hostile-server");
      t.setDaemon(true);
      return t;
    }));
    routes.put("/api/v1/reviewer/manifest", ex -> send(ex, MANIFEST.getBytes(StandardCharsets.US_ASCII)));
    routes.put("/api/v1/reviewer/submissions/envelopes", ex -> send(ex, batch(List.of(), false)));
    routes.put("/api/v1/reviewer/events", ex -> send(ex, "{\"items\":[],\"next\":0,\"more\":false}".getBytes()));
    routes.put("/api/v1/reviewer/rewraps", ex -> send(ex, "{\"items\":[],\"next\":0,\"more\":false}".getBytes()));
    http.createContext("/", ex -> {
      try (ex) {
        HttpHandler h = routes.get(ex.getRequestURI().getPath());
        if (h == null) {
          ex.sendResponseHeaders(404, -1);
        } else {
          h.handle(ex);
        }
      } catch (IOException | RuntimeException e) {
        // the client hung up: expected when it stops at a cap
      }
    });
    http.start();
  }

  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public static void send(HttpExchange ex, byte[] body) throws IOException {
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  /** Streams {@code head}, then {@code filler} repeated without end (up to 4 GiB), chunked. */
  public HttpHandler endless(byte[] head, byte[] filler) {
    return ex -> {
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write(head);
      for (long n = 0; n < GENERATED_LIMIT; n += filler.length) {
        out.write(filler);
        sent.addAndGet(filler.length);
      }
    };
  }

  /** One batch item: its entry and its envelope bytes. */
  public record Item(ObjectNode entry, byte[] envelope) {}

  public static byte[] batch(List<Item> items, boolean more) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write("TGBATCH1".getBytes(StandardCharsets.US_ASCII));
    for (Item i : items) {
      itemHead(d, i.entry());
      for (int off = 0; off < i.envelope().length; off += 65536) {
        int n = Math.min(65536, i.envelope().length - off);
        d.writeInt(n);
        d.write(i.envelope(), off, n);
      }
      d.writeInt(0);
    }
    d.write(0);
    d.write(more ? 1 : 0);
    return b.toByteArray();
  }

  public static void itemHead(DataOutputStream d, ObjectNode entry) throws IOException {
    byte[] json = JSON.writeValueAsBytes(entry);
    d.write(1);
    d.writeShort(json.length);
    d.write(json);
  }

  /** A report envelope sealed to maria (golden chain) holding {@code payload}. */
  public static byte[] sealToMaria(byte[] payload) throws IOException {
    return sealToMaria(payload, Envelope.CONTEXT_REPORT);
  }

  /** An envelope of this context (report or follow-up) sealed to maria (golden chain) holding {@code payload}. */
  public static byte[] sealToMaria(byte[] payload, String context) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new java.io.ByteArrayInputStream(payload), out,
        List.of(TestKeys.recipient("maria").publicKey()), context, new SecureRandom());
    return out.toByteArray();
  }

  /** A valid feed entry for {@code envelope}. */
  public static ObjectNode entry(long seq, String id, byte[] envelope) {
    return JSON.createObjectNode().put("seq", seq).put("id", id).put("context", "report")
        .put("receivedDay", "2026-11-28").put("size", envelope.length).put("sha256", sha256(envelope))
        .put("hasMailbox", false).put("caseId", id);
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}

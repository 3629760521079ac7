package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.server.IntakeApplication;
import org.testigo.server.app.UploadFloodAppTest.Reply;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.resources.errors.ErrorRegistry;
import org.testigo.server.resources.errors.ErrorResponses;
import org.testigo.server.storage.TestDatabase;

/**
 * No request waits for another request's body, and slow bodies cannot take the worker threads
 * (the outside review's F0 and F1, 2026-12): through the real server on MariaDB over loopback,
 * each connection starting with tor's PROXY line for a circuit of its own. A slow but legal
 * piece of an upload (above the connector's minimum data rate) is in progress while 50 status
 * requests, a commit, a delete, a second piece and the home page are all answered at once; one
 * body over the server-wide cap gets 503 before its body is read, one over the circuit's cap
 * 429, the home page still answers and nothing is charged or stored; and a pending upload whose
 * pieces were turned away with 503 is not released after the stall time.
 *
 * <p>Every wait is bounded (sockets time out, polls give up); bodies are sent at 2,000 B/s, well
 * above the connector's 256 B/s, so the server never cuts them off during a test.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SlowBodyAppTest {
  static final Path DATA = MariadbApp.dataDirectory("testigo-slow-body-");
  static final TestDatabase DB = TestDatabase.mariadb();
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();
  static final AtomicLong CIRCUITS = new AtomicLong(0x51_0000L);
  static final int MAX_BODIES = 4;
  static final int STALL_SECONDS = 5;
  /** How long an answer may take before the test fails: a bound, not a target. */
  static final int ANSWER_MILLIS = 10_000;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("server.applicationConnectors[0].useProxyProtocol", "true"),
          ConfigOverride.config("limits.maxBodiesInFlight", Integer.toString(MAX_BODIES)),
          ConfigOverride.config("limits.maxOpenUploads", "1"),
          ConfigOverride.config("limits.maxEnvelopeBytes", "400000"),
          ConfigOverride.config("limits.maxUploadPieceBytes", "400000"),
          ConfigOverride.config("limits.uploadStallSeconds", Integer.toString(STALL_SECONDS)),
          ConfigOverride.config("fairness.maxConcurrentBodies", "2"),
          ConfigOverride.config("fairness.submissionsPerHour", "2")));

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  static long circuit() {
    return CIRCUITS.incrementAndGet();
  }

  static String head(long circuit, String method, String path, long contentLength, String contentType) {
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT,
        "PROXY TCP6 fc00:dead:beef:4dad::%x:%x ::1 %d 80\r\n", circuit >>> 16, circuit & 0xffff, circuit & 0xffff));
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: example.onion\r\nConnection: close\r\n");
    if (contentLength >= 0) {
      h.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(contentLength)
          .append("\r\n");
    }
    return h.append("\r\n").toString();
  }

  /**
   * One exchange on a new connection for {@code circuit}: the headers, then {@code body} (null:
   * none; its length is still announced when {@code announced} is above -1), the answer read
   * within {@link #ANSWER_MILLIS}.
   */
  static Reply send(long circuit, String method, String path, byte[] body, long announced) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.setSoTimeout(ANSWER_MILLIS);
      long length = body != null ? body.length : announced;
      if (length < 0 && !"GET".equals(method)) {
        length = 0;
      }
      OutputStream out = s.getOutputStream();
      out.write(head(circuit, method, path, length, "application/octet-stream").getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return UploadFloodAppTest.parse(s.getInputStream());
    }
  }

  static Reply send(long circuit, String method, String path, byte[] body) throws IOException {
    return send(circuit, method, path, body, -1);
  }

  /** A body sent slowly on its own connection (2,000 B/s) until {@link #close}d or complete. */
  static final class SlowBody implements AutoCloseable {
    final Socket socket = new Socket();
    final Thread thread;
    volatile boolean stop;

    SlowBody(long circuit, String method, String path, byte[] body) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      OutputStream out = socket.getOutputStream();
      out.write(head(circuit, method, path, body.length, "application/octet-stream")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      thread = new Thread(() -> {
        try {
          for (int at = 0; at < body.length && !stop; at += 1000) {
            out.write(body, at, Math.min(1000, body.length - at));
            out.flush();
            Thread.sleep(500);
          }
        } catch (IOException | InterruptedException e) {
          // closed by the test
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws Exception {
      stop = true;
      socket.close();
      thread.join(5000);
    }
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s for: %s", what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static long gauge(String name) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getAdminPort()), 5000);
      s.setSoTimeout(ANSWER_MILLIS);
      s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      return JSON.readTree(UploadFloodAppTest.parse(s.getInputStream()).body()).get("gauges").get(name)
          .get("value").asLong();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] envelope(int plainBytes) throws Exception {
    var latest = ManifestChain.verify(SignedManifest.parseArmored(Files.readString(DATA.resolve("manifest-chain.txt"))),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[plainBytes]), out, latest.recipients(), Envelope.CONTEXT_REPORT,
        RANDOM);
    return out.toByteArray();
  }

  static String create(long circuit) throws IOException {
    Reply r = send(circuit, "POST", "/api/v1/uploads", null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  static long offset(long circuit, String id) throws IOException {
    Reply r = send(circuit, "GET", "/api/v1/uploads/" + id, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("offset").asLong();
  }

  static void assertBusy(Reply r, int status, String what) throws IOException {
    assertThat(r.status()).as("%s: %s", what, r.body()).isEqualTo(status);
    assertThat(Long.parseLong(r.headers().get("retry-after"))).as(what).isPositive();
    assertThat(r.headers().get("content-type")).as(what).startsWith("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asInt()).as(what).isEqualTo(status);
    if (status == 503) {
      assertThat(body.get("message").asText()).as(what).isEqualTo(
          ErrorResponses.apiMessage(new ErrorRegistry(1).of(new ServiceBusyException(1), true)).getMessage());
    }
  }

  static void assertHomePageAnswers() throws IOException {
    Reply home = send(circuit(), "GET", "/?lang=en", null);
    assertThat(home.status()).as("the home page").isEqualTo(200);
  }

  @Test
  void aSlowPieceInProgress_statusCommitDeleteAndAnotherPieceAnswerAtOnce_andTheHomePageToo() throws Exception {
    long envelopesBefore = DB.count("envelopes");
    long owner = circuit();
    byte[] envelope = envelope(300_000);
    String id = create(owner);
    try (SlowBody piece = new SlowBody(owner, "PUT", "/api/v1/uploads/" + id + "?offset=0", envelope)) {
      await("the slow piece holds the upload's slot and lock", () -> gauge("uploads.active") == 1);
      ExecutorService pool = Executors.newFixedThreadPool(50);
      try {
        List<Future<Reply>> gets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          long c = circuit();
          gets.add(pool.submit(() -> send(c, "GET", "/api/v1/uploads/" + id, null)));
        }
        for (Future<Reply> f : gets) {
          Reply r = f.get(2L * ANSWER_MILLIS, TimeUnit.MILLISECONDS);
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          JsonNode s = JSON.readTree(r.body());
          assertThat(s.get("offset").asLong()).as("the offset before the piece in flight").isZero();
          assertThat(s.get("committed").asBoolean()).isFalse();
        }
      } finally {
        pool.shutdownNow();
      }
      assertBusy(send(circuit(), "POST", "/api/v1/uploads/" + id + "/commit", null), 503, "commit");
      assertBusy(send(circuit(), "DELETE", "/api/v1/uploads/" + id, null), 503, "delete");
      assertBusy(send(owner, "PUT", "/api/v1/uploads/" + id + "?offset=0", new byte[10]), 503, "a second piece");
      assertHomePageAnswers();
      assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore);
    }
    // The slow piece broke off: it is cut back, and the upload takes its whole envelope again.
    await("the broken piece is cut back", () -> gauge("uploads.active") == 0);
    assertThat(offset(owner, id)).isZero();
    Reply put = send(owner, "PUT", "/api/v1/uploads/" + id + "?offset=0", envelope);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Reply committed = send(owner, "POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(committed.status()).as(committed.body()).isEqualTo(201);
    assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore + 1);
  }

  @Test
  void bodiesOverTheServerWideCap_get503BeforeTheirBody_overTheCircuitsCap429_andPagesStillAnswer() throws Exception {
    long envelopesBefore = DB.count("envelopes");
    byte[] envelope = envelope(300_000);
    long first = circuit();
    long second = circuit();
    List<SlowBody> slow = new ArrayList<>();
    try {
      for (long c : new long[] {first, first, second, second}) {
        slow.add(new SlowBody(c, "POST", "/api/v1/submissions", envelope));
      }
      await("four bodies arriving", () -> gauge("bodies.inFlight") == MAX_BODIES);
      long refused = circuit();
      // Only the headers are sent: the answer comes before the body, which never arrives.
      for (int i = 0; i < 3; i++) {
        assertBusy(send(refused, "POST", "/api/v1/submissions", null, envelope.length), 503, "the fifth body");
      }
      // A piece for an unknown upload costs no budget (404 without the cap): the 429 is the body cap's.
      assertBusy(send(first, "PUT", "/api/v1/uploads/" + "0".repeat(32) + "?offset=0", null, envelope.length), 429,
          "the circuit's third body");
      assertHomePageAnswers();
      Reply status = send(refused, "GET", "/api/v1/uploads/" + "0".repeat(32), null);
      assertThat(status.status()).as("a request without a body is served").isEqualTo(404);
      assertThat(gauge("bodies.inFlight")).isEqualTo(MAX_BODIES);
      assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore);
      for (SlowBody b : slow) {
        b.close();
      }
      await("the bodies' places are given back", () -> gauge("bodies.inFlight") == 0);
      // The refused circuit was charged nothing for its three 503s: both its submissions an hour remain.
      for (int i = 0; i < 2; i++) {
        Reply stored = send(refused, "POST", "/api/v1/submissions", envelope(1000 + i));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
      }
      assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore + 2);
    } finally {
      for (SlowBody b : slow) {
        b.close();
      }
    }
  }

  @Test
  void aPendingUploadTurnedAwayWith503_isNotReleasedAfterTheStallTime() throws Exception {
    long holder = circuit();
    String held = create(holder);
    byte[] envelope = envelope(300_000);
    long honest = circuit();
    String id;
    try (SlowBody piece = new SlowBody(holder, "PUT", "/api/v1/uploads/" + held + "?offset=0", envelope)) {
      await("the only slot is taken", () -> gauge("uploads.active") == 1);
      id = create(honest);
      long created = System.nanoTime();
      // The honest source retries its first piece every 2 s, as its browser would, past the stall time.
      while (System.nanoTime() - created < TimeUnit.SECONDS.toNanos(STALL_SECONDS + 3)) {
        assertBusy(send(honest, "PUT", "/api/v1/uploads/" + id + "?offset=0", Arrays.copyOf(envelope, 1000)), 503,
            "a first piece with every slot taken");
        Thread.sleep(2000);
      }
      create(circuit()); // sweeps expired uploads
      assertThat(offset(honest, id)).as("still there, %s s after it was created", STALL_SECONDS + 3).isZero();
    }
    await("the broken piece gives the slot back", () -> gauge("uploads.active") == 0);
    Reply put = send(honest, "PUT", "/api/v1/uploads/" + id + "?offset=0", envelope);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Reply committed = send(honest, "POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(committed.status()).as(committed.body()).isEqualTo(201);
  }
}

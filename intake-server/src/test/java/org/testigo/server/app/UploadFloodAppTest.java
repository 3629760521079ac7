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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.TooManyRequestsException;
import org.testigo.server.resources.errors.ErrorRegistry;
import org.testigo.server.resources.errors.ErrorResponses;
import org.testigo.server.storage.TestDatabase;

/**
 * Uploads that send no byte cannot keep honest sources out (the outside review's upload
 * denial of service, after issue 18), through the real server on MariaDB over loopback, every
 * connection starting with tor's PROXY line for a circuit of its own: 32 or 64 empty uploads
 * from as many circuits leave an honest source's whole upload to complete; one circuit that
 * churns creations gets 429 with the error registry's message and Retry-After, and nothing
 * stored changes; a slow upload that keeps sending is not evicted by a flood of new ones; and a
 * malformed mailbox lookup key on an API path gets the API's own JSON error.
 *
 * <p>The server here has 4 slots for uploads moving data and room for 16 pending ones, so the
 * floods below are 2–4 times what it holds; before this change the 5th empty upload got 503.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UploadFloodAppTest {
  static final Path DATA = MariadbApp.dataDirectory("testigo-upload-flood-");
  static final TestDatabase DB = TestDatabase.mariadb();
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();
  /** Each call of {@link #circuit} is a circuit never used before. */
  static final AtomicLong CIRCUITS = new AtomicLong(0x7e57_0000L);
  static final int UPLOADS_PER_HOUR = 4;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("server.applicationConnectors[0].useProxyProtocol", "true"),
          ConfigOverride.config("limits.maxOpenUploads", "4"),
          ConfigOverride.config("limits.maxPendingUploads", "16"),
          ConfigOverride.config("limits.maxEnvelopeBytes", "400000"),
          ConfigOverride.config("limits.maxUploadPieceBytes", "100000"),
          ConfigOverride.config("limits.uploadStallSeconds", "5"),
          ConfigOverride.config("fairness.maxOpenUploads", "2"),
          ConfigOverride.config("fairness.uploadsPerHour", Integer.toString(UPLOADS_PER_HOUR))));

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  static long circuit() {
    return CIRCUITS.incrementAndGet();
  }

  /** One exchange on a new connection that starts with tor's PROXY line for {@code circuit}. */
  static Reply send(long circuit, String method, String path, byte[] body, String... headers) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.setSoTimeout(30_000);
      StringBuilder h = new StringBuilder(String.format(Locale.ROOT,
          "PROXY TCP6 fc00:dead:beef:4dad::%x:%x ::1 %d 80\r\n", circuit >>> 16, circuit & 0xffff, circuit & 0xffff));
      h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: example.onion\r\nConnection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      if (body != null) {
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
          typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        h.append(typed ? "" : "Content-Type: application/octet-stream\r\n").append("Content-Length: ")
            .append(body.length).append("\r\n");
      } else if (!"GET".equals(method)) {
        h.append("Content-Length: 0\r\n");
      }
      h.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return parse(s.getInputStream());
    }
  }

  static Reply parse(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    String[] lines = all.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
    }
    String body = all.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      StringBuilder b = new StringBuilder();
      int i = 0;
      while (true) {
        int eol = body.indexOf("\r\n", i);
        int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
        if (size == 0) {
          break;
        }
        b.append(body, eol + 2, eol + 2 + size);
        i = eol + 2 + size + 2;
      }
      body = b.toString();
    }
    return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  static String create(long circuit) throws IOException {
    Reply r = send(circuit, "POST", "/api/v1/uploads", null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  static byte[] envelope(int plainBytes) throws Exception {
    var latest = ManifestChain.verify(SignedManifest.parseArmored(Files.readString(DATA.resolve("manifest-chain.txt"))),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[plainBytes]), out, latest.recipients(), Envelope.CONTEXT_REPORT,
        RANDOM);
    return out.toByteArray();
  }

  /** Sends {@code envelope} to upload {@code id} in pieces of {@code piece} bytes, {@code pauseMillis} apart. */
  static void putAll(long circuit, String id, byte[] envelope, int piece, long pauseMillis, Runnable between)
      throws Exception {
    for (int at = 0; at < envelope.length; at += piece) {
      byte[] p = Arrays.copyOfRange(envelope, at, Math.min(envelope.length, at + piece));
      Reply r = send(circuit, "PUT", "/api/v1/uploads/" + id + "?offset=" + at, p);
      assertThat(r.status()).as("piece at %d: %s", at, r.body()).isEqualTo(200);
      between.run();
      Thread.sleep(pauseMillis);
    }
  }

  static JsonNode gauges() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getAdminPort()), 5000);
      s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      return JSON.readTree(parse(s.getInputStream()).body()).get("gauges");
    }
  }

  static long gauge(String name) throws IOException {
    return gauges().get(name).get("value").asLong();
  }

  static long uploadFiles() throws IOException {
    try (Stream<Path> s = Files.list(DATA.resolve("uploads"))) {
      return s.count();
    }
  }

  static String registryMessage(RuntimeException e) {
    return ErrorResponses.apiMessage(new ErrorRegistry(1).of(e, true)).getMessage();
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 64})
  void emptyUploadsFromManyCircuits_leaveRoomForAnHonestSourcesWholeUpload(int attackers) throws Exception {
    long envelopesBefore = DB.count("envelopes");
    long evictedBefore = gauge("uploads.evicted");
    for (int i = 0; i < attackers; i++) {
      create(circuit()); // each 201: a byteless upload is never refused for want of a slot
    }
    assertThat(gauge("uploads.pending")).as("pending uploads are bounded").isLessThanOrEqualTo(16);
    assertThat(gauge("uploads.active")).as("none of them holds a slot").isZero();
    assertThat(gauge("uploads.evicted") - evictedBefore).as("the oldest made room")
        .isGreaterThanOrEqualTo(attackers - 16);

    long honest = circuit();
    byte[] envelope = envelope(250_000);
    String id = create(honest);
    putAll(honest, id, envelope, 100_000, 0, () -> {});
    Reply committed = send(honest, "POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(committed.status()).as(committed.body()).isEqualTo(201);
    assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore + 1);
  }

  @Test
  void oneCircuitChurningCreations_gets429WithTheRegistrysMessageAndRetryAfter_andNothingStoredChanges()
      throws Exception {
    long churn = circuit();
    for (int i = 0; i < UPLOADS_PER_HOUR; i++) {
      String id = create(churn);
      assertThat(send(churn, "DELETE", "/api/v1/uploads/" + id, null).status()).isEqualTo(204);
    }
    long envelopes = DB.count("envelopes");
    long files = uploadFiles();
    long pending = gauge("uploads.pending");
    for (int i = 0; i < 10; i++) {
      Reply r = send(churn, "POST", "/api/v1/uploads", null);
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers().get("content-type")).startsWith("application/json");
      assertThat(Long.parseLong(r.headers().get("retry-after"))).as("an hour's budget of %d refills one at a time",
          UPLOADS_PER_HOUR).isBetween(1L, 3600L / UPLOADS_PER_HOUR + 1);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("code").asInt()).isEqualTo(429);
      assertThat(body.get("message").asText()).isEqualTo(registryMessage(new TooManyRequestsException(1)));
    }
    assertThat(DB.count("envelopes")).isEqualTo(envelopes);
    assertThat(uploadFiles()).isEqualTo(files);
    assertThat(gauge("uploads.pending")).isEqualTo(pending);
    assertThat(create(circuit())).as("another circuit still creates one").hasSize(32);
  }

  @Test
  void aSlowUploadThatKeepsSending_isNotEvictedByAFloodOfNewOnes() throws Exception {
    long envelopesBefore = DB.count("envelopes");
    long honest = circuit();
    byte[] envelope = envelope(8_000);
    String id = create(honest);
    List<Long> evicted = new ArrayList<>();
    // One piece of 2,000 bytes every 1.5 s, while 12 new uploads arrive from new circuits after
    // each piece: the whole upload takes longer than the stall time (5 s), and the flood passes
    // the pending room (16) several times over.
    putAll(honest, id, envelope, 2_000, 1_500, () -> {
      try {
        for (int i = 0; i < 12; i++) {
          create(circuit());
        }
        evicted.add(gauge("uploads.evicted"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(evicted.get(evicted.size() - 1) - evicted.get(0)).as("the flood evicted pending uploads").isPositive();
    Reply committed = send(honest, "POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(committed.status()).as(committed.body()).isEqualTo(201);
    assertThat(DB.count("envelopes")).isEqualTo(envelopesBefore + 1);
  }

  @Test
  void aMalformedReplyKeyWhenRegisteringAMailbox_getsItsOwnJsonError_andNothingIsStored() throws Exception {
    String expected = registryMessage(new InvalidInputException("error.reply_key"));
    assertThat(expected).contains("replyPublicKey").doesNotContain("form");
    String lookup = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    java.util.Random r = new java.util.Random(5);
    byte[] shortKey = new byte[1000];
    r.nextBytes(shortKey);
    List<String> bad = List.of("*".repeat(1500), Base64.getUrlEncoder().withoutPadding().encodeToString(shortKey));
    long mailboxes = DB.count("mailboxes");
    for (String key : bad) {
      byte[] body = ("{\"lookupKey\":\"" + lookup + "\",\"replyPublicKey\":\"" + key + "\"}")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Reply reply = send(circuit(), "POST", "/api/v1/mailboxes", body, "Content-Type", "application/json");
      assertThat(reply.status()).as(reply.body()).isEqualTo(400);
      assertThat(reply.headers().get("content-type")).startsWith("application/json");
      assertThat(JSON.readTree(reply.body()).get("message").asText()).isEqualTo(expected);
    }
    assertThat(DB.count("mailboxes")).isEqualTo(mailboxes);
  }

  @Test
  void aMalformedMailboxLookupKeyOnTheApi_getsTheApisJsonError_andNothingIsStored() throws Exception {
    String marker = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";
    List<String> bad = List.of("not base64 at all!", marker, Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new byte[31]), Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[33]), "%%%");
    String expected = registryMessage(new InvalidInputException("error.lookup_key"));
    assertThat(expected).contains("Testigo-Mailbox-Lookup-Key").doesNotContain("form");
    long circuit = circuit();
    byte[] envelope = envelope(1_000);
    String id = create(circuit);
    putAll(circuit, id, envelope, 100_000, 0, () -> {});
    long envelopes = DB.count("envelopes");
    long mailboxes = DB.count("mailboxes");
    for (String key : bad) {
      List<Reply> replies = List.of(
          send(circuit, "POST", "/api/v1/uploads/" + id + "/commit", null, "Testigo-Mailbox-Lookup-Key", key),
          send(circuit(), "POST", "/api/v1/submissions", envelope, "Testigo-Mailbox-Lookup-Key", key));
      for (Reply r : replies) {
        assertThat(r.status()).as(key).isEqualTo(400);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("message").asText()).isEqualTo(expected);
        assertThat(r.body()).doesNotContain(key);
      }
    }
    assertThat(DB.count("envelopes")).isEqualTo(envelopes);
    assertThat(DB.count("mailboxes")).isEqualTo(mailboxes);
    Reply status = send(circuit, "GET", "/api/v1/uploads/" + id, null);
    assertThat(JSON.readTree(status.body()).get("offset").asLong()).as("the upload is still whole")
        .isEqualTo(envelope.length);
    assertThat(send(circuit, "POST", "/api/v1/uploads/" + id + "/commit", null).status()).isEqualTo(201);
    assertThat(DB.count("envelopes")).isEqualTo(envelopes + 1);
  }
}

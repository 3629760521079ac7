package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.storage.TestDatabase;

/**
 * Issue 3: "timeouts for slow senders". Raw sockets on loopback send a request's headers and
 * then stall or trickle its body. The server must cut them off by itself (idle timeout for a
 * stall, the minimum request data rate for a trickle) and store nothing; and since issue 18 a
 * slow body holds no submission slot at all while it arrives (there is exactly one here, so a
 * held slot would be visible as 503 to the probe). Real server, real
 * MariaDB. Every wait is bounded; the times measured are printed, not asserted.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SlowSenderAppTest {
  static final Path DATA = MariadbApp.dataDirectory("testigo-slow-");
  static final TestDatabase DB = TestDatabase.mariadb();
  /** How long a test waits for the server to act before failing: a bound, not a target. */
  static final Duration BOUND = Duration.ofSeconds(60);

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "2 seconds"),
          ConfigOverride.config("limits.maxConcurrentSubmissions", "1"),
          // The probe reads a held slot as an immediate 503: no queue to wait in here.
          ConfigOverride.config("limits.maxQueuedSubmissions", "0")));



  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  static Map<String, Long> rowCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t : List.of("envelopes", "envelope_chunks", "mailboxes", "mailbox_envelopes", "log_leaves")) {
      m.put(t, DB.count(t));
    }
    return m;
  }

  /**
   * The first bytes of a valid envelope sealed to the demo manifest's reviewers (header and
   * recipient stanzas complete), so the server accepts them and waits for the payload.
   */
  static byte[] envelopeHead() throws Exception {
    var manifest = org.testigo.crypto.manifest.ManifestChain.verify(
        org.testigo.crypto.manifest.SignedManifest.parseArmored(Files.readString(DATA.resolve("manifest-chain.txt"))),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    org.testigo.crypto.envelope.Envelope.seal(new java.io.ByteArrayInputStream(new byte[200_000]), out,
        manifest.recipients(), org.testigo.crypto.envelope.Envelope.CONTEXT_REPORT, new java.security.SecureRandom());
    return java.util.Arrays.copyOf(out.toByteArray(), 4000);
  }

  /** What the server did with a slow request: the status it answered (or -1) and when it hung up. */
  record Outcome(int status, String response, long millis) {}

  /**
   * Sends the headers of a POST promising {@code length} bytes, then {@code first} bytes of
   * body; then, every {@code trickleMillis} (0: never), one more byte. Returns when the server
   * answers and closes, or fails the test after {@link #BOUND}.
   */
  static Outcome slowRequest(String path, String contentType, int length, byte[] first, long trickleMillis)
      throws Exception {
    return slowRequest(path, contentType, length, first, trickleMillis, "POST");
  }

  static Outcome slowRequest(String path, String contentType, int length, byte[] first, long trickleMillis,
      String method) throws Exception {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
          + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(first);
      out.flush();
      Thread trickle = null;
      if (trickleMillis > 0) {
        trickle = new Thread(() -> {
          try {
            for (int i = first.length; i < length; i++) {
              Thread.sleep(trickleMillis);
              out.write('A');
              out.flush();
            }
          } catch (IOException | InterruptedException cutOff) {
            // the server hung up, as it should
          }
        }, "trickle");
        trickle.setDaemon(true);
        trickle.start();
      }
      s.setSoTimeout((int) BOUND.toMillis());
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          response.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not cut off a slow sender within " + BOUND, e);
      } catch (IOException reset) {
        // a reset is a cut-off too
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (trickle != null) {
        trickle.interrupt();
      }
      String text = response.toString(StandardCharsets.ISO_8859_1);
      int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
      return new Outcome(status, text, millis);
    }
  }

  /**
   * A garbage envelope: 400 when a submission slot is free, 503 when it is held. On its own
   * connection ({@code Connection: close}): the 2 s idle timeout here would close a pooled one.
   */
  static int probeSlot() throws Exception {
    return statusOf(quickRequest("POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: application/octet-stream\r\nContent-Length: 15\r\n\r\nnot an envelope"));
  }

  static String quickRequest(String raw) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.setSoTimeout((int) BOUND.toMillis());
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static int statusOf(String response) {
    return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
  }

  /**
   * The server hung up, and if the client could still read an answer it is the generic one:
   * 408 for the source pages; 503 with Retry-After for the API, whose clients resume after a
   * 5xx (docs/decisions/0014-database-outages-and-slow-senders.md).
   */
  static void assertCutOffCleanly(String what, Outcome o, int expectedStatus) {
    System.out.printf("slow sender (%s): server answered %d and hung up after %d ms%n", what, o.status(), o.millis());
    if (o.status() > 0) {
      assertThat(o.status()).as(what + ": " + o.response()).isEqualTo(expectedStatus);
      assertThat(o.response()).as(what).contains("arrived incomplete or damaged")
          .doesNotContainIgnoringCase("exception").doesNotContain("at org.").doesNotContainIgnoringCase("jetty");
      if (expectedStatus == 503) {
        assertThat(o.response()).containsIgnoringCase("Retry-After:");
      }
    }
  }

  /** Waits (bounded) until the single submission slot is free again. */
  static void awaitSlotFree() throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (probeSlot() != 400) {
      assertThat(System.nanoTime()).as("submission slot still held after " + BOUND).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void stalledEnvelopeBody_isCutOffByTheIdleTimeout_freesItsSlot_andStoresNothing() throws Exception {
    Map<String, Long> before = rowCounts();
    awaitSlotFree();
    Outcome o = slowRequest("/api/v1/submissions", "application/octet-stream", 100_000,
        envelopeHead(), 0);
    assertCutOffCleanly("stalled envelope", o, 503);
    awaitSlotFree();
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  void stalledReportForm_isCutOffByTheIdleTimeout_freesItsSlot_andStoresNothing() throws Exception {
    Map<String, Long> before = rowCounts();
    awaitSlotFree();
    byte[] start = ("--" + HttpForms.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1\r\n--"
        + HttpForms.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\nNos pidieron")
        .getBytes(StandardCharsets.US_ASCII);
    Outcome o = slowRequest("/report?lang=en", "multipart/form-data; boundary=" + HttpForms.BOUNDARY, 50_000, start, 0);
    assertCutOffCleanly("stalled report form", o, 408);
    awaitSlotFree();
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  void tricklingEnvelopeBody_isCutOffByTheMinimumDataRate_freesItsSlot_andStoresNothing() throws Exception {
    Map<String, Long> before = rowCounts();
    awaitSlotFree();
    // One byte every 500 ms: never idle for the 2 s idle timeout, far below 256 bytes/s.
    Outcome o = slowRequest("/api/v1/submissions", "application/octet-stream", 100_000,
        java.util.Arrays.copyOf(envelopeHead(), 200), 500);
    assertCutOffCleanly("trickling envelope", o, 503);
    awaitSlotFree();
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  void stalledUploadPiece_isCutOff_andTheUploadResumesFromItsLastOffset() throws Exception {
    String created = quickRequest("POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Length: 0\r\n\r\n");
    assertThat(statusOf(created)).as(created).isEqualTo(201);
    String id = created.replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");
    byte[] piece = envelopeHead();
    Outcome o = slowRequest("/api/v1/uploads/" + id + "?offset=0", "application/octet-stream", 8000,
        java.util.Arrays.copyOf(piece, 1000), 0, "PUT");
    assertCutOffCleanly("stalled upload piece", o, 503);
    String status = quickRequest("GET /api/v1/uploads/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
        + "\r\n\r\n");
    assertThat(status).as("the cut-off piece was truncated away").contains("\"offset\":0");
    String resumed = quickRequest("PUT /api/v1/uploads/" + id + "?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\nContent-Type: application/octet-stream\r\nContent-Length: " + piece.length
        + "\r\n\r\n" + new String(piece, StandardCharsets.ISO_8859_1));
    assertThat(statusOf(resumed)).as(resumed).isEqualTo(200);
    assertThat(resumed).contains("\"offset\":" + piece.length);
  }

  @Test
  void aStalledBodyHoldsNoSubmissionSlot_theProbeIsServedWhileItStalls() throws Exception {
    // Before issue 18 a stalled body held the only slot until the idle timeout (the probe saw
    // 503). Bodies now arrive whole into a spool before a slot is taken (docs/decisions/0015-body-spool.md):
    // while a sender stalls mid-body, the single slot stays free for everyone else.
    awaitSlotFree();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.getOutputStream().write(("POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          + "application/octet-stream\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(envelopeHead());
      s.getOutputStream().flush();
      Thread.sleep(300);
      for (int i = 0; i < 5; i++) {
        assertThat(probeSlot()).as("probe %d while a body stalls", i).isEqualTo(400);
      }
    }
    awaitSlotFree();
  }
}

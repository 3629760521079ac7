package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/** The resumable upload API: offsets, resume, limits, validation on commit, idempotent commit. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UploadsAppTest {
  static final Path DATA = BrowserSealingE2ETest.tempDir("testigo-uploads-");
  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "400000"),
      ConfigOverride.config("limits.maxUploadPieceBytes", "100000"),
      ConfigOverride.config("limits.maxOpenUploads", "3"),
      // The HTTP client reuses one connection, which counts as one circuit: lift the circuit's
      // share above the server-wide bound this class tests (FairShareAppTest tests the share).
      ConfigOverride.config("fairness.maxOpenUploads", "20"),
      ConfigOverride.config("fairness.uploadsPerHour", "100"));
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
        .header("Content-Type", "application/octet-stream");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String open() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/uploads", null);
    assertThat(r.statusCode()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  static byte[] envelope(int plainBytes) throws Exception {
    var latest = ManifestChain.verify(SignedManifest.parseArmored(Files.readString(DATA.resolve("manifest-chain.txt"))),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[plainBytes]), out, latest.recipients(), Envelope.CONTEXT_REPORT,
        new SecureRandom());
    return out.toByteArray();
  }

  static long uploadFiles() throws IOException {
    try (Stream<Path> s = Files.list(DATA.resolve("uploads"))) {
      return s.count();
    }
  }

  @Test
  void upload_appendsAtTheRightOffsetResumesAndCommitsOnce() throws Exception {
    byte[] env = envelope(150_000);
    String id = open();
    assertThat(send("PUT", "/api/v1/uploads/" + id + "?offset=0", Arrays.copyOfRange(env, 0, 90_000)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> wrong = send("PUT", "/api/v1/uploads/" + id + "?offset=0", Arrays.copyOfRange(env, 0, 10));
    assertThat(wrong.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(wrong.body()).get("offset").asLong()).isEqualTo(90_000);
    JsonNode status = JSON.readTree(send("GET", "/api/v1/uploads/" + id, null).body());
    assertThat(status.get("offset").asLong()).isEqualTo(90_000);
    assertThat(send("PUT", "/api/v1/uploads/" + id + "?offset=90000", Arrays.copyOfRange(env, 90_000, env.length))
        .statusCode()).isEqualTo(200);
    assertThat(Files.getLastModifiedTime(DATA.resolve("uploads/" + id + ".part")).toMillis()).isZero();
    HttpResponse<String> commit = send("POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(commit.statusCode()).isEqualTo(201);
    HttpResponse<String> again = send("POST", "/api/v1/uploads/" + id + "/commit", null);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(again.body()).get("id")).isEqualTo(JSON.readTree(commit.body()).get("id"));
    assertThat(DATA.resolve("uploads/" + id + ".part")).doesNotExist();
    send("DELETE", "/api/v1/uploads/" + id, null);
  }

  @Test
  void upload_refusesOversizedPiecesAndEnvelopesUnknownIdsAndInvalidEnvelopes() throws Exception {
    String id = open();
    assertThat(send("PUT", "/api/v1/uploads/" + id + "?offset=0", new byte[100_001]).statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(send("GET", "/api/v1/uploads/" + id, null).body()).get("offset").asLong()).isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(send("PUT", "/api/v1/uploads/" + id + "?offset=" + i * 100_000, new byte[100_000]).statusCode())
          .isEqualTo(200);
    }
    assertThat(send("PUT", "/api/v1/uploads/" + id + "?offset=400000", new byte[1]).statusCode()).isEqualTo(413);
    assertThat(send("POST", "/api/v1/uploads/" + id + "/commit", null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/v1/uploads/" + id, null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/api/v1/uploads/" + "0".repeat(32), null).statusCode()).isEqualTo(404);
    // dot segments are refused before routing (EdgeHandler, issue 17)
    assertThat(send("GET", "/api/v1/uploads/../../etc", null).statusCode()).isEqualTo(400);
    assertThat(send("PUT", "/api/v1/uploads/" + "0".repeat(32) + "?offset=0", new byte[1]).statusCode()).isEqualTo(404);
  }

  /**
   * A piece refused before its body is read: the server says it closes the connection, and does.
   * The body is never sent here, so the outcome does not depend on when its bytes arrive.
   */
  @Test
  void upload_refusedPieceClosesTheConnectionAndSaysSo() throws Exception {
    String id = open();
    try {
      refusedPieceClosesTheConnection(id);
    } finally {
      assertThat(send("DELETE", "/api/v1/uploads/" + id, null).statusCode()).isEqualTo(204);
    }
  }

  private static void refusedPieceClosesTheConnection(String id) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("PUT /api/v1/uploads/" + id + "?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 100001\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 413 ");
      assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("\r\nconnection: close\r\n");
    }
    HttpResponse<String> notRead = send("PUT", "/api/v1/uploads/" + id + "?offset=5", new byte[10]);
    assertThat(notRead.statusCode()).isEqualTo(409);
    assertThat(notRead.headers().firstValue("Connection")).contains("close");
    HttpResponse<String> status = send("GET", "/api/v1/uploads/" + id, null);
    assertThat(status.headers().firstValue("Connection")).isEmpty();
    assertThat(JSON.readTree(status.body()).get("offset").asLong()).isZero();
  }

  /**
   * While a piece is being received, a thread dump shows the request's thread reading it and no
   * request path (Dropwizard's thread-name filter is off: the path holds the upload's id).
   */
  @Test
  void threadDump_duringAnUpload_showsNoRequestPath() throws Exception {
    String id = open();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
      s.getOutputStream().write(("PUT /api/v1/uploads/" + id + "?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n0123456789")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String dump = "";
      for (int i = 0; i < 100 && !dump.contains("UploadService.append"); i++) {
        Thread.sleep(100);
        dump = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/threads"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
      }
      assertThat(dump).as("the piece's request is in flight").contains("UploadService.append");
      assertThat(dump).doesNotContain("/api/v1/", id);
    } finally {
      assertThat(send("DELETE", "/api/v1/uploads/" + id, null).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void upload_boundsTheUploadsMovingData_andEmptyOnesHoldNoSlot() throws Exception {
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = open();
      assertThat(send("PUT", "/api/v1/uploads/" + ids[i] + "?offset=0", new byte[] {1}).statusCode()).isEqualTo(200);
    }
    String[] empty = new String[6];
    for (int i = 0; i < empty.length; i++) {
      empty[i] = open(); // byteless uploads hold no slot: never refused for the slots
    }
    HttpResponse<String> refused = send("PUT", "/api/v1/uploads/" + empty[0] + "?offset=0", new byte[] {1});
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(send("DELETE", "/api/v1/uploads/" + ids[0], null).statusCode()).isEqualTo(204);
    assertThat(send("PUT", "/api/v1/uploads/" + empty[0] + "?offset=0", new byte[] {1}).statusCode())
        .as("a freed slot goes to the next piece").isEqualTo(200);
    for (String id : List.of(ids[1], ids[2])) {
      assertThat(send("DELETE", "/api/v1/uploads/" + id, null).statusCode()).isEqualTo(204);
    }
    for (String id : empty) {
      assertThat(send("DELETE", "/api/v1/uploads/" + id, null).statusCode()).isEqualTo(204);
    }
    assertThat(uploadFiles()).isZero();
  }
}

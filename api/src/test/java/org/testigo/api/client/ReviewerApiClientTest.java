package org.testigo.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.CaseEventItem;
import org.testigo.api.wire.ChallengeAnswered;
import org.testigo.api.wire.EventPosted;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.ReplyKey;
import org.testigo.api.wire.RewrapItem;
import org.testigo.api.wire.RewrapStored;
import org.testigo.api.wire.Submission;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The typed reviewer-API client against a tiny HTTP server on 127.0.0.1 (real HTTP over the one
 * transport, no mock): every request arrives signed in the Testigo RFC 9421 profile (checked
 * here with crypto's verifier, as the server's filter does), at the path the server declares,
 * and every answer (the JSON the server's resources write) comes back as its wire record.
 */
class ReviewerApiClientTest {
  private static final String ID = "00112233445566778899aabbccddeeff";
  private static final String SHA = "ab".repeat(32);
  private static final String SHA2 = "cd".repeat(32);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final SigningPrivateKey KEY = TestKeys.signing("api-client");

  /** One request as the server saw it, after its signature verified. */
  record Seen(String method, String pathAndQuery, byte[] body) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private HttpServer http;
  private ReviewerApiClient client;

  record Answer(int status, String type, byte[] body) {
    static Answer json(int status, String json) {
      return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", this::serve);
    http.start();
    client = new ReviewerApiClient(URI.create("http://127.0.0.1:" + http.getAddress().getPort()), KEY,
        Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
  }

  @AfterEach
  void tearDown() {
    http.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      URI uri = ex.getRequestURI();
      String h = ex.getRequestHeaders().getFirst("Host");
      try {
        ReviewerRequestSignature.verify(new ReviewerRequestSignature.Request(ex.getRequestMethod(), h,
            uri.getRawPath(), uri.getRawQuery(), ex.getRequestHeaders().getFirst("Content-Digest"),
            ex.getRequestHeaders().getFirst("Signature-Input"), ex.getRequestHeaders().getFirst("Signature")),
            (fingerprint, at) -> fingerprint.equals(KEY.publicKey().fingerprint())
                ? Optional.of(KEY.publicKey()) : Optional.empty(), NOW);
        if (body.length > 0 && !ReviewerRequestSignature.hasBody(ex.getRequestMethod())) {
          throw new AssertionError("a body on " + ex.getRequestMethod());
        }
      } catch (Exception e) {
        refused.add(ex.getRequestMethod() + " " + uri);
        ex.sendResponseHeaders(401, -1);
        return;
      }
      String pq = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      seen.add(new Seen(ex.getRequestMethod(), pq, body));
      Answer a = answers.get(ex.getRequestMethod() + " " + pq);
      if (a == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", a.type());
      ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
      ex.getResponseBody().write(a.body());
    }
  }

  private void answer(String methodAndPath, int status, String json) {
    answers.put(methodAndPath, Answer.json(status, json));
  }

  @Test
  void submissions_signedGetOfTheFeed() throws Exception {
    answer("GET /api/v1/reviewer/submissions?after=5&limit=100", 200, "{\"items\":[{\"seq\":6,\"id\":\"" + ID
        + "\",\"context\":\"report\",\"receivedDay\":\"2026-03-01\",\"size\":4096,\"sha256\":\"" + SHA
        + "\",\"hasMailbox\":true,\"caseId\":\"" + ID + "\",\"currentSha256\":\"" + SHA + "\",\"rewraps\":0}],"
        + "\"next\":6,\"more\":false}");
    Page<Submission> page = client.submissions(5, 100);
    assertThat(page).isEqualTo(new Page<>(List.of(new Submission(6, ID, "report", "2026-03-01", 4096, SHA, true, ID,
        SHA, 0)), 6, false));
    assertThat(refused).isEmpty();
    assertThat(seen).extracting(Seen::method, Seen::pathAndQuery)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/api/v1/reviewer/submissions?after=5&limit=100"));
  }

  @Test
  void submissions_fromAnOlderServerWithoutRewrapFields() throws Exception {
    answer("GET /api/v1/reviewer/submissions?after=0&limit=10", 200, "{\"items\":[{\"seq\":1,\"id\":\"" + ID
        + "\",\"context\":\"report\",\"receivedDay\":\"2026-03-01\",\"size\":1,\"sha256\":\"" + SHA
        + "\",\"hasMailbox\":false,\"caseId\":\"" + ID + "\"}],\"next\":1,\"more\":false}");
    Submission s = client.submissions(0, 10).items().get(0);
    assertThat(s.rewraps()).isZero();
    assertThat(s.currentSha256()).isEqualTo(SHA);
  }

  @Test
  void typedAnswers_areStrictAboutJsonTypes() {
    answer("GET /api/v1/reviewer/submissions?after=0&limit=10", 200, "{\"items\":[],\"next\":\"0\",\"more\":false}");
    assertThatThrownBy(() -> client.submissions(0, 10)).isInstanceOfSatisfying(ClientException.class, e -> {
      assertThat(e.kind()).isEqualTo(ClientException.Kind.SERVER);
      assertThat(e.getMessage()).isEqualTo("the server's answer does not have the expected form"
          + " (/api/v1/reviewer/submissions)");
    });
  }

  @Test
  void feedPages_failOnABadEntryNamingTheField() {
    answer("GET /api/v1/reviewer/rewraps?after=0&limit=200", 200, "{\"items\":[{\"seq\":1,\"id\":\"" + ID
        + "\",\"generation\":1,\"headerSha256\":\"" + SHA + "\",\"sha256\":\"XY\"}],\"next\":1,\"more\":false}");
    assertThatThrownBy(() -> client.rewraps(0, 200)).isInstanceOf(ClientException.class)
        .hasMessage("the server sent an entry with a bad or missing field 'sha256' (/api/v1/reviewer/rewraps)");
    answer("GET /api/v1/reviewer/events?after=0&limit=1", 200, "{\"items\":[{},{}],\"next\":1}");
    assertThatThrownBy(() -> client.events(0, 1))
        .hasMessage("the server's answer does not have the expected form (/api/v1/reviewer/events)");
  }

  @Test
  void replyKeyReplyAndCaseEvent_signedPostsWithTheirBodies() throws Exception {
    answer("GET /api/v1/reviewer/submissions/" + ID + "/reply-key", 200,
        "{\"replyPublicKey\":\"AAEC\",\"fingerprint\":\"" + SHA + "\"}");
    answer("POST /api/v1/reviewer/submissions/" + ID + "/replies", 201,
        "{\"id\":\"ffeeddccbbaa99887766554433221100\",\"receivedDay\":\"2026-03-01\"}");
    answer("POST /api/v1/reviewer/cases/" + ID + "/events", 201, "{\"seq\":4,\"eventId\":\"" + SHA2 + "\"}");
    answer("POST /api/v1/reviewer/challenges", 201, "{\"seq\":2,\"challengeId\":\"" + SHA + "\"}");
    answer("POST /api/v1/reviewer/rewraps/" + ID, 200, "{\"seq\":3,\"id\":\"" + ID + "\",\"generation\":1,"
        + "\"headerSha256\":\"" + SHA + "\",\"sha256\":\"" + SHA2 + "\",\"created\":false}");
    assertThat(client.replyKey(ID)).isEqualTo(new ReplyKey("AAEC", SHA));
    assertThat(client.reply(ID, new byte[] {1, 2, 3}))
        .isEqualTo(new Accepted("ffeeddccbbaa99887766554433221100", "2026-03-01"));
    assertThat(client.postCaseEvent(ID, new byte[] {4})).isEqualTo(new EventPosted(4, SHA2));
    assertThat(client.answerChallenge(new byte[] {0, 0})).isEqualTo(new ChallengeAnswered(2, SHA));
    assertThat(client.rewrap(ID, new byte[] {9})).isEqualTo(new RewrapStored(3, ID, 1, SHA, SHA2, false));
    assertThat(refused).isEmpty();
    assertThat(seen).extracting(Seen::method).containsExactly("GET", "POST", "POST", "POST", "POST");
    assertThat(seen.get(1).body()).containsExactly(1, 2, 3);
  }

  @Test
  void eventsRewrapsAndBinaryAnswers() throws Exception {
    answer("GET /api/v1/reviewer/events?after=0&limit=500", 200, "{\"items\":[{\"seq\":1,\"eventId\":\"" + SHA
        + "\",\"caseId\":\"" + ID + "\",\"author\":\"" + SHA2 + "\",\"receivedAt\":\"2026-03-01T12:00:00Z\","
        + "\"event\":\"AQID\",\"content\":\"BAUG\"}],\"next\":1,\"more\":false}");
    answer("GET /api/v1/reviewer/rewraps?after=0&limit=200", 200, "{\"items\":[{\"seq\":1,\"id\":\"" + ID
        + "\",\"generation\":1,\"headerSha256\":\"" + SHA + "\",\"sha256\":\"" + SHA2 + "\",\"receivedDay\":"
        + "\"2026-03-01\",\"signer\":\"" + SHA + "\"}],\"next\":1,\"more\":false}");
    answers.put("GET /api/v1/reviewer/rewraps/" + ID + "/1", new Answer(200, "application/octet-stream",
        new byte[] {7, 7}));
    answers.put("GET /api/v1/reviewer/submissions/" + ID + "/envelope", new Answer(200, "application/octet-stream",
        new byte[] {1}));
    answers.put("GET /api/v1/reviewer/submissions/envelopes?after=3&limit=50", new Answer(200,
        "application/octet-stream", "TGBATCH1".getBytes(StandardCharsets.US_ASCII)));
    answers.put("GET /api/v1/reviewer/manifest", new Answer(200, "text/plain", "chain".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.events(0, 500).items()).containsExactly(new CaseEventItem(1, SHA, ID, SHA2,
        "2026-03-01T12:00:00Z", "AQID", "BAUG"));
    assertThat(client.rewraps(0, 200).items()).containsExactly(new RewrapItem(1, ID, 1, SHA, SHA2, "2026-03-01", SHA));
    try (InputStream in = client.rewrapHeader(ID, 1)) {
      assertThat(in.readAllBytes()).containsExactly(7, 7);
    }
    try (InputStream in = client.envelope(ID)) {
      assertThat(in.readAllBytes()).containsExactly(1);
    }
    try (InputStream in = client.envelopeBatch(3, 50)) {
      assertThat(in.readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("TGBATCH1");
    }
    assertThat(client.manifest()).asString(StandardCharsets.UTF_8).isEqualTo("chain");
    assertThat(refused).isEmpty();
  }

  @Test
  void failures_areOneLineWithoutTheBody() {
    answer("GET /api/v1/reviewer/submissions/" + ID + "/reply-key", 403, "{\"code\":403,\"message\":\"\\u001b[31m\"}");
    assertThatThrownBy(() -> client.replyKey(ID)).isInstanceOfSatisfying(ClientException.class, e -> {
      assertThat(e.kind()).isEqualTo(ClientException.Kind.SERVER);
      assertThat(e.getMessage()).isEqualTo("your role in the manifest does not allow this"
          + " (/api/v1/reviewer/submissions/" + ID + "/reply-key)");
    });
    assertThatThrownBy(() -> client.envelope(ID)).hasMessage("not found on the server"
        + " (/api/v1/reviewer/submissions/" + ID + "/envelope)");
    answer("POST /api/v1/reviewer/challenges", 409, "{}");
    assertThatThrownBy(() -> client.answerChallenge(new byte[1])).hasMessageStartingWith("the server has this already");
    answer("GET /api/v1/reviewer/events?after=0&limit=1", 200, "not json");
    assertThatThrownBy(() -> client.events(0, 1)).hasMessage("the server's answer is not valid JSON"
        + " (/api/v1/reviewer/events)");
  }

  @Test
  void answersOverTheCap_stopThere() {
    answer("GET /api/v1/reviewer/submissions/" + ID + "/reply-key", 200,
        "{\"replyPublicKey\":\"" + "A".repeat(Bounded.SMALL_JSON_BYTES) + "\",\"fingerprint\":\"x\"}");
    assertThatThrownBy(() -> client.replyKey(ID)).isInstanceOf(Bounded.TooLargeException.class)
        .hasMessageContaining("is larger than " + Bounded.SMALL_JSON_BYTES + " bytes");
  }

  @Test
  void wrongKey_isRefusedByTheServersCheck() throws Exception {
    ReviewerApiClient stranger = new ReviewerApiClient(URI.create("http://127.0.0.1:" + http.getAddress().getPort()),
        TestKeys.signing("stranger"), Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    assertThatThrownBy(() -> stranger.manifest()).hasMessageStartingWith("the server refused the signature");
    assertThat(refused).containsExactly("GET /api/v1/reviewer/manifest");
  }

  @Test
  void anOnionWithoutAProxy_isRefusedBeforeAnyConnection() {
    assertThatThrownBy(() -> new ReviewerApiClient(URI.create("http://" + HttpTransportSocksTest.ONION), KEY,
        Clock.systemUTC(), new SecureRandom())).isInstanceOfSatisfying(ClientException.class,
            e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.USAGE));
  }

  @Test
  void throughSocks_theOnionNameGoesToTheProxy() throws Exception {
    answer("GET /api/v1/reviewer/manifest", 200, "{}");
    try (SocksStandIn socks = new SocksStandIn(http.getAddress().getPort())) {
      ReviewerApiClient viaTor = new ReviewerApiClient(URI.create("http://" + HttpTransportSocksTest.ONION),
          Optional.of(new Socks5.Address("127.0.0.1", socks.port())), KEY, Clock.fixed(NOW, ZoneOffset.UTC),
          new SecureRandom());
      assertThat(viaTor.manifest()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
      assertThat(socks.requestedHosts).containsExactly("domain:" + HttpTransportSocksTest.ONION + ":80");
    }
    assertThat(refused).isEmpty();
  }

  @Test
  void aServerThatStopsSending_isGivenUpOn() throws Exception {
    http.createContext("/api/v1/reviewer/slow", ex -> {
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write('{');
      out.flush();
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    String old = System.getProperty("testigo.reviewer.idleSeconds");
    System.setProperty("testigo.reviewer.idleSeconds", "1");
    try {
      ReviewerApiClient impatient = new ReviewerApiClient(URI.create("http://127.0.0.1:" + http.getAddress().getPort()),
          KEY, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
      assertThatThrownBy(() -> impatient.getJson("/api/v1/reviewer/slow")).isInstanceOf(ClientException.class)
          .hasMessageStartingWith("the server sent nothing for 1 s while sending the answer to /api/v1/reviewer/slow");
    } finally {
      if (old == null) {
        System.clearProperty("testigo.reviewer.idleSeconds");
      } else {
        System.setProperty("testigo.reviewer.idleSeconds", old);
      }
    }
  }
}

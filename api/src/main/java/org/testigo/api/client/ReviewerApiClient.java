package org.testigo.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.CaseEventItem;
import org.testigo.api.wire.ChallengeAnswered;
import org.testigo.api.wire.EventPosted;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.ReplyKey;
import org.testigo.api.wire.RewrapItem;
import org.testigo.api.wire.RewrapStored;
import org.testigo.api.wire.Submission;
import org.testigo.api.wire.WireFields;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The reviewer API over {@link HttpTransport} (direct, or through a SOCKS5 proxy such as the
 * reviewer's tor for a client-authorised onion): every request is signed with the reviewer's
 * Ed25519 key in the Testigo RFC 9421 profile (fresh nonce, two-minute lifetime). Errors
 * become a {@link ClientException} ({@link ClientException.Kind#SERVER}) with a one-line
 * message; response bodies are never echoed. Every answer is read up to a cap ({@link Bounded}).
 *
 * <p>Two levels: the raw calls ({@link #get}, {@link #getJson}, {@link #post}) that
 * {@code testigo-reviewer}'s {@code ReviewerClient} made, for callers that check each feed entry
 * themselves ({@link Submission#parse}, {@link CaseEventItem#parse}, {@link RewrapItem#parse});
 * and typed calls, one per endpoint, that return the wire records. A typed answer is read
 * strictly: a number sent as a string, a missing number or flag, or a value of another type is a
 * {@link ClientException}; fields the server adds later are ignored. Feed pages are checked
 * entry by entry with the same checks as the raw level (a bad entry fails the whole page here).
 */
public final class ReviewerApiClient {
  /** The largest sealed content of a case event the reviewer tool accepts from the feed. */
  public static final int MAX_EVENT_CONTENT_BYTES = 16 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Reads typed answers: no coercion between JSON types, no null for a number or a flag. */
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private final URI base;
  private final SigningPrivateKey key;
  private final HttpTransport http;
  private final Clock clock;
  private final SecureRandom random;
  /**
   * Seconds without a byte of a response body before giving up (default 120; a Tor circuit
   * may stall for a while). System property {@code testigo.reviewer.idleSeconds}.
   */
  private final int idleSeconds = Math.max(1, Integer.getInteger("testigo.reviewer.idleSeconds", 120));

  public ReviewerApiClient(URI base, SigningPrivateKey key, Clock clock, SecureRandom random) {
    this(base, Optional.empty(), key, clock, random);
  }

  /**
   * A client for the reviewer API at {@code base}, through {@code socks} if present. An onion
   * {@code base} without a proxy is refused here, before any connection
   * ({@link ClientException.Kind#USAGE}).
   */
  public ReviewerApiClient(URI base, Optional<Socks5.Address> socks, SigningPrivateKey key, Clock clock,
      SecureRandom random) {
    HttpTransport.checkRoute(base, socks);
    this.base = base;
    this.key = key;
    this.clock = clock;
    this.random = random;
    // the socket's own read timeout is a backstop behind IdleTimeoutInputStream's clearer message.
    // Through Tor, each client (one run of a command) gets a circuit of its own (a random SOCKS
    // username, IsolateSOCKSAuth): runs are unlinkable by circuit, and a reviewer removed from
    // the manifest cannot keep using a rendezvous circuit opened before the reviewer onion was
    // re-published without their key (tor attaches new streams to an open rendezvous circuit of
    // the same isolation, and the re-published service has the same identity).
    HttpTransport transport = new HttpTransport(socks, idleSeconds * 1000 + 15_000);
    this.http = socks.isPresent() ? transport.isolated(isolationToken(random)) : transport;
  }

  /** A random SOCKS username (128 bits, hex): the circuit of this client's requests. */
  static String isolationToken(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return "testigo-reviewer-" + java.util.HexFormat.of().formatHex(b);
  }

  // ---- typed calls ----

  /** {@code GET /api/v1/reviewer/submissions?after=&limit=}. */
  public Page<Submission> submissions(long after, int limit) throws IOException {
    String path = ApiPaths.page(ApiPaths.REVIEWER_SUBMISSIONS, after, limit);
    return page(path, getJson(path, Bounded.PAGE_JSON_BYTES), limit, Submission::parse);
  }

  /**
   * {@code GET /api/v1/reviewer/submissions/envelopes?after=&limit=}: an envelope batch v1 to
   * read as it arrives; the caller closes it.
   */
  public InputStream envelopeBatch(long after, int limit) throws IOException {
    return get(ApiPaths.page(ApiPaths.REVIEWER_SUBMISSIONS_ENVELOPES, after, limit));
  }

  /** {@code GET /api/v1/reviewer/submissions/{id}/envelope}: the ciphertext; the caller closes it. */
  public InputStream envelope(String id) throws IOException {
    return get(ApiPaths.reviewerSubmissionEnvelope(id));
  }

  /** {@code GET /api/v1/reviewer/submissions/{id}/reply-key}. */
  public ReplyKey replyKey(String reportId) throws IOException {
    String path = ApiPaths.reviewerReplyKey(reportId);
    return typed(path, getJson(path), new TypeReference<ReplyKey>() {});
  }

  /** {@code POST /api/v1/reviewer/submissions/{id}/replies}: a sealed reply envelope. */
  public Accepted reply(String reportId, byte[] sealedReply) throws IOException {
    String path = ApiPaths.reviewerReplies(reportId);
    return typed(path, post(path, sealedReply), new TypeReference<Accepted>() {});
  }

  /** {@code POST /api/v1/reviewer/cases/{id}/events}: a framed signed case event and its sealed content. */
  public EventPosted postCaseEvent(String caseId, byte[] framedEvent) throws IOException {
    String path = ApiPaths.reviewerCaseEvents(caseId);
    return typed(path, post(path, framedEvent), new TypeReference<EventPosted>() {});
  }

  /** {@code GET /api/v1/reviewer/events?after=&limit=}. */
  public Page<CaseEventItem> events(long after, int limit) throws IOException {
    String path = ApiPaths.page(ApiPaths.REVIEWER_EVENTS, after, limit);
    return page(path, getJson(path, Bounded.PAGE_JSON_BYTES), limit,
        n -> CaseEventItem.parse(n, MAX_EVENT_CONTENT_BYTES));
  }

  /** {@code POST /api/v1/reviewer/challenges}: {@code u16 n || challenge || answer}. */
  public ChallengeAnswered answerChallenge(byte[] body) throws IOException {
    return typed(ApiPaths.REVIEWER_CHALLENGES, post(ApiPaths.REVIEWER_CHALLENGES, body),
        new TypeReference<ChallengeAnswered>() {});
  }

  /** {@code POST /api/v1/reviewer/rewraps/{id}}: a new envelope header. */
  public RewrapStored rewrap(String id, byte[] header) throws IOException {
    String path = ApiPaths.reviewerRewrap(id);
    return typed(path, post(path, header), new TypeReference<RewrapStored>() {});
  }

  /** {@code GET /api/v1/reviewer/rewraps?after=&limit=}. */
  public Page<RewrapItem> rewraps(long after, int limit) throws IOException {
    String path = ApiPaths.page(ApiPaths.REVIEWER_REWRAPS, after, limit);
    return page(path, getJson(path, Bounded.PAGE_JSON_BYTES), limit, RewrapItem::parse);
  }

  /** {@code GET /api/v1/reviewer/rewraps/{id}/{generation}}: one generation's header; the caller closes it. */
  public InputStream rewrapHeader(String id, int generation) throws IOException {
    return get(ApiPaths.reviewerRewrapGeneration(id, generation));
  }

  /** {@code GET /api/v1/reviewer/manifest}: the armored manifest chain, at most {@link Bounded#MANIFEST_BYTES}. */
  public byte[] manifest() throws IOException {
    try (InputStream in = get(ApiPaths.REVIEWER_MANIFEST)) {
      return Bounded.readAll(in, Bounded.MANIFEST_BYTES, "the answer to " + ApiPaths.REVIEWER_MANIFEST);
    }
  }

  // ---- raw calls ----

  /** A signed GET; the caller closes the body stream. Throws unless the status is 200. */
  public InputStream get(String pathAndQuery) throws IOException {
    HttpTransport.Response r = send("GET", pathAndQuery, null);
    if (r.status() != 200) {
      r.close();
      throw failure(r.status(), pathAndQuery);
    }
    return new IdleTimeoutInputStream(r.body(), idleSeconds, "the answer to " + pathOnly(pathAndQuery));
  }

  /** A signed GET of a small JSON answer (at most {@link Bounded#SMALL_JSON_BYTES}). */
  public JsonNode getJson(String pathAndQuery) throws IOException {
    return getJson(pathAndQuery, Bounded.SMALL_JSON_BYTES);
  }

  /**
   * A signed GET of a JSON answer of at most {@code maxBytes} bytes: reading stops at the
   * cap ({@link Bounded.TooLargeException}, the connection is dropped), and an answer that is
   * not one JSON value is a {@link ClientException} ({@link ClientException.Kind#SERVER}).
   */
  public JsonNode getJson(String pathAndQuery, int maxBytes) throws IOException {
    try (InputStream in = get(pathAndQuery)) {
      return parse(Bounded.readAll(in, maxBytes, "the answer to " + pathOnly(pathAndQuery)), pathAndQuery);
    }
  }

  /** A signed POST of {@code body} (application/octet-stream); returns the JSON answer (200 or 201). */
  public JsonNode post(String path, byte[] body) throws IOException {
    HttpTransport.Response r = send("POST", path, body);
    try (InputStream in = new IdleTimeoutInputStream(r.body(), idleSeconds, "the answer to " + pathOnly(path))) {
      if (r.status() != 200 && r.status() != 201) {
        throw failure(r.status(), path);
      }
      return parse(Bounded.readAll(in, Bounded.SMALL_JSON_BYTES, "the answer to " + pathOnly(path)), path);
    }
  }

  /** Reads one feed entry, checking every field. */
  private interface Entry<T> {
    T parse(JsonNode n) throws WireFields.InvalidEntryException;
  }

  /**
   * A page read strictly: an object whose {@code items} is an array of at most {@code limit}
   * entries, each checked by {@code entry}, {@code next} an integer and {@code more} a boolean
   * (false if absent). Anything else, including one bad entry, is a {@link ClientException}
   * naming the path (and the field of a bad entry). A caller that skips bad entries one by one
   * uses {@link #getJson(String, int)} and the entry's {@code parse} itself.
   */
  private static <T> Page<T> page(String path, JsonNode page, int limit, Entry<T> entry) {
    JsonNode items = page.get("items");
    JsonNode next = page.get("next");
    JsonNode more = page.get("more");
    if (!page.isObject() || items == null || !items.isArray() || items.size() > limit || next == null
        || !next.isIntegralNumber() || !next.canConvertToLong() || more != null && !more.isBoolean()) {
      throw form(path);
    }
    List<T> out = new ArrayList<>();
    for (JsonNode item : items) {
      try {
        out.add(entry.parse(item));
      } catch (WireFields.InvalidEntryException e) {
        throw new ClientException(ClientException.Kind.SERVER, "the server sent an entry with a " + e.getMessage()
            + " (" + pathOnly(path) + ")");
      }
    }
    return new Page<>(List.copyOf(out), next.asLong(), more != null && more.asBoolean());
  }

  private static ClientException form(String path) {
    return new ClientException(ClientException.Kind.SERVER, "the server's answer does not have the expected"
        + " form (" + pathOnly(path) + ")");
  }

  private static <T> T typed(String path, JsonNode answer, TypeReference<T> type) {
    JavaType t = STRICT.getTypeFactory().constructType(type);
    try {
      T value = STRICT.treeToValue(answer, t);
      if (value == null) {
        throw new IOException("null");
      }
      return value;
    } catch (IOException | IllegalArgumentException e) {
      throw form(path);
    }
  }

  private static JsonNode parse(byte[] body, String path) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw new IOException("empty");
      }
      return n;
    } catch (IOException e) {
      throw new ClientException(ClientException.Kind.SERVER, "the server's answer is not valid JSON ("
          + pathOnly(path) + ")");
    }
  }

  private static String pathOnly(String pathAndQuery) {
    return pathAndQuery.replaceAll("\\?.*", "");
  }

  private HttpTransport.Response send(String method, String pathAndQuery, byte[] body) throws IOException {
    URI uri = URI.create(base.toString() + pathAndQuery);
    String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    byte[] sha = body == null ? null : sha256(body);
    ReviewerRequestSignature.Headers h = ReviewerRequestSignature.sign(key, method, authority,
        uri.getRawPath(), uri.getRawQuery(), sha, clock.instant(), ReviewerRequestSignature.DEFAULT_LIFETIME,
        random);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ReviewerRequestSignature.SIGNATURE_INPUT, h.signatureInput());
    headers.put(ReviewerRequestSignature.SIGNATURE, h.signature());
    if (body != null) {
      headers.put(ReviewerRequestSignature.CONTENT_DIGEST, h.contentDigest());
      headers.put("Content-Type", "application/octet-stream");
    }
    try {
      return http.exchange(method, uri, headers, body == null ? null : HttpTransport.bytes(body));
    } catch (IOException e) {
      throw new ClientException(ClientException.Kind.SERVER, http.describe(uri, e));
    }
  }

  private static ClientException failure(int status, String path) {
    String why = switch (status) {
      case 401 -> "the server refused the signature: is your key in the current manifest, and is"
          + " this computer's clock right?";
      case 403 -> "your role in the manifest does not allow this";
      case 404 -> "not found on the server";
      case 400 -> "the server rejected the request as malformed";
      case 413 -> "too large for the server";
      case 409 -> "the server has this already (a challenge is answered only once; ask for a new one)";
      case 503 -> "the server is busy or its database is unavailable; try again later";
      default -> "the server answered HTTP " + status;
    };
    return new ClientException(ClientException.Kind.SERVER, why + " (" + pathOnly(path) + ")");
  }

  static byte[] sha256(byte[] body) {
    MessageDigest d = ContentDigest.newDigest();
    return d.digest(body);
  }
}

package org.testigo.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The reviewer API over {@link HttpTransport} (direct, or through a SOCKS5 proxy such as the
 * reviewer's tor for a client-authorised onion): every request is signed with the reviewer's
 * Ed25519 key in the Testigo RFC 9421 profile (fresh nonce, two-minute lifetime). Errors
 * become a {@link CliException} with exit code {@link ExitCodes#SERVER} and a one-line
 * message; response bodies are never echoed.
 */
public final class ReviewerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  public ReviewerClient(URI base, SigningPrivateKey key, Clock clock, SecureRandom random) {
    this(base, Optional.empty(), key, clock, random);
  }

  /**
   * A client for the reviewer API at {@code base}, through {@code socks} if present. An onion
   * {@code base} without a proxy is refused here, before any connection.
   */
  public ReviewerClient(URI base, Optional<Socks5.Address> socks, SigningPrivateKey key, Clock clock,
      SecureRandom random) {
    HttpTransport.checkRoute(base, socks);
    this.base = base;
    this.key = key;
    this.clock = clock;
    this.random = random;
    // the socket's own read timeout is a backstop behind IdleTimeoutInputStream's clearer message
    this.http = new HttpTransport(socks, idleSeconds * 1000 + 15_000);
  }

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
   * not one JSON value is a {@link CliException} ({@link ExitCodes#SERVER}).
   */
  public JsonNode getJson(String pathAndQuery, int maxBytes) throws IOException {
    try (InputStream in = get(pathAndQuery)) {
      return parse(Bounded.readAll(in, maxBytes, "the answer to " + pathOnly(pathAndQuery)), pathAndQuery);
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
      throw new CliException(ExitCodes.SERVER, "the server's answer is not valid JSON (" + pathOnly(path) + ")");
    }
  }

  private static String pathOnly(String pathAndQuery) {
    return pathAndQuery.replaceAll("\\?.*", "");
  }

  /** A signed POST of {@code body} (application/octet-stream); returns the JSON answer. */
  public JsonNode post(String path, byte[] body) throws IOException {
    HttpTransport.Response r = send("POST", path, body);
    try (InputStream in = new IdleTimeoutInputStream(r.body(), idleSeconds, "the answer to " + pathOnly(path))) {
      if (r.status() != 200 && r.status() != 201) {
        throw failure(r.status(), path);
      }
      return parse(Bounded.readAll(in, Bounded.SMALL_JSON_BYTES, "the answer to " + pathOnly(path)), path);
    }
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
      throw new CliException(ExitCodes.SERVER, http.describe(uri, e));
    }
  }

  private static CliException failure(int status, String path) {
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
    return new CliException(ExitCodes.SERVER, why + " (" + pathOnly(path) + ")");
  }

  static byte[] sha256(byte[] body) {
    MessageDigest d = ContentDigest.newDigest();
    return d.digest(body);
  }
}

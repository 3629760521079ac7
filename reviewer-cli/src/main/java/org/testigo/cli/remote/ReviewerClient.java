package org.testigo.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.testigo.cli.CliException;
import org.testigo.cli.ExitCodes;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The reviewer API over {@code java.net.http}: every request is signed with the reviewer's
 * Ed25519 key in the Testigo RFC 9421 profile (fresh nonce, two-minute lifetime). Errors
 * become a {@link CliException} with exit code {@link ExitCodes#SERVER} and a one-line
 * message; response bodies are never echoed.
 */
public final class ReviewerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final SigningPrivateKey key;
  private final HttpClient http;
  private final Clock clock;
  private final SecureRandom random;
  /**
   * Seconds without a byte of a response body before giving up (default 120; a Tor circuit
   * may stall for a while). System property {@code testigo.reviewer.idleSeconds}.
   */
  private final int idleSeconds = Math.max(1, Integer.getInteger("testigo.reviewer.idleSeconds", 120));

  public ReviewerClient(URI base, SigningPrivateKey key, Clock clock, SecureRandom random) {
    this.base = base;
    this.key = key;
    this.clock = clock;
    this.random = random;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** A signed GET; the caller closes the body stream. Throws unless the status is 200. */
  public InputStream get(String pathAndQuery) throws IOException {
    HttpResponse<InputStream> r = send("GET", pathAndQuery, null);
    if (r.statusCode() != 200) {
      r.body().close();
      throw failure(r.statusCode(), pathAndQuery);
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
    HttpResponse<InputStream> r = send("POST", path, body);
    try (InputStream in = new IdleTimeoutInputStream(r.body(), idleSeconds, "the answer to " + pathOnly(path))) {
      if (r.statusCode() != 200 && r.statusCode() != 201) {
        throw failure(r.statusCode(), path);
      }
      return parse(Bounded.readAll(in, Bounded.SMALL_JSON_BYTES, "the answer to " + pathOnly(path)), path);
    }
  }

  private HttpResponse<InputStream> send(String method, String pathAndQuery, byte[] body) throws IOException {
    URI uri = URI.create(base.toString() + pathAndQuery);
    String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    byte[] sha = body == null ? null : sha256(body);
    ReviewerRequestSignature.Headers h = ReviewerRequestSignature.sign(key, method, authority,
        uri.getRawPath(), uri.getRawQuery(), sha, clock.instant(), ReviewerRequestSignature.DEFAULT_LIFETIME,
        random);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
        .header(ReviewerRequestSignature.SIGNATURE_INPUT, h.signatureInput())
        .header(ReviewerRequestSignature.SIGNATURE, h.signature());
    if (body != null) {
      b.header(ReviewerRequestSignature.CONTENT_DIGEST, h.contentDigest())
          .header("Content-Type", "application/octet-stream")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpTimeoutException e) {
      throw new CliException(ExitCodes.SERVER, "cannot reach the server at " + base + " ("
          + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.SERVER, "interrupted while talking to the server");
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

package org.testigo.server.resources.reviewer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.httpsig.SignatureBase;
import org.testigo.crypto.httpsig.StructuredFields;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.sign.SigningPrivateKey;

/** Builds and sends reviewer API requests signed in the Testigo RFC 9421 profile (or not quite). */
public final class ReviewerRequests {
  public static final HttpClient CLIENT = HttpClient.newHttpClient();
  public static final SecureRandom RANDOM = new SecureRandom();

  private ReviewerRequests() {}

  /** A request ready to send: its URI, method, headers and body. */
  public record Prepared(URI uri, String method, Map<String, String> headers, byte[] body) {
    public HttpResponse<byte[]> send() throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri);
      headers.forEach(b::header);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      // A fresh connection per request: the server may close a connection after refusing a
      // request whose body it did not read, and a pooled connection reused at that moment fails
      // with "header parser received no bytes" (seen once in CI), which says nothing about the API.
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public Prepared withBody(byte[] other) {
      return new Prepared(uri, method, headers, other);
    }

    public Prepared withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Prepared(uri, method, h, body);
    }
  }

  /**
   * The reviewer API's own client on the reviewer connector at {@code reviewerBase}, signing as
   * {@code who}: for the ordinary calls of the app tests ({@link #signed} for the deliberately
   * malformed ones).
   */
  public static ReviewerApiClient client(URI reviewerBase, ReviewerIdentity who) {
    return new ReviewerApiClient(reviewerBase, who.signingKey(), Clock.systemUTC(), RANDOM);
  }

  public static String authority(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  public static Prepared signed(SigningPrivateKey key, String method, URI uri, byte[] body, Instant now) throws Exception {
    byte[] sha = body == null ? null : MessageDigest.getInstance("SHA-256").digest(body);
    var h = ReviewerRequestSignature.sign(key, method, authority(uri), uri.getRawPath(), uri.getRawQuery(), sha,
        now, ReviewerRequestSignature.DEFAULT_LIFETIME, RANDOM);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Signature-Input", h.signatureInput());
    headers.put("Signature", h.signature());
    if (h.contentDigest() != null) {
      headers.put("Content-Digest", h.contentDigest());
      headers.put("Content-Type", "application/octet-stream");
    }
    return new Prepared(uri, method, headers, body);
  }

  public static Prepared signed(SigningPrivateKey key, String method, URI uri, byte[] body) throws Exception {
    return signed(key, method, uri, body, Instant.now());
  }

  /** A GET signed correctly except for the given parameters (e.g. another tag). */
  public static Prepared signedGetWithParams(SigningPrivateKey key, URI uri, Map<String, Object> overrides) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("created", now);
    p.put("expires", now + 60);
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    p.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(n));
    p.put("keyid", key.publicKey().fingerprint().hex());
    p.put("alg", "ed25519");
    p.put("tag", ReviewerRequestSignature.TAG);
    p.putAll(overrides);
    List<String> covered = ReviewerRequestSignature.coveredComponents(uri.getRawQuery() != null, false);
    String params = StructuredFields.serializeInnerList(covered, p);
    List<SignatureBase.Component> c = new ArrayList<>();
    c.add(new SignatureBase.Component("\"@method\"", "GET"));
    c.add(new SignatureBase.Component("\"@authority\"", authority(uri)));
    c.add(new SignatureBase.Component("\"@path\"", uri.getRawPath()));
    if (uri.getRawQuery() != null) {
      c.add(new SignatureBase.Component("\"@query\"", "?" + uri.getRawQuery()));
    }
    byte[] sig = key.signHttpSignatureBase(SignatureBase.build(c, params));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Signature-Input", "testigo=" + params);
    headers.put("Signature", "testigo=" + StructuredFields.serializeBareItem(sig));
    return new Prepared(uri, "GET", headers, null);
  }

  public static String digestOf(byte[] body) {
    return ContentDigest.of(body);
  }

  public static Duration lifetime() {
    return ReviewerRequestSignature.DEFAULT_LIFETIME;
  }
}

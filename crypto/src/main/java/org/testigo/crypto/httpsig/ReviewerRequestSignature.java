package org.testigo.crypto.httpsig;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * The Testigo profile of RFC 9421 HTTP Message Signatures for the reviewer API, used by both
 * the reviewer CLI (signing) and the intake server (verifying). Specified in
 * docs/spec/reviewer-api-and-batches.md.
 *
 * <p>A request carries exactly one signature whose covered components are, in this order,
 * {@code "@method" "@authority" "@path"}, then {@code "@query"} if and only if the request
 * has a query, then {@code "content-digest"} if and only if the method carries a body
 * (POST, PUT, PATCH). Its parameters are exactly {@code created}, {@code expires},
 * {@code nonce} (at least 128 random bits, base64url), {@code keyid} (64 lowercase hex
 * characters: the fingerprint of the signing key), {@code alg="ed25519"} and
 * {@code tag="testigo-reviewer-v1"}. The lifetime {@code expires - created} is at most
 * five minutes; {@link #CLOCK_SKEW} is tolerated on both ends.
 *
 * <p>Both fields must be in canonical form: exactly the serialization of what they parse to
 * (no parameter or member twice, no second header line, single spaces), or they are refused.
 *
 * <p>What {@link #verify} does NOT do: it does not check that the nonce is fresh (the
 * server's replay store must), and it does not check that the body matches the
 * {@code Content-Digest} (the server must hash the body it reads and compare with
 * {@link Verified#contentSha256()} before it acts on the body).
 */
public final class ReviewerRequestSignature {
  public static final String TAG = "testigo-reviewer-v1";
  public static final String ALG = "ed25519";
  public static final String LABEL = "testigo";
  public static final String SIGNATURE_INPUT = "Signature-Input";
  public static final String SIGNATURE = "Signature";
  public static final String CONTENT_DIGEST = "Content-Digest";
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(2);
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  public static final int NONCE_BYTES = 32;
  private static final Set<String> PARAMS = Set.of("created", "expires", "nonce", "keyid", "alg", "tag");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22,128}");
  private static final Pattern KEYID = Pattern.compile("[0-9a-f]{64}");

  private ReviewerRequestSignature() {}

  /** The parts of a request that the signature covers, as received or about to be sent. */
  public record Request(String method, String authority, String path, String query,
      String contentDigest, String signatureInput, String signature) {}

  /** The header fields a signed request carries ({@code contentDigest} null without a body). */
  public record Headers(String signatureInput, String signature, String contentDigest) {}

  /** A signature that verified: who signed, the nonce to record, its lifetime, the body digest. */
  public record Verified(SigningPublicKey key, Fingerprint keyFingerprint, String nonce,
      Instant created, Instant expires, byte[] contentSha256) {}

  /** Finds a signing key that is valid at the given time (from the current key manifest). */
  @FunctionalInterface
  public interface KeyResolver {
    Optional<SigningPublicKey> find(Fingerprint signingKeyFingerprint, Instant at);
  }

  /** True for the methods that must carry (and cover) a Content-Digest. */
  public static boolean hasBody(String method) {
    String m = method.toUpperCase(Locale.ROOT);
    return m.equals("POST") || m.equals("PUT") || m.equals("PATCH");
  }

  /** The covered components, in order, for a request of this shape. */
  public static List<String> coveredComponents(boolean hasQuery, boolean hasBody) {
    List<String> c = new ArrayList<>(List.of("@method", "@authority", "@path"));
    if (hasQuery) {
      c.add("@query");
    }
    if (hasBody) {
      c.add(ContentDigest.FIELD);
    }
    return List.copyOf(c);
  }

  /**
   * Signs a request. {@code query} is null or the raw query without {@code '?'};
   * {@code bodySha256} is the SHA-256 of the body for POST/PUT/PATCH, else null.
   */
  public static Headers sign(SigningPrivateKey key, String method, String authority, String path,
      String query, byte[] bodySha256, Instant now, Duration lifetime, SecureRandom random) {
    boolean body = hasBody(method);
    if (body != (bodySha256 != null)) {
      throw new IllegalArgumentException("a body digest is required exactly for POST/PUT/PATCH");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("lifetime must be within (0, 5 minutes]");
    }
    byte[] n = new byte[NONCE_BYTES];
    random.nextBytes(n);
    long created = now.getEpochSecond();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("created", created);
    params.put("expires", created + lifetime.toSeconds());
    params.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(n));
    params.put("keyid", key.publicKey().fingerprint().hex());
    params.put("alg", ALG);
    params.put("tag", TAG);
    String digest = body ? ContentDigest.fieldValue(bodySha256) : null;
    List<String> covered = coveredComponents(query != null, body);
    String serialized = StructuredFields.serializeInnerList(covered, params);
    byte[] base = SignatureBase.build(components(covered, method, authority, path, query, digest),
        serialized);
    byte[] sig = key.signHttpSignatureBase(base);
    return new Headers(LABEL + "=" + serialized, LABEL + "=" + StructuredFields.serializeBareItem(sig),
        digest);
  }

  /**
   * Verifies a received request against the profile. Every failure, whatever its cause, is
   * the same generic {@link CryptoException}.
   */
  public static Verified verify(Request r, KeyResolver keys, Instant now) throws CryptoException {
    try {
      return verifyOrNull(r, keys, now).orElseThrow(CryptoException::new);
    } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
      throw new CryptoException();
    }
  }

  private static Optional<Verified> verifyOrNull(Request r, KeyResolver keys, Instant now) {
    if (r.signatureInput() == null || r.signature() == null || r.method() == null
        || r.authority() == null || r.authority().isEmpty() || r.path() == null) {
      return Optional.empty();
    }
    var inputs = StructuredFields.parseDictionary(r.signatureInput().strip());
    var sigs = StructuredFields.parseDictionary(r.signature().strip());
    if (inputs.size() != 1 || sigs.size() != 1 || !inputs.keySet().equals(sigs.keySet())) {
      return Optional.empty();
    }
    String label = inputs.keySet().iterator().next();
    StructuredFields.Member input = inputs.get(label);
    StructuredFields.Member sigMember = sigs.get(label);
    if (!(sigMember.value() instanceof byte[] sig) || !sigMember.params().isEmpty()) {
      return Optional.empty();
    }
    boolean body = hasBody(r.method());
    List<String> expected = coveredComponents(r.query() != null, body);
    List<String> covered = new ArrayList<>();
    for (StructuredFields.Member item : input.innerList()) {
      if (!(item.value() instanceof String name) || !item.params().isEmpty()) {
        return Optional.empty();
      }
      covered.add(name);
    }
    Map<String, Object> p = input.params();
    if (!covered.equals(expected) || !p.keySet().equals(PARAMS)) {
      return Optional.empty();
    }
    // Canonical form only: each field must be exactly what the serializer makes of what was
    // parsed. This refuses a parameter or a member given twice (the parser keeps the last),
    // two header lines joined into one value, and any other spelling of the same signature.
    String serializedInput = StructuredFields.serializeInnerList(covered, p);
    if (!r.signatureInput().strip().equals(label + "=" + serializedInput)
        || !r.signature().strip().equals(label + "=" + StructuredFields.serializeBareItem(sig))) {
      return Optional.empty();
    }
    long created = (Long) p.get("created");
    long expires = (Long) p.get("expires");
    String nonce = (String) p.get("nonce");
    String keyid = (String) p.get("keyid");
    if (!ALG.equals(p.get("alg")) || !TAG.equals(p.get("tag")) || !NONCE.matcher(nonce).matches()
        || !KEYID.matcher(keyid).matches()) {
      return Optional.empty();
    }
    long t = now.getEpochSecond();
    long skew = CLOCK_SKEW.toSeconds();
    if (expires <= created || expires - created > MAX_LIFETIME.toSeconds()
        || created > t + skew || t > expires + skew) {
      return Optional.empty();
    }
    byte[] digest = null;
    String digestField = null;
    if (body) {
      if (r.contentDigest() == null) {
        return Optional.empty();
      }
      digestField = r.contentDigest().strip();
      digest = ContentDigest.parseSha256(digestField);
    }
    Fingerprint fp = Fingerprint.fromHex(keyid);
    Optional<SigningPublicKey> key = keys.find(fp, now);
    if (key.isEmpty() || !key.get().fingerprint().equals(fp)) {
      return Optional.empty();
    }
    byte[] base = SignatureBase.build(components(covered, r.method(), r.authority(), r.path(),
        r.query(), digestField), serializedInput);
    if (!key.get().verifyHttpSignatureBase(base, sig)) {
      return Optional.empty();
    }
    return Optional.of(new Verified(key.get(), fp, nonce, Instant.ofEpochSecond(created),
        Instant.ofEpochSecond(expires), digest));
  }

  private static List<SignatureBase.Component> components(List<String> covered, String method,
      String authority, String path, String query, String digest) {
    List<SignatureBase.Component> out = new ArrayList<>();
    for (String name : covered) {
      String value = switch (name) {
        case "@method" -> method.toUpperCase(Locale.ROOT);
        case "@authority" -> authority.toLowerCase(Locale.ROOT);
        case "@path" -> path.isEmpty() ? "/" : path;
        case "@query" -> "?" + query;
        case ContentDigest.FIELD -> digest;
        default -> throw new IllegalArgumentException("component outside the profile");
      };
      out.add(new SignatureBase.Component(SignatureBase.identifier(name), value));
    }
    return out;
  }
}

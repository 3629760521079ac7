package org.testigo.crypto.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

class ReviewerRequestSignatureTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final SigningPrivateKey KEY = SigningPrivateKey.generate(RANDOM);
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final ReviewerRequestSignature.KeyResolver KEYS =
      (fp, at) -> fp.equals(KEY.publicKey().fingerprint()) ? Optional.of(KEY.publicKey()) : Optional.empty();
  static final byte[] BODY = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);

  static ReviewerRequestSignature.Request signedPost() throws Exception {
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(BODY);
    var h = ReviewerRequestSignature.sign(KEY, "POST", "Example.onion:8082", "/api/v1/reviewer/x", "a=1",
        sha, NOW, Duration.ofMinutes(2), RANDOM);
    return new ReviewerRequestSignature.Request("POST", "example.onion:8082", "/api/v1/reviewer/x", "a=1",
        h.contentDigest(), h.signatureInput(), h.signature());
  }

  static ReviewerRequestSignature.Request with(ReviewerRequestSignature.Request r,
      UnaryOperator<String> input, String path, String query) {
    return new ReviewerRequestSignature.Request(r.method(), r.authority(), path, query, r.contentDigest(),
        input.apply(r.signatureInput()), r.signature());
  }

  @Test
  void verify_acceptsASignedPostAndReturnsKeyNonceAndDigest() throws Exception {
    var r = signedPost();
    var v = ReviewerRequestSignature.verify(r, KEYS, NOW.plusSeconds(30));
    assertThat(v.key()).isEqualTo(KEY.publicKey());
    assertThat(v.nonce()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(v.contentSha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(BODY));
    assertThat(v.expires()).isEqualTo(NOW.plusSeconds(120));
    assertThat(r.signatureInput()).startsWith("testigo=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\");created=")
        .contains(";alg=\"ed25519\";tag=\"testigo-reviewer-v1\"");
  }

  @Test
  void verify_acceptsASignedGetWithoutQueryOrBody() throws Exception {
    var h = ReviewerRequestSignature.sign(KEY, "GET", "h", "/p", null, null, NOW, Duration.ofMinutes(5), RANDOM);
    assertThat(h.contentDigest()).isNull();
    var r = new ReviewerRequestSignature.Request("GET", "h", "/p", null, null, h.signatureInput(), h.signature());
    assertThat(ReviewerRequestSignature.verify(r, KEYS, NOW).contentSha256()).isNull();
  }

  @Test
  void verify_failsWhenAnyCoveredPartChanges() throws Exception {
    var r = signedPost();
    var cases = new ReviewerRequestSignature.Request[] {
        new ReviewerRequestSignature.Request("PUT", r.authority(), r.path(), r.query(), r.contentDigest(), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), "other.onion", r.path(), r.query(), r.contentDigest(), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), "/api/v1/reviewer/y", r.query(), r.contentDigest(), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), "a=2", r.contentDigest(), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), null, r.contentDigest(), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), ContentDigest.of(new byte[1]), r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), null, r.signatureInput(), r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), r.contentDigest(), null, r.signature()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), r.contentDigest(), r.signatureInput(), null),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), r.contentDigest(), r.signatureInput(),
            r.signature().replace("testigo=:", "testigo=:A")),
        with(r, s -> s.replace("testigo-reviewer-v1", "testigo-reviewer-v2"), r.path(), r.query()),
        with(r, s -> s.replace("ed25519", "ed448"), r.path(), r.query()),
        with(r, s -> s.replace("testigo=", "other="), r.path(), r.query()),
        with(r, s -> s.replace(" \"content-digest\"", ""), r.path(), r.query()),
        with(r, s -> s.replace(";tag=\"testigo-reviewer-v1\"", ""), r.path(), r.query()),
        with(r, s -> s + ", second=(\"@method\")", r.path(), r.query()),
        with(r, s -> s.replaceAll(";nonce=\"[^\"]+\"", ";nonce=\"short\""), r.path(), r.query()),
    };
    for (var c : cases) {
      assertThatThrownBy(() -> ReviewerRequestSignature.verify(c, KEYS, NOW)).isInstanceOf(CryptoException.class);
    }
  }

  @Test
  void verify_refusesEveryNonCanonicalSpellingOfAValidSignature() throws Exception {
    var r = signedPost();
    ReviewerRequestSignature.verify(r, KEYS, NOW);
    String input = r.signatureInput();
    String sig = r.signature();
    String nonce = input.replaceAll(".*(;nonce=\"[^\"]+\").*", "$1");
    var cases = new ReviewerRequestSignature.Request[] {
        // the same header line twice, as a server joins repeated lines
        with(r, s -> s + ", " + s, r.path(), r.query()),
        with(r, s -> s + "," + s, r.path(), r.query()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), r.contentDigest(),
            input, sig + ", " + sig),
        // a parameter twice (the parser keeps the last one)
        with(r, s -> s + nonce, r.path(), r.query()),
        with(r, s -> s + ";alg=\"ed25519\"", r.path(), r.query()),
        with(r, s -> s.replace(";tag=", ";tag=\"x\";tag="), r.path(), r.query()),
        // other spellings of the same value
        with(r, s -> s.replace("\" \"", "\"  \""), r.path(), r.query()),
        with(r, s -> s.replace("(\"", "( \""), r.path(), r.query()),
        with(r, s -> s.replace(";created=", ";created=0"), r.path(), r.query()),
        new ReviewerRequestSignature.Request(r.method(), r.authority(), r.path(), r.query(), r.contentDigest(),
            input, sig + ";x=1"),
    };
    for (var c : cases) {
      assertThatThrownBy(() -> ReviewerRequestSignature.verify(c, KEYS, NOW))
          .as(c.signatureInput() + " / " + c.signature()).isInstanceOf(CryptoException.class);
    }
    // Surrounding whitespace is not part of a field value (RFC 9110 section 5.5).
    ReviewerRequestSignature.verify(with(r, s -> " " + s + " ", r.path(), r.query()), KEYS, NOW);
  }

  @Test
  void verify_failsOutsideTheTimeWindowOrWithAnUnknownKey() throws Exception {
    var r = signedPost();
    Duration skew = ReviewerRequestSignature.CLOCK_SKEW;
    assertThat(ReviewerRequestSignature.verify(r, KEYS, NOW.minus(skew))).isNotNull();
    assertThatThrownBy(() -> ReviewerRequestSignature.verify(r, KEYS, NOW.minus(skew).minusSeconds(1)))
        .isInstanceOf(CryptoException.class);
    assertThat(ReviewerRequestSignature.verify(r, KEYS, NOW.plusSeconds(120).plus(skew))).isNotNull();
    assertThatThrownBy(() -> ReviewerRequestSignature.verify(r, KEYS, NOW.plusSeconds(121).plus(skew)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ReviewerRequestSignature.verify(r, (fp, at) -> Optional.empty(), NOW))
        .isInstanceOf(CryptoException.class);
    SigningPublicKey other = SigningPrivateKey.generate(RANDOM).publicKey();
    assertThatThrownBy(() -> ReviewerRequestSignature.verify(r, (fp, at) -> Optional.of(other), NOW))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void sign_refusesALifetimeOverFiveMinutesAndVerifyRefusesOneThatClaimsIt() throws Exception {
    assertThatThrownBy(() -> ReviewerRequestSignature.sign(KEY, "GET", "h", "/", null, null, NOW,
        Duration.ofMinutes(6), RANDOM)).isInstanceOf(IllegalArgumentException.class);
    var h = ReviewerRequestSignature.sign(KEY, "GET", "h", "/", null, null, NOW, Duration.ofMinutes(5), RANDOM);
    String longer = h.signatureInput().replace("expires=" + (NOW.getEpochSecond() + 300),
        "expires=" + (NOW.getEpochSecond() + 301));
    var r = new ReviewerRequestSignature.Request("GET", "h", "/", null, null, longer, h.signature());
    assertThatThrownBy(() -> ReviewerRequestSignature.verify(r, KEYS, NOW)).isInstanceOf(CryptoException.class);
  }

  @Test
  void contentDigest_isTheRfc9530Sha256FieldAndRejectsOtherShapes() {
    assertThat(ContentDigest.of("{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    for (String bad : new String[] {"sha-512=:AAAA:", "sha-256=:AAAA:", "sha-256=AAAA",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AA==:"}) {
      assertThatThrownBy(() -> ContentDigest.parseSha256(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}

package org.testigo.crypto.httpsig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.fuzz.Refusals;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Fuzz targets for the RFC 8941 structured fields parser and the RFC 9421 profile built on it
 * (Signature-Input, Signature, Content-Digest), all read from unauthenticated request headers.
 */
class StructuredFieldsFuzzTest {
  /** The instant the seed requests were signed at (see FuzzSeedWriter). */
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final SigningPublicKey KEY = TestKeys.signing("fuzz").publicKey();

  /**
   * {@code parseDictionary} either refuses with a plain {@link IllegalArgumentException} or
   * returns a dictionary that serializes to text which parses back to an equal dictionary,
   * and that serialization is a fixed point.
   */
  @FuzzTest(maxDuration = "10m")
  void parseDictionary_refusesOrRoundTrips(byte[] data) {
    String field = new String(data, StandardCharsets.ISO_8859_1);
    Map<String, StructuredFields.Member> parsed;
    try {
      parsed = StructuredFields.parseDictionary(field);
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    String serialized = serialize(parsed);
    Map<String, StructuredFields.Member> again = StructuredFields.parseDictionary(serialized);
    assertThat(comparable(again)).isEqualTo(comparable(parsed));
    assertThat(serialize(again)).isEqualTo(serialized);
  }

  /**
   * {@code ContentDigest.parseSha256} either refuses with a plain
   * {@link IllegalArgumentException} or returns 32 bytes whose canonical field parses back.
   */
  @FuzzTest(maxDuration = "10m")
  void contentDigest_refusesOrReturns32Bytes(byte[] data) {
    String field = new String(data, StandardCharsets.ISO_8859_1);
    byte[] digest;
    try {
      digest = ContentDigest.parseSha256(field);
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(digest).hasSize(32);
    assertThat(ContentDigest.parseSha256(ContentDigest.fieldValue(digest))).isEqualTo(digest);
  }

  /**
   * {@code ReviewerRequestSignature.verify} over a request whose lines are method, authority,
   * path, query ("-" for none), Content-Digest ("-" for none), Signature-Input and Signature:
   * it either refuses with {@link CryptoException} or names the only key it can resolve, with
   * a lifetime inside the profile's limits.
   */
  @FuzzTest(maxDuration = "10m")
  void verify_refusesOrVerifiesWithinTheProfile(byte[] data) {
    String[] l = new String(data, StandardCharsets.ISO_8859_1).split("\n", -1);
    if (l.length != 7) {
      return;
    }
    ReviewerRequestSignature.Request r = new ReviewerRequestSignature.Request(l[0], l[1], l[2],
        none(l[3]), none(l[4]), l[5], l[6]);
    ReviewerRequestSignature.Verified v;
    try {
      v = ReviewerRequestSignature.verify(r,
          (fp, at) -> fp.equals(KEY.fingerprint()) ? Optional.of(KEY) : Optional.empty(), NOW);
    } catch (CryptoException e) {
      return;
    }
    assertThat(v.key()).isEqualTo(KEY);
    assertThat(v.keyFingerprint()).isEqualTo(KEY.fingerprint());
    assertThat(v.expires()).isAfter(v.created());
    assertThat(v.created().plus(ReviewerRequestSignature.MAX_LIFETIME))
        .isAfterOrEqualTo(v.expires());
    assertThat(v.created()).isBeforeOrEqualTo(NOW.plus(ReviewerRequestSignature.CLOCK_SKEW));
    assertThat(v.expires().plus(ReviewerRequestSignature.CLOCK_SKEW)).isAfterOrEqualTo(NOW);
    assertThat(v.contentSha256() != null).isEqualTo(ReviewerRequestSignature.hasBody(l[0]));
  }

  private static String none(String s) {
    return s.equals("-") ? null : s;
  }

  /** RFC 8941 §4.1.2 serialization of a parsed dictionary, using the production item writers. */
  static String serialize(Map<String, StructuredFields.Member> dict) {
    List<String> members = new ArrayList<>();
    for (Map.Entry<String, StructuredFields.Member> e : dict.entrySet()) {
      StructuredFields.Member m = e.getValue();
      String params = params(m.params());
      if (m.value() instanceof List<?>) {
        List<Object> items = new ArrayList<>();
        StringBuilder inner = new StringBuilder("(");
        for (StructuredFields.Member item : m.innerList()) {
          if (inner.length() > 1) {
            inner.append(' ');
          }
          inner.append(StructuredFields.serializeBareItem(item.value())).append(params(item.params()));
          items.add(item.value());
        }
        members.add(e.getKey() + "=" + inner.append(')') + params);
      } else if (Boolean.TRUE.equals(m.value())) {
        members.add(e.getKey() + params);
      } else {
        members.add(e.getKey() + "=" + StructuredFields.serializeBareItem(m.value()) + params);
      }
    }
    return String.join(", ", members);
  }

  private static String params(Map<String, Object> params) {
    return StructuredFields.serializeInnerList(List.of(), params).substring(2);
  }

  /** The dictionary with byte sequences as base64 text, so that equals compares content. */
  static Object comparable(Object o) {
    if (o instanceof byte[] b) {
      return "bytes:" + Base64.getEncoder().encodeToString(b);
    }
    if (o instanceof StructuredFields.Member m) {
      return List.of(comparable(m.value()), comparable(m.params()));
    }
    if (o instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object x : list) {
        out.add(comparable(x));
      }
      return out;
    }
    if (o instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, comparable(v)));
      return out;
    }
    return o;
  }
}

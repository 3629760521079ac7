package org.testigo.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.testigo.crypto.fuzz.Refusals;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

/**
 * Fuzz targets for public key text that people paste or mail to each other: the reviewer
 * public bundle (text and binary) and the root / log public key text.
 */
class PublicKeyTextFuzzTest {
  /**
   * {@code ReviewerPublicBundle.parse} either refuses with a plain
   * {@link IllegalArgumentException} or returns a bundle whose own text parses back equal.
   */
  @FuzzTest(maxDuration = "10m")
  void bundleText_refusesOrRoundTrips(byte[] data) {
    ReviewerPublicBundle b;
    try {
      b = ReviewerPublicBundle.parse(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(ReviewerPublicBundle.parse(b.toText())).isEqualTo(b);
    assertThat(ReviewerPublicBundle.fromBytes(b.toBytes())).isEqualTo(b);
  }

  /**
   * {@code ReviewerPublicBundle.fromBytes} either refuses with a plain
   * {@link IllegalArgumentException} or is canonical: {@code toBytes()} equals the input.
   */
  @FuzzTest(maxDuration = "10m")
  void bundleBytes_refusesOrIsCanonical(byte[] data) {
    ReviewerPublicBundle b;
    try {
      b = ReviewerPublicBundle.fromBytes(data);
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(b.toBytes()).isEqualTo(data);
  }

  /**
   * {@code SigningPublicKeyText.parse} (root and log key text) either refuses with a plain
   * {@link IllegalArgumentException} or returns a key whose text of the same kind parses back
   * equal. The first input byte chooses the kind.
   */
  @FuzzTest(maxDuration = "10m")
  void signingKeyText_refusesOrRoundTrips(byte[] data) {
    if (data.length == 0) {
      return;
    }
    SigningPublicKeyText.Kind[] kinds = SigningPublicKeyText.Kind.values();
    SigningPublicKeyText.Kind kind = kinds[(data[0] & 0xff) % kinds.length];
    String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    SigningPublicKey k;
    try {
      k = SigningPublicKeyText.parse(kind, text);
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(SigningPublicKeyText.parse(kind, SigningPublicKeyText.toText(kind, k))).isEqualTo(k);
  }
}

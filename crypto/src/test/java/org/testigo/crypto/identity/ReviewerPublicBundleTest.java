package org.testigo.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.TestKeys;

class ReviewerPublicBundleTest {
  private static final ReviewerPublicBundle BUNDLE = TestKeys.identity("maria").publicBundle();

  @Test
  void text_roundTrips() {
    assertThat(ReviewerPublicBundle.parse(BUNDLE.toText())).isEqualTo(BUNDLE);
  }

  @Test
  void bytes_roundTrip() {
    assertThat(ReviewerPublicBundle.fromBytes(BUNDLE.toBytes())).isEqualTo(BUNDLE);
  }

  @Test
  void fingerprint_coversBothKeysUnderReviewerDomain() {
    assertThat(BUNDLE.fingerprint()).isEqualTo(Fingerprint.of("testigo-reviewer-v1",
        BUNDLE.encryptionKey().toBytes(), BUNDLE.signingKey().toBytes()));
    assertThat(BUNDLE.toText()).contains("fingerprint: " + BUNDLE.fingerprint().shortForm());
  }

  @Test
  void parse_toleratesCrlfQuotingIndentationAndSurroundingText() {
    String mangled = "Hola, aquí va mi llave:\r\n\r\n" + BUNDLE.toText().lines()
        .map(l -> ">>  " + l + "  ").collect(Collectors.joining("\r\n")) + "\r\n\r\n-- \r\nMaría";
    assertThat(ReviewerPublicBundle.parse(mangled)).isEqualTo(BUNDLE);
    String quoted = BUNDLE.toText().lines().map(l -> "> " + l)
        .collect(Collectors.joining("\n"));
    assertThat(ReviewerPublicBundle.parse(quoted)).isEqualTo(BUNDLE);
    String blankLines = BUNDLE.toText().replace("\n", "\n\n");
    assertThat(ReviewerPublicBundle.parse(blankLines)).isEqualTo(BUNDLE);
  }

  @Test
  void parse_reportsChecksumMismatchForEveryCorruptedBase64Character() {
    String text = BUNDLE.toText();
    String[] lines = text.split("\n");
    int checked = 0;
    for (int li = 3; li < lines.length - 2; li++) {
      for (int ci = 0; ci < lines[li].length(); ci++) {
        char c = lines[li].charAt(ci);
        if (c == '=') {
          continue;
        }
        char replacement = c == 'A' ? 'B' : 'A';
        String[] copy = lines.clone();
        copy[li] = lines[li].substring(0, ci) + replacement + lines[li].substring(ci + 1);
        String corrupted = String.join("\n", copy);
        assertThatThrownBy(() -> ReviewerPublicBundle.parse(corrupted))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("altered or mistyped");
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1600);
  }

  @Test
  void parse_rejectsWrongAliasOrFingerprintLine() {
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(
        BUNDLE.toText().replace("alias: maria", "alias: mario")))
        .hasMessageContaining("alias line does not match");
    String fp = BUNDLE.fingerprint().shortForm();
    String other = (fp.charAt(0) == '9' ? '8' : '9') + fp.substring(1);
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(BUNDLE.toText().replace(fp, other)))
        .hasMessageContaining("fingerprint line does not match");
  }

  @Test
  void parse_rejectsStructuralDefectsWithClearMessages() {
    String text = BUNDLE.toText();
    assertThatThrownBy(() -> ReviewerPublicBundle.parse("garbage"))
        .hasMessageContaining("BEGIN");
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(
        text.substring(0, text.indexOf(ReviewerPublicBundle.END))))
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(text + text))
        .hasMessageContaining("more than one");
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(text.replaceFirst("checksum: ", "sum: ")))
        .hasMessageContaining("checksum:");
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(text.replace("alias: maria\n", "")))
        .isInstanceOf(IllegalArgumentException.class);
    String[] lines = text.split("\n");
    String dropped = text.replace(lines[5] + "\n", "");
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(dropped))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReviewerPublicBundle.parse(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromBytes_rejectsUnknownVersionWrongLengthAndInvalidAlias() {
    byte[] b = BUNDLE.toBytes();
    byte[] v2 = b.clone();
    v2[0] = 2;
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(v2)).hasMessageContaining("version");
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(java.util.Arrays.copyOf(b, b.length - 1)))
        .hasMessageContaining("length");
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(java.util.Arrays.copyOf(b, b.length + 1)))
        .hasMessageContaining("length");
    byte[] upper = b.clone();
    upper[2] = 'M';
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(upper)).hasMessageContaining("alias");
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goldenBundle_stillParsesToTheGoldenKeystoreIdentity() throws IOException {
    String text = resource("/golden/reviewer-bundle-v1.txt");
    ReviewerPublicBundle b = ReviewerPublicBundle.parse(text);
    assertThat(b.alias()).isEqualTo("maria");
    assertThat(b.fingerprint().hex()).isEqualTo(resource("/golden/keystore-v1.fingerprint.txt").strip());
    assertThat(b).isEqualTo(BUNDLE);
    assertThat(b.toText()).isEqualTo(text);
  }

  @Test
  void generatedIdentity_bundleMatchesItsPrivateKeys() {
    ReviewerIdentity id = ReviewerIdentity.generate("luis", new SecureRandom());
    assertThat(id.publicBundle().encryptionKey()).isEqualTo(id.encryptionKey().publicKey());
    assertThat(id.publicBundle().signingKey()).isEqualTo(id.signingKey().publicKey());
    assertThat(id.fingerprint()).isEqualTo(id.publicBundle().fingerprint());
  }

  @Test
  void identity_rejectsInvalidAliases() {
    for (String alias : new String[] {"", "Maria", "-x", "a b", "x".repeat(33), "maría"}) {
      assertThatThrownBy(() -> ReviewerIdentity.generate(alias, new SecureRandom()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  static String resource(String name) throws IOException {
    try (InputStream in = ReviewerPublicBundleTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package org.testigo.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.sign.SigningPublicKeyText.Kind;

class SigningPublicKeyTextTest {
  private static final SigningPublicKey KEY = TestKeys.signing("log").publicKey();

  @Test
  void roundTripsBothKindsWithTheirFingerprints() {
    String log = SigningPublicKeyText.toText(Kind.LOG, KEY);
    assertThat(log).startsWith("-----BEGIN TESTIGO LOG PUBLIC KEY-----\n")
        .contains("fingerprint: " + KEY.fingerprint().hex());
    assertThat(SigningPublicKeyText.parse(Kind.LOG, "hola\r\n" + log.replace("\n", "\r\n")))
        .isEqualTo(KEY);
    String root = SigningPublicKeyText.toText(Kind.ROOT, KEY);
    assertThat(root).contains(KeyManifest.rootFingerprint(KEY).hex());
    assertThat(SigningPublicKeyText.parse(Kind.ROOT, root)).isEqualTo(KEY);
  }

  @Test
  void refusesTheOtherKindAlteredKeysAndWrongFingerprints() {
    String log = SigningPublicKeyText.toText(Kind.LOG, KEY);
    assertThatThrownBy(() -> SigningPublicKeyText.parse(Kind.ROOT, log))
        .hasMessageContaining("not a root public key");
    String[] lines = log.split("\n");
    String b64 = lines[2];
    char c = b64.charAt(8);
    lines[2] = b64.substring(0, 8) + (c == 'A' ? 'B' : 'A') + b64.substring(9);
    assertThatThrownBy(() -> SigningPublicKeyText.parse(Kind.LOG, String.join("\n", lines)))
        .hasMessageContaining("checksum");
    String otherFp = log.replace(KEY.fingerprint().hex(),
        TestKeys.signing("x").publicKey().fingerprint().hex());
    assertThatThrownBy(() -> SigningPublicKeyText.parse(Kind.LOG, otherFp))
        .hasMessageContaining("fingerprint");
    assertThatThrownBy(() -> SigningPublicKeyText.parse(Kind.LOG, log.substring(0, 60)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

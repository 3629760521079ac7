package org.testigo.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.kat.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyPairGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;
import org.bouncycastle.util.test.FixedSecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.internal.XWingHpke;

/** The draft-connolly-cfrg-xwing-kem KEM vectors through Bouncy Castle and XWingHpke. */
class XWingKemKnownAnswerTest {
  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    int i = 0;
    for (JsonNode v : Vectors.load("xwing/xwing-kem.json")) {
      out.add(Arguments.of(i++, v));
    }
    assertThat(out).hasSize(3);
    return out.stream();
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void keyPairGenerator_withSeed_givesSkAndPk(int i, JsonNode v) {
    XWingKeyPairGenerator gen = new XWingKeyPairGenerator();
    gen.init(new XWingKeyGenerationParameters(new FixedSecureRandom(hex(v, "seed"))));
    AsymmetricCipherKeyPair kp = gen.generateKeyPair();
    assertThat(hex(((XWingPrivateKeyParameters) kp.getPrivate()).getEncoded()))
        .isEqualTo(v.get("sk").asText());
    assertThat(hex(((XWingPublicKeyParameters) kp.getPublic()).getEncoded()))
        .isEqualTo(v.get("pk").asText());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void publicKeyFromSeed_givesPk(int i, JsonNode v) {
    assertThat(hex(XWingHpke.publicKeyFromSeed(hex(v, "sk")))).isEqualTo(v.get("pk").asText());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void encapsulate_withEseed_givesCtAndSs(int i, JsonNode v) {
    SecretWithEncapsulation s = new XWingKEMGenerator(new FixedSecureRandom(hex(v, "eseed")))
        .generateEncapsulated(new XWingPublicKeyParameters(hex(v, "pk")));
    assertThat(hex(s.getEncapsulation())).isEqualTo(v.get("ct").asText());
    assertThat(hex(s.getSecret())).isEqualTo(v.get("ss").asText());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void decapsulate_givesSs(int i, JsonNode v) {
    byte[] ss = new XWingKEMExtractor(new XWingPrivateKeyParameters(hex(v, "sk")))
        .extractSecret(hex(v, "ct"));
    assertThat(hex(ss)).isEqualTo(v.get("ss").asText());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void decapsulate_withFlippedCiphertextBit_givesDifferentSecret(int i, JsonNode v) {
    byte[] ct = hex(v, "ct");
    ct[10] ^= 0x01;
    byte[] ss = new XWingKEMExtractor(new XWingPrivateKeyParameters(hex(v, "sk")))
        .extractSecret(ct);
    assertThat(hex(ss)).isNotEqualTo(v.get("ss").asText());
  }
}

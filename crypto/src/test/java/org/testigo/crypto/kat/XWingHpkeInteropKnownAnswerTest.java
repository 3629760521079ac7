package org.testigo.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.crypto.kat.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.internal.XWingHpke;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * The 20 receiver-side X-Wing HPKE vectors produced by hpke-js (an independent
 * implementation): keys are loaded from their 32-byte seed, never derived with
 * {@code HPKE.deriveKeyPair} (which differs between implementations).
 */
class XWingHpkeInteropKnownAnswerTest {
  private static final JsonNode FILE =
      Vectors.load("hpke/xwing-hkdfsha256-chacha20poly1305.json");

  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : FILE.get("vectors")) {
      out.add(Arguments.of(v.get("id").asInt(), v));
    }
    return out.stream();
  }

  private static HPKE hpke() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X_WING, HPKE.kdf_HKDF_SHA256,
        HPKE.aead_CHACHA20_POLY1305);
  }

  @Test
  void file_hasTwentyVectorsForTestigoSuite() {
    assertThat(FILE.get("vectors")).hasSize(20);
    for (JsonNode v : FILE.get("vectors")) {
      assertThat(v.get("kem_id").asInt()).isEqualTo(XWingHpke.KEM_ID);
      assertThat(v.get("kdf_id").asInt()).isEqualTo(XWingHpke.KDF_ID);
      assertThat(v.get("aead_id").asInt()).isEqualTo(XWingHpke.AEAD_ID);
      assertThat(v.get("mode").asInt()).isZero();
    }
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void setupBaseR_opensCt0Ct1Ct2InOrderAndExports(int id, JsonNode v) throws Exception {
    HPKE hpke = hpke();
    AsymmetricCipherKeyPair kp = hpke.deserializePrivateKey(hex(v, "skRm"), hex(v, "pkRm"));
    HPKEContext receiver = hpke.setupBaseR(hex(v, "enc"), kp, hex(v, "info"));
    for (String ct : List.of("ct0", "ct1", "ct2")) {
      assertThat(hex(receiver.open(hex(v, "aad"), hex(v, ct)))).as(ct)
          .isEqualTo(v.get("pt").asText());
    }
    assertThat(hex(receiver.export(hex(v, "exporter_context"), v.get("L").asInt())))
        .isEqualTo(v.get("exported_value").asText());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void open_rejectsCiphertextWithOneBitFlipped(int id, JsonNode v) {
    HPKE hpke = hpke();
    AsymmetricCipherKeyPair kp = hpke.deserializePrivateKey(hex(v, "skRm"), hex(v, "pkRm"));
    HPKEContext receiver = hpke.setupBaseR(hex(v, "enc"), kp, hex(v, "info"));
    byte[] ct = hex(v, "ct0");
    ct[ct.length / 2] ^= 0x04;
    assertThatThrownBy(() -> receiver.open(hex(v, "aad"), ct))
        .isInstanceOf(InvalidCipherTextException.class);
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void xwingHpkeOpen_opensCt0AndRejectsFlippedBit(int id, JsonNode v) throws Exception {
    byte[] seed = hex(v, "skRm");
    assertThat(hex(XWingHpke.open(seed, hex(v, "enc"), hex(v, "info"), hex(v, "aad"),
        hex(v, "ct0")))).isEqualTo(v.get("pt").asText());
    byte[] bad = hex(v, "ct0");
    bad[0] ^= 0x80;
    assertThatThrownBy(() -> XWingHpke.open(seed, hex(v, "enc"), hex(v, "info"),
        hex(v, "aad"), bad)).isInstanceOf(CryptoException.class);
    byte[] badEnc = hex(v, "enc");
    badEnc[5] ^= 0x01;
    assertThatThrownBy(() -> XWingHpke.open(seed, badEnc, hex(v, "info"), hex(v, "aad"),
        hex(v, "ct0"))).isInstanceOf(CryptoException.class);
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void recipientPrivateKeyFromSeed_givesPkRm(int id, JsonNode v) {
    RecipientPrivateKey key = RecipientPrivateKey.fromSeed(hex(v, "skRm"));
    assertThat(hex(key.publicKey().toBytes())).isEqualTo(v.get("pkRm").asText());
  }
}

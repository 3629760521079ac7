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
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9180 Appendix A vectors for DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM and
 * ChaCha20Poly1305, mode_base, checked through Bouncy Castle's HPKE layer: key derivation,
 * sender setup from ikmE, all 257 sequential encryptions (sealed and opened) and exports.
 */
class HpkeRfc9180KnownAnswerTest {
  private static final JsonNode FILE = Vectors.load("hpke/subset-x25519-sha256-aead1-aead3.json");

  static Stream<Arguments> baseModeVectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : FILE) {
      if (v.get("mode").asInt() == 0) {
        out.add(Arguments.of(v.get("aead_id").asInt(), v));
      }
    }
    return out.stream();
  }

  private static HPKE hpke(JsonNode v) {
    return new HPKE((byte) v.get("mode").asInt(), (short) v.get("kem_id").asInt(),
        (short) v.get("kdf_id").asInt(), (short) v.get("aead_id").asInt());
  }

  @Test
  void subset_containsTwoBaseModeVectorsWith257EncryptionsEach() {
    assertThat(baseModeVectors()).hasSize(2);
    baseModeVectors().forEach(a -> {
      JsonNode v = (JsonNode) a.get()[1];
      assertThat(v.get("encryptions")).hasSize(257);
      assertThat(v.get("exports")).hasSize(3);
    });
  }

  @ParameterizedTest(name = "aead {0}")
  @MethodSource("baseModeVectors")
  void deriveKeyPair_matchesVector(int aeadId, JsonNode v) {
    HPKE hpke = hpke(v);
    AsymmetricCipherKeyPair r = hpke.deriveKeyPair(hex(v, "ikmR"));
    AsymmetricCipherKeyPair e = hpke.deriveKeyPair(hex(v, "ikmE"));
    assertThat(hex(hpke.serializePublicKey(r.getPublic()))).isEqualTo(v.get("pkRm").asText());
    assertThat(hex(hpke.serializePublicKey(e.getPublic()))).isEqualTo(v.get("pkEm").asText());
    byte[] skR = hex(v, "skRm");
    X25519.clampPrivateKey(skR);
    assertThat(hpke.serializePrivateKey(r.getPrivate())).isEqualTo(skR);
    byte[] skE = hex(v, "skEm");
    X25519.clampPrivateKey(skE);
    assertThat(hpke.serializePrivateKey(e.getPrivate())).isEqualTo(skE);
  }

  @ParameterizedTest(name = "aead {0}")
  @MethodSource("baseModeVectors")
  void setupBaseS_withIkmE_givesEncAndAllCiphertextsAndExports(int aeadId, JsonNode v)
      throws Exception {
    HPKE hpke = hpke(v);
    var pkR = hpke.deserializePublicKey(hex(v, "pkRm"));
    AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(hex(v, "ikmE"));
    HPKEContextWithEncapsulation sender = hpke.setupBaseS(pkR, hex(v, "info"), ephemeral);
    assertThat(hex(sender.getEncapsulation())).isEqualTo(v.get("enc").asText());

    int seq = 0;
    for (JsonNode enc : v.get("encryptions")) {
      byte[] ct = sender.seal(hex(enc, "aad"), hex(enc, "pt"));
      assertThat(hex(ct)).as("seq %d", seq).isEqualTo(enc.get("ct").asText());
      seq++;
    }
    assertThat(seq).isEqualTo(257);
    for (JsonNode exp : v.get("exports")) {
      assertThat(hex(sender.export(hex(exp, "exporter_context"), exp.get("L").asInt())))
          .isEqualTo(exp.get("exported_value").asText());
    }
  }

  @ParameterizedTest(name = "aead {0}")
  @MethodSource("baseModeVectors")
  void setupBaseR_opensAllCiphertextsInOrderAndExports(int aeadId, JsonNode v)
      throws Exception {
    HPKE hpke = hpke(v);
    AsymmetricCipherKeyPair r = hpke.deserializePrivateKey(hex(v, "skRm"), hex(v, "pkRm"));
    HPKEContext receiver = hpke.setupBaseR(hex(v, "enc"), r, hex(v, "info"));
    for (JsonNode enc : v.get("encryptions")) {
      assertThat(hex(receiver.open(hex(enc, "aad"), hex(enc, "ct"))))
          .isEqualTo(enc.get("pt").asText());
    }
    for (JsonNode exp : v.get("exports")) {
      assertThat(hex(receiver.export(hex(exp, "exporter_context"), exp.get("L").asInt())))
          .isEqualTo(exp.get("exported_value").asText());
    }
  }

  @ParameterizedTest(name = "aead {0}")
  @MethodSource("baseModeVectors")
  void open_failsWhenOneCiphertextBitIsFlipped(int aeadId, JsonNode v) {
    HPKE hpke = hpke(v);
    AsymmetricCipherKeyPair r = hpke.deserializePrivateKey(hex(v, "skRm"), hex(v, "pkRm"));
    HPKEContext receiver = hpke.setupBaseR(hex(v, "enc"), r, hex(v, "info"));
    JsonNode first = v.get("encryptions").get(0);
    byte[] ct = hex(first, "ct");
    ct[ct.length - 1] ^= 0x01;
    assertThatThrownBy(() -> receiver.open(hex(first, "aad"), ct))
        .isInstanceOf(InvalidCipherTextException.class);
  }
}

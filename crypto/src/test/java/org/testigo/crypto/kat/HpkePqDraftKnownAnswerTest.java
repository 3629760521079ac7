package org.testigo.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.kat.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.internal.XWingHpke;

/**
 * The draft-ietf-hpke-pq known-answer vector for exactly Testigo's suite: KEM 0x647A
 * (MLKEM768-X25519 / X-Wing), HKDF-SHA256, ChaCha20Poly1305, mode_base. Checks Bouncy
 * Castle's draft-ietf-hpke-pq DeriveKeyPair, a deterministic sender from ikmE, every
 * encryption and every export, and the receiver side.
 */
class HpkePqDraftKnownAnswerTest {
  private static final JsonNode V = Vectors.load("hpke/draft-ietf-hpke-pq-647a-1-3.json").get(0);

  private static HPKE hpke() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X_WING, HPKE.kdf_HKDF_SHA256,
        HPKE.aead_CHACHA20_POLY1305);
  }

  @Test
  void vector_isForTestigoSuite() {
    assertThat(V.get("mode").asInt()).isZero();
    assertThat(V.get("kem_id").asInt()).isEqualTo(XWingHpke.KEM_ID);
    assertThat(V.get("kdf_id").asInt()).isEqualTo(XWingHpke.KDF_ID);
    assertThat(V.get("aead_id").asInt()).isEqualTo(XWingHpke.AEAD_ID);
    assertThat(V.get("encryptions")).hasSize(10);
    assertThat(V.get("exports")).hasSize(5);
  }

  @Test
  void deriveKeyPair_givesSkRmAndPkRm() {
    HPKE hpke = hpke();
    AsymmetricCipherKeyPair kp = hpke.deriveKeyPair(hex(V, "ikmR"));
    assertThat(hex(hpke.serializePrivateKey(kp.getPrivate()))).isEqualTo(V.get("skRm").asText());
    assertThat(hex(hpke.serializePublicKey(kp.getPublic()))).isEqualTo(V.get("pkRm").asText());
    assertThat(hex(XWingHpke.publicKeyFromSeed(hex(V, "skRm")))).isEqualTo(V.get("pkRm").asText());
  }

  @Test
  void setupBaseS_withIkmE_givesEncAllCiphertextsAndExports() throws Exception {
    HPKE hpke = hpke();
    HPKEContextWithEncapsulation sender =
        hpke.setupBaseS(hpke.deserializePublicKey(hex(V, "pkRm")), hex(V, "info"), hex(V, "ikmE"));
    assertThat(hex(sender.getEncapsulation())).isEqualTo(V.get("enc").asText());
    for (JsonNode enc : V.get("encryptions")) {
      assertThat(hex(sender.seal(hex(enc, "aad"), hex(enc, "pt"))))
          .isEqualTo(enc.get("ct").asText());
    }
    for (JsonNode exp : V.get("exports")) {
      assertThat(hex(sender.export(hex(exp, "exporter_context"), exp.get("L").asInt())))
          .isEqualTo(exp.get("exported_value").asText());
    }
  }

  @Test
  void setupBaseR_opensAllCiphertextsAndExports() throws Exception {
    HPKE hpke = hpke();
    AsymmetricCipherKeyPair kp = hpke.deserializePrivateKey(hex(V, "skRm"), hex(V, "pkRm"));
    HPKEContext receiver = hpke.setupBaseR(hex(V, "enc"), kp, hex(V, "info"));
    for (JsonNode enc : V.get("encryptions")) {
      assertThat(hex(receiver.open(hex(enc, "aad"), hex(enc, "ct"))))
          .isEqualTo(enc.get("pt").asText());
    }
    for (JsonNode exp : V.get("exports")) {
      assertThat(hex(receiver.export(hex(exp, "exporter_context"), exp.get("L").asInt())))
          .isEqualTo(exp.get("exported_value").asText());
    }
  }

  @Test
  void xwingHpke_sealDeterministic_matchesFirstEncryption() throws Exception {
    JsonNode first = V.get("encryptions").get(0);
    XWingHpke.Sealed sealed = XWingHpke.sealDeterministic(hex(V, "pkRm"), hex(V, "info"),
        hex(first, "aad"), hex(first, "pt"), hex(V, "ikmE"));
    assertThat(hex(sealed.enc())).isEqualTo(V.get("enc").asText());
    assertThat(hex(sealed.ciphertext())).isEqualTo(first.get("ct").asText());
    assertThat(hex(XWingHpke.open(hex(V, "skRm"), hex(V, "enc"), hex(V, "info"),
        hex(first, "aad"), hex(first, "ct")))).isEqualTo(first.get("pt").asText());
  }
}

package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

class SignedTreeHeadTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonNode golden() throws Exception {
    return goldenFile("tree-head-v1.json");
  }

  private static JsonNode signedGolden() throws Exception {
    return goldenFile("tree-head-v1-signed.json");
  }

  private static JsonNode goldenFile(String name) throws Exception {
    try (InputStream in = SignedTreeHeadTest.class.getResourceAsStream("/golden/" + name)) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void goldenTreeHead_parsesAndReEncodesByteForByte() throws Exception {
    JsonNode g = golden();
    byte[] encoded = HEX.parseHex(g.get("encoded_hex").asText());
    SignedTreeHead sth = SignedTreeHead.parse(encoded);
    assertThat(sth.version()).isEqualTo(1);
    assertThat(sth.treeSize()).isEqualTo(g.get("tree_size").asLong());
    assertThat(sth.timestampMillis()).isEqualTo(g.get("timestamp_millis").asLong());
    assertThat(HEX.formatHex(sth.rootHash())).isEqualTo(g.get("root_hash_hex").asText());
    assertThat(HEX.formatHex(sth.signature())).isEqualTo(g.get("signature_hex").asText());
    assertThat(HEX.formatHex(sth.toBeSigned())).isEqualTo(g.get("to_be_signed_hex").asText());
    assertThat(sth.encoded()).isEqualTo(encoded);
    SignedTreeHead rebuilt = SignedTreeHead.of(sth.treeSize(), sth.rootHash(),
        sth.timestampMillis(), sth.signature());
    assertThat(rebuilt).isEqualTo(sth);
  }

  @Test
  void signedGolden_verifiesWithTheLogKeyAndSigningReproducesItByteForByte() throws Exception {
    JsonNode g = signedGolden();
    SigningPrivateKey logKey = TestKeys.signing("golden-log");
    assertThat(HEX.formatHex(logKey.exposeSecret())).isEqualTo(g.get("log_key_seed_hex").asText());
    SigningPublicKey pub = SigningPublicKey.fromBytes(HEX.parseHex(
        g.get("log_public_key_hex").asText()));
    assertThat(pub).isEqualTo(logKey.publicKey());
    byte[] encoded = HEX.parseHex(g.get("encoded_hex").asText());
    SignedTreeHead parsed = SignedTreeHead.parse(encoded);
    assertThat(parsed.verify(pub)).isTrue();
    assertThat(HEX.formatHex(SignatureDomain.TREE_HEAD.toBeSigned(parsed.toBeSigned())))
        .isEqualTo(g.get("signed_message_hex").asText());
    SignedTreeHead signed = SignedTreeHead.sign(g.get("tree_size").asLong(),
        HEX.parseHex(g.get("root_hash_hex").asText()), g.get("timestamp_millis").asLong(),
        logKey);
    assertThat(signed.encoded()).isEqualTo(encoded);
    assertThat(HEX.formatHex(signed.signature())).isEqualTo(g.get("signature_hex").asText());
    assertThat(signed).isEqualTo(parsed);
  }

  @Test
  void unsignedLayoutGolden_doesNotVerify() throws Exception {
    SignedTreeHead layoutOnly = SignedTreeHead.parse(
        HEX.parseHex(golden().get("encoded_hex").asText()));
    assertThat(layoutOnly.verify(TestKeys.signing("golden-log").publicKey())).isFalse();
  }

  @Test
  void verify_failsWhenAnyFieldIsTampered() {
    SigningPrivateKey logKey = TestKeys.signing("tree-head-test-log");
    byte[] root = new byte[32];
    root[0] = 9;
    SignedTreeHead sth = SignedTreeHead.sign(42, root, 1_700_000_000_000L, logKey);
    SigningPublicKey pub = logKey.publicKey();
    assertThat(sth.verify(pub)).isTrue();
    byte[] otherRoot = root.clone();
    otherRoot[31] ^= 1;
    byte[] otherSig = sth.signature();
    otherSig[5] ^= 0x10;
    assertThat(SignedTreeHead.of(43, root, 1_700_000_000_000L, sth.signature()).verify(pub))
        .isFalse();
    assertThat(SignedTreeHead.of(41, root, 1_700_000_000_000L, sth.signature()).verify(pub))
        .isFalse();
    assertThat(SignedTreeHead.of(42, otherRoot, 1_700_000_000_000L, sth.signature())
        .verify(pub)).isFalse();
    assertThat(SignedTreeHead.of(42, root, 1_700_000_000_001L, sth.signature()).verify(pub))
        .isFalse();
    assertThat(SignedTreeHead.of(42, root, 1_700_000_000_000L, otherSig).verify(pub)).isFalse();
    assertThat(sth.verify(TestKeys.signing("another-log").publicKey())).isFalse();
    assertThat(sth.verify(null)).isFalse();
  }

  @Test
  void verify_failsForEveryBitFlipOfTheEncoding() throws Exception {
    SigningPrivateKey logKey = TestKeys.signing("tree-head-test-log");
    byte[] encoded = SignedTreeHead.sign(7, new byte[32], 5, logKey).encoded();
    for (int i = 1; i < encoded.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = encoded.clone();
        t[i] ^= (byte) (1 << bit);
        SignedTreeHead h;
        try {
          h = SignedTreeHead.parse(t);
        } catch (CryptoException e) {
          continue; // a negative size or timestamp no longer parses: rejected as well
        }
        assertThat(h.verify(logKey.publicKey())).as("byte %d bit %d", i, bit).isFalse();
      }
    }
  }

  @Test
  void signatureUnderAnotherDomain_doesNotVerify() {
    SigningPrivateKey logKey = TestKeys.signing("tree-head-test-log");
    byte[] tbs = SignedTreeHead.toBeSigned(3, new byte[32], 1);
    byte[] manifestSig = logKey.sign(SignatureDomain.MANIFEST, tbs);
    assertThat(SignedTreeHead.of(3, new byte[32], 1, manifestSig).verify(logKey.publicKey()))
        .isFalse();
  }

  @Test
  void sign_rejectsInvalidFields() {
    SigningPrivateKey logKey = TestKeys.signing("tree-head-test-log");
    assertThatThrownBy(() -> SignedTreeHead.sign(-1, new byte[32], 0, logKey))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedTreeHead.sign(1, new byte[32], -1, logKey))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedTreeHead.sign(1, new byte[31], 0, logKey))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_rejectsWrongLengthVersionAndNegativeFields() throws Exception {
    byte[] good = HEX.parseHex(golden().get("encoded_hex").asText());
    assertThatThrownBy(() -> SignedTreeHead.parse(new byte[0])).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedTreeHead.parse(null)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedTreeHead.parse(java.util.Arrays.copyOf(good, 112)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedTreeHead.parse(java.util.Arrays.copyOf(good, 114)))
        .isInstanceOf(CryptoException.class);
    byte[] v2 = good.clone();
    v2[0] = 2;
    assertThatThrownBy(() -> SignedTreeHead.parse(v2)).isInstanceOf(CryptoException.class);
    byte[] negSize = good.clone();
    negSize[1] = (byte) 0x80;
    assertThatThrownBy(() -> SignedTreeHead.parse(negSize)).isInstanceOf(CryptoException.class);
    byte[] negTime = good.clone();
    negTime[9] = (byte) 0x80;
    assertThatThrownBy(() -> SignedTreeHead.parse(negTime)).isInstanceOf(CryptoException.class);
  }

  @Test
  void toBeSigned_changesWithEveryField() {
    byte[] root = new byte[32];
    byte[] base = SignedTreeHead.toBeSigned(5, root, 1000);
    byte[] otherRoot = root.clone();
    otherRoot[31] = 1;
    assertThat(base).hasSize(49);
    assertThat(SignedTreeHead.toBeSigned(6, root, 1000)).isNotEqualTo(base);
    assertThat(SignedTreeHead.toBeSigned(5, root, 1001)).isNotEqualTo(base);
    assertThat(SignedTreeHead.toBeSigned(5, otherRoot, 1000)).isNotEqualTo(base);
    assertThatThrownBy(() -> SignedTreeHead.toBeSigned(-1, root, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedTreeHead.of(1, new byte[31], 0, new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedTreeHead.of(1, root, 0, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accessors_returnCopies() throws Exception {
    SignedTreeHead sth = SignedTreeHead.parse(HEX.parseHex(golden().get("encoded_hex").asText()));
    sth.rootHash()[0] ^= 1;
    sth.signature()[0] ^= 1;
    assertThat(HEX.formatHex(sth.rootHash())).isEqualTo(golden().get("root_hash_hex").asText());
  }
}

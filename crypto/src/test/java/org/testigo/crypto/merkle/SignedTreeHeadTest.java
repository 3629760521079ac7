package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;

class SignedTreeHeadTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonNode golden() throws Exception {
    try (InputStream in = SignedTreeHeadTest.class.getResourceAsStream(
        "/golden/tree-head-v1.json")) {
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

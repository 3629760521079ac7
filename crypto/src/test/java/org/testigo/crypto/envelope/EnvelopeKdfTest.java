package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HKDF-SHA256 against RFC 5869 appendix A test cases 1 to 3. */
class EnvelopeKdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hkdf_matchesRfc5869TestCase1() {
    byte[] okm = EnvelopeKdf.hkdf(HEX.parseHex("000102030405060708090a0b0c"),
        HEX.parseHex("0b".repeat(22)), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a"
        + "2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void hkdf_matchesRfc5869TestCase2() {
    StringBuilder ikm = new StringBuilder();
    StringBuilder salt = new StringBuilder();
    StringBuilder info = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      ikm.append(String.format("%02x", i));
      salt.append(String.format("%02x", 0x60 + i));
      info.append(String.format("%02x", 0xb0 + i));
    }
    byte[] okm = EnvelopeKdf.hkdf(HEX.parseHex(salt), HEX.parseHex(ikm), HEX.parseHex(info), 82);
    assertThat(HEX.formatHex(okm)).isEqualTo("b11e398dc80327a1c8e7f78c596a4934"
        + "4f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
        + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
  }

  @Test
  void hkdf_matchesRfc5869TestCase3WithEmptySaltAndInfo() {
    byte[] okm = EnvelopeKdf.hkdf(new byte[0], HEX.parseHex("0b".repeat(22)), new byte[0], 42);
    assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31"
        + "b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}

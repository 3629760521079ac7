package org.testigo.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LengthPrefixedTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void knownAnswer() throws CryptoException {
    byte[] body = LengthPrefixed.join(HEX.parseHex("aabbcc"), HEX.parseHex("0102"));
    assertThat(HEX.formatHex(body)).isEqualTo("0003aabbcc0102");
    LengthPrefixed.Parts p = LengthPrefixed.split(body);
    assertThat(p.first()).isEqualTo(HEX.parseHex("aabbcc"));
    assertThat(p.second()).isEqualTo(HEX.parseHex("0102"));
  }

  @Test
  void emptyPartsAndTheLargestFirstPart() throws CryptoException {
    assertThat(LengthPrefixed.split(HEX.parseHex("0000")).first()).isEmpty();
    assertThat(LengthPrefixed.split(HEX.parseHex("0000")).second()).isEmpty();
    byte[] big = new byte[LengthPrefixed.MAX_FIRST];
    byte[] body = LengthPrefixed.join(big, new byte[] {7});
    assertThat(HEX.formatHex(body, 0, 2)).isEqualTo("ffff");
    assertThat(LengthPrefixed.split(body).first()).hasSize(0xffff);
    assertThat(LengthPrefixed.split(body).second()).containsExactly(7);
    assertThatThrownBy(() -> LengthPrefixed.join(new byte[0x10000], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void garbageAndTruncationAreRefused() {
    for (String bad : new String[] {"", "00", "0001", "0003aabb", "ffff00"}) {
      assertThatThrownBy(() -> LengthPrefixed.split(HEX.parseHex(bad))).as(bad)
          .isInstanceOf(CryptoException.class);
    }
  }
}

package org.testigo.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.crypto.kat.Vectors.hex;

import org.junit.jupiter.api.Test;
import org.testigo.crypto.internal.Hkdf;

/** RFC 5869 Appendix A test cases 1-3 (HKDF-SHA256). */
class HkdfKnownAnswerTest {
  private static byte[] range(int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  @Test
  void rfc5869Case1_basic() {
    byte[] ikm = new byte[22];
    java.util.Arrays.fill(ikm, (byte) 0x0b);
    assertThat(hex(Hkdf.deriveSha256(ikm, range(0, 13), range(0xf0, 0xfa), 42))).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void rfc5869Case2_longInputs() {
    assertThat(hex(Hkdf.deriveSha256(range(0, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82)))
        .isEqualTo("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
  }

  @Test
  void rfc5869Case3_emptySaltAndInfo() {
    byte[] ikm = new byte[22];
    java.util.Arrays.fill(ikm, (byte) 0x0b);
    assertThat(hex(Hkdf.deriveSha256(ikm, new byte[0], new byte[0], 42))).isEqualTo(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void deriveSha256_rejectsOutOfRangeLength() {
    assertThatThrownBy(() -> Hkdf.deriveSha256(new byte[32], new byte[0], new byte[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hkdf.deriveSha256(new byte[32], new byte[0], new byte[0], 8161))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PadmeTest {

  @Test
  void padme_matchesHandComputedValues() {
    long[][] cases = {
        {1, 1}, {2, 2}, {3, 3}, {7, 7}, {8, 8}, {9, 10}, {15, 16}, {16, 16}, {17, 18},
        {100, 104}, {1000, 1024}, {1025, 1088}, {3073, 3200}, {65536, 65536},
        {65537, 67584}, {200_001, 200_704}, {1L << 31, 1L << 31},
        {(1L << 31) + 1, (1L << 31) + (1L << 26)}};
    for (long[] c : cases) {
      assertThat(Padme.padme(c[0])).as("padme(%d)", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void padme_isIdempotentAndItsImageIsExactlyTheValidLengths() {
    for (long n = 1; n < 300_000; n++) {
      long p = Padme.padme(n);
      assertThat(p).isGreaterThanOrEqualTo(n);
      assertThat(Padme.padme(p)).isEqualTo(p);
      assertThat(Padme.isPaddedLength(n)).isEqualTo(p == n);
    }
  }

  @Test
  void padme_overheadIsAtMostTwelvePercentAboveSmallSizes() {
    for (long n = 256; n < 2_000_000; n += 997) {
      assertThat((double) Padme.padme(n) / n).isLessThanOrEqualTo(1.12);
    }
  }

  @Test
  void padme_rejectsOutOfRange() {
    assertThatThrownBy(() -> Padme.padme(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Padme.padme(Padme.MAX_LENGTH + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Padme.isPaddedLength(0)).isFalse();
    assertThat(Padme.isPaddedLength(-5)).isFalse();
  }
}

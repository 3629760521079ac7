package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;

class UnpadderTest {
  @Test
  void lastNonZero_findsTheLastNonZeroByteAtEveryPositionAndLength() {
    for (int len : new int[] {0, 1, 255, 256, 257, 511, 512, 513, 4096, 65536}) {
      byte[] b = new byte[len];
      assertThat(Unpadder.lastNonZero(b, len)).isEqualTo(-1);
      for (int pos : new int[] {0, 1, 255, 256, 257, len / 2, len - 257, len - 256, len - 2,
          len - 1}) {
        if (pos < 0 || pos >= len) {
          continue;
        }
        Arrays.fill(b, (byte) 0);
        b[pos] = (byte) 0x80;
        assertThat(Unpadder.lastNonZero(b, len)).as("len %d pos %d", len, pos).isEqualTo(pos);
        if (pos > 0) {
          b[0] = 7;
          assertThat(Unpadder.lastNonZero(b, len)).isEqualTo(pos);
        }
      }
    }
  }

  @Test
  void lastNonZero_ignoresBytesBeyondLength() {
    byte[] b = new byte[1000];
    b[3] = 1;
    b[900] = 1;
    assertThat(Unpadder.lastNonZero(b, 900)).isEqualTo(3);
  }

  @Test
  void accept_keepsZerosInDataAcrossChunksAndStripsOnlyThePadding() throws Exception {
    // data = 1, 300 zeros, 2, 70000 zeros; padded with 0x80 and zeros to a Padme length
    int dataLen = 1 + 300 + 1 + 70_000;
    long padded = Padme.padme(dataLen + 1);
    byte[] all = new byte[(int) padded];
    all[0] = 1;
    all[301] = 2;
    all[dataLen] = (byte) 0x80;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Unpadder u = new Unpadder(out);
    for (int off = 0; off < all.length; off += 65536) {
      int n = Math.min(65536, all.length - off);
      u.accept(Arrays.copyOfRange(all, off, off + n), n);
    }
    assertThat(u.finish()).isEqualTo(dataLen);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(all, dataLen));
  }

  @Test
  void finish_failsWithoutTheMarkerByte() throws Exception {
    Unpadder u = new Unpadder(new ByteArrayOutputStream());
    byte[] chunk = new byte[16];
    chunk[0] = 0x7f;
    u.accept(chunk, 16);
    assertThatThrownBy(u::finish).isInstanceOf(CryptoException.class);
  }
}

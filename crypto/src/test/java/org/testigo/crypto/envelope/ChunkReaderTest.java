package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testigo.crypto.CryptoException;

/**
 * The payload's chunk boundaries, at every size where the growing buffer (16 KiB, 64 KiB, a
 * full chunk and one byte) changes size: each chunk but the last is exactly
 * {@link ChunkReader#MAX_CIPHERTEXT} bytes, the last is the rest, the bytes come out unchanged
 * (in {@link ChunkReader#buffer()} and in the copy), whether the stream hands them over whole
 * or a few bytes per read.
 */
class ChunkReaderTest {
  static final int MAX = ChunkReader.MAX_CIPHERTEXT;
  static final int INITIAL = ChunkReader.INITIAL_BUFFER;

  @ParameterizedTest
  @ValueSource(ints = {17, INITIAL - 1, INITIAL, INITIAL + 1, 4 * INITIAL - 1, 4 * INITIAL, 4 * INITIAL + 1,
      MAX - 1, MAX, MAX + 17, MAX + 18, 2 * MAX, 2 * MAX + 17, 2 * MAX + INITIAL + 1, 3 * MAX + 100})
  void chunksAreFullExceptTheLastAndTheBytesAreUnchanged(int length) throws Exception {
    byte[] payload = new byte[length];
    new Random(length).nextBytes(payload);
    for (boolean trickle : new boolean[] {false, true}) {
      InputStream in = new ByteArrayInputStream(payload);
      if (trickle) {
        in = new FilterInputStream(in) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 997));
          }
        };
      }
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      ByteArrayOutputStream fromBuffer = new ByteArrayOutputStream();
      ChunkReader reader = new ChunkReader(in, copy);
      List<Integer> sizes = new ArrayList<>();
      List<Boolean> lasts = new ArrayList<>();
      for (int n; (n = reader.next()) >= 0; ) {
        sizes.add(n);
        lasts.add(reader.isLast());
        fromBuffer.write(reader.buffer(), 0, n);
      }
      List<Integer> expected = new ArrayList<>();
      int rest = length;
      while (rest > MAX) {
        expected.add(MAX);
        rest -= MAX;
      }
      expected.add(rest);
      assertThat(sizes).as("length %d, trickle %s", length, trickle).isEqualTo(expected);
      assertThat(lasts.subList(0, lasts.size() - 1)).doesNotContain(true);
      assertThat(lasts.get(lasts.size() - 1)).isTrue();
      assertThat(copy.toByteArray()).isEqualTo(payload);
      assertThat(fromBuffer.toByteArray()).isEqualTo(payload);
      assertThat(reader.bytesRead()).isEqualTo(length);
      assertThat(reader.next()).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, MAX + 1, MAX + 16, 2 * MAX + 1})
  void aFinalChunkShorterThanATagAndOneByteIsRefused(int length) {
    ChunkReader reader = new ChunkReader(new ByteArrayInputStream(new byte[length]), null);
    assertThatThrownBy(() -> {
      while (reader.next() >= 0) {
        // read on
      }
    }).isInstanceOf(CryptoException.class);
  }

  @Test
  void aReportSmallerThanTheFirstBufferNeverGrowsIt() throws Exception {
    ChunkReader reader = new ChunkReader(new ByteArrayInputStream(new byte[10_000]), null);
    assertThat(reader.next()).isEqualTo(10_000);
    assertThat(reader.buffer()).hasSize(INITIAL);
  }
}

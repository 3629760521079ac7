package org.testigo.crypto.envelope;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;

/**
 * Removes the {@code 0x80 || 0x00*} padding while streaming, holding back only the last
 * non-zero byte seen so far and a count of the zeros after it.
 */
final class Unpadder {
  private static final byte[] ZEROS = new byte[EnvelopeHeader.CHUNK_SIZE];
  /** Block size of the backward scan; each block is tested at once with Arrays.mismatch. */
  private static final int SCAN_BLOCK = 256;
  private final OutputStream out;
  private int pendingByte = -1;
  private long pendingZeros;
  private long paddedLength;

  Unpadder(OutputStream out) {
    this.out = out;
  }

  /** Accepts one authenticated plaintext chunk. */
  void accept(byte[] chunk, int len) throws IOException {
    paddedLength += len;
    int j = lastNonZero(chunk, len);
    if (j < 0) {
      pendingZeros += len;
      return;
    }
    if (pendingByte >= 0) {
      out.write(pendingByte);
    }
    while (pendingZeros > 0) {
      int n = (int) Math.min(ZEROS.length, pendingZeros);
      out.write(ZEROS, 0, n);
      pendingZeros -= n;
    }
    out.write(chunk, 0, j);
    pendingByte = chunk[j] & 0xff;
    pendingZeros = len - 1 - j;
  }

  /**
   * Index of the last non-zero byte of {@code b[0..len)}, or -1. Scans from the end only, a
   * block at a time (all-zero padding blocks are skipped with one vectorised comparison).
   */
  static int lastNonZero(byte[] b, int len) {
    int end = len;
    while (end > 0) {
      int start = Math.max(0, end - SCAN_BLOCK);
      if (Arrays.mismatch(b, start, end, ZEROS, 0, end - start) >= 0) {
        int j = end - 1;
        while (b[j] == 0) {
          j--;
        }
        return j;
      }
      end = start;
    }
    return -1;
  }

  /**
   * Checks the end of the padded plaintext: its last non-zero byte is 0x80 and its length a
   * valid Padmé length. Returns the unpadded length.
   */
  long finish() throws CryptoException {
    if (pendingByte != 0x80 || !Padme.isPaddedLength(paddedLength)) {
      throw new CryptoException();
    }
    return paddedLength - 1 - pendingZeros;
  }
}

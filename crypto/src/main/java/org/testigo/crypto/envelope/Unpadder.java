package org.testigo.crypto.envelope;

import java.io.IOException;
import java.io.OutputStream;
import org.testigo.crypto.CryptoException;

/**
 * Removes the {@code 0x80 || 0x00*} padding while streaming, holding back only the last
 * non-zero byte seen so far and a count of the zeros after it.
 */
final class Unpadder {
  private static final byte[] ZEROS = new byte[EnvelopeHeader.CHUNK_SIZE];
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
    int j = len - 1;
    while (j >= 0 && chunk[j] == 0) {
      j--;
    }
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

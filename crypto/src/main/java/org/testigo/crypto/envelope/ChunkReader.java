package org.testigo.crypto.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;

/**
 * Splits the payload into ciphertext chunks in constant memory. A chunk is final iff the
 * stream ends within 65552 bytes of its start (one byte of read-ahead decides). Every
 * non-final chunk is exactly 65552 bytes; the final one 17..65552 bytes.
 */
final class ChunkReader {
  static final int MAX_CIPHERTEXT = EnvelopeHeader.CHUNK_SIZE + ChunkCipher.TAG_LENGTH;
  private final InputStream in;
  private final OutputStream copyTo;
  /**
   * The first size of the buffer. It grows (to 64 KiB, then to a full chunk and one byte) only
   * for an envelope that fills it: most reports are far smaller than one chunk, and zeroing
   * 64 KiB for each of them cost more than reading them (docs/decisions/0013-submissions-servlet.md).
   */
  static final int INITIAL_BUFFER = 16 * 1024;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private boolean carry;
  private boolean last;
  private boolean finished;
  private long bytesRead;

  ChunkReader(InputStream in, OutputStream copyTo) {
    this.in = in;
    this.copyTo = copyTo;
  }

  /**
   * Reads the next chunk into {@link #buffer()} and returns its length, or -1 once the final
   * chunk has been returned.
   *
   * @throws CryptoException if the stream ends where a chunk must start, or the final chunk
   *     is shorter than a tag plus one byte
   */
  int next() throws CryptoException, IOException {
    if (finished) {
      return -1;
    }
    int filled = 0;
    if (carry) {
      buf[0] = buf[MAX_CIPHERTEXT];
      filled = 1;
    }
    while (true) {
      filled += in.readNBytes(buf, filled, buf.length - filled);
      if (filled < buf.length || buf.length == MAX_CIPHERTEXT + 1) {
        break;
      }
      buf = Arrays.copyOf(buf, Math.min(buf.length * 4, MAX_CIPHERTEXT + 1));
    }
    if (filled == MAX_CIPHERTEXT + 1) {
      carry = true;
      last = false;
      bytesRead += MAX_CIPHERTEXT;
      if (copyTo != null) {
        copyTo.write(buf, 0, MAX_CIPHERTEXT);
      }
      return MAX_CIPHERTEXT;
    }
    finished = true;
    last = true;
    carry = false;
    if (filled < ChunkCipher.TAG_LENGTH + 1) {
      throw new CryptoException();
    }
    bytesRead += filled;
    if (copyTo != null) {
      copyTo.write(buf, 0, filled);
    }
    return filled;
  }

  byte[] buffer() {
    return buf;
  }

  boolean isLast() {
    return last;
  }

  long bytesRead() {
    return bytesRead;
  }
}

package org.testigo.crypto.envelope;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encrypts the payload as a STREAM of 64 KiB chunks. A full chunk is only encrypted once
 * more bytes arrive (or at close), so the final chunk is always known when it is sealed.
 * {@link #close()} appends the Padmé padding, seals the final chunk and closes the
 * underlying stream (unless constructed not to).
 */
final class SealingOutputStream extends OutputStream {
  private static final int CHUNK = EnvelopeHeader.CHUNK_SIZE;
  private final OutputStream out;
  private final ChunkCipher cipher;
  private final boolean closeUnderlying;
  private final byte[] plain = new byte[CHUNK];
  private final byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_LENGTH];
  private int filled;
  private long counter;
  private long dataLength;
  private boolean closed;
  private boolean failed;

  SealingOutputStream(OutputStream out, ChunkCipher cipher, boolean closeUnderlying) {
    this.out = out;
    this.cipher = cipher;
    this.closeUnderlying = closeUnderlying;
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (dataLength + 1 >= Padme.MAX_LENGTH) {
      throw new IOException("envelope payload too large");
    }
    if (filled == CHUNK) {
      emit(false);
    }
    dataLength++;
    plain[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (dataLength + len >= Padme.MAX_LENGTH) {
      throw new IOException("envelope payload too large");
    }
    dataLength += len;
    while (len > 0) {
      if (filled == CHUNK) {
        emit(false);
      }
      if (filled == 0 && len > CHUNK) {
        // More bytes follow this chunk, so it is not final: seal straight from the caller.
        emitDirect(b, off);
        off += CHUNK;
        len -= CHUNK;
        continue;
      }
      int n = Math.min(CHUNK - filled, len);
      System.arraycopy(b, off, plain, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!failed) {
        long padding = Padme.padme(dataLength + 1) - dataLength;
        if (filled == CHUNK) {
          emit(false);
        }
        plain[filled++] = (byte) 0x80;
        padding--;
        while (padding > 0) {
          if (filled == CHUNK) {
            emit(false);
          }
          int n = (int) Math.min(CHUNK - filled, padding);
          Arrays.fill(plain, filled, filled + n, (byte) 0);
          filled += n;
          padding -= n;
        }
        emit(true);
        out.flush();
      }
    } finally {
      Arrays.fill(plain, (byte) 0);
      if (closeUnderlying) {
        out.close();
      }
    }
  }

  /**
   * Reads {@code in} to its end straight into the chunk buffer (no intermediate copy).
   */
  void transferFrom(java.io.InputStream in) throws IOException {
    ensureOpen();
    while (true) {
      if (filled == CHUNK) {
        emit(false);
      }
      int n = in.readNBytes(plain, filled, CHUNK - filled);
      if (n == 0) {
        return;
      }
      if (dataLength + n >= Padme.MAX_LENGTH) {
        throw new IOException("envelope payload too large");
      }
      dataLength += n;
      filled += n;
    }
  }

  private void emitDirect(byte[] b, int off) throws IOException {
    int n = cipher.seal(counter++, false, b, off, CHUNK, sealed);
    try {
      out.write(sealed, 0, n);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void emit(boolean last) throws IOException {
    int n = cipher.seal(counter++, last, plain, filled, sealed);
    filled = 0;
    try {
      out.write(sealed, 0, n);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("sealing stream is closed");
    }
    if (failed) {
      throw new IOException("sealing stream failed earlier");
    }
  }
}

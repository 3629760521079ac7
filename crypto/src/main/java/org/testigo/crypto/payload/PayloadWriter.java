package org.testigo.crypto.payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the Testigo payload container v1 (specified byte by byte in docs/spec/payload-and-questionnaire.md):
 * {@code "TGPAYLD1"}, then parts, each {@code 0x01 || u16 header length || header JSON ||
 * chunks || u32 0}, each chunk {@code u32 length (1..65536) || bytes}, then {@code 0x00}.
 * Part sizes need not be known in advance, so files are streamed straight through. Holds at
 * most one 64 KiB chunk of plaintext in memory and zeroes it after each chunk. One writer for
 * the intake server (sealing the no-JavaScript form) and testigo-shelter (sealing on the laptop).
 */
public final class PayloadWriter {
  public static final byte[] MAGIC = "TGPAYLD1".getBytes(StandardCharsets.US_ASCII);
  public static final int MAX_CHUNK = 65536;
  public static final int MAX_HEADER = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private PartStream open;
  private boolean finished;

  public PayloadWriter(OutputStream out) throws IOException {
    this.out = out;
    out.write(MAGIC);
  }

  /** Starts a part; the returned stream must be closed before the next part. */
  public OutputStream beginPart(PartHeader header) throws IOException {
    if (open != null || finished) {
      throw new IllegalStateException("previous part still open or payload finished");
    }
    byte[] h = JSON.writeValueAsBytes(header);
    if (h.length > MAX_HEADER) {
      throw new IllegalArgumentException("part header too long");
    }
    out.write(0x01);
    out.write(h.length >>> 8);
    out.write(h.length);
    out.write(h);
    open = new PartStream();
    return open;
  }

  /**
   * A payload of one {@code message} part holding UTF-8 text, media type
   * {@code text/plain; charset=utf-8}: what a reviewer's reply and a source's follow-up carry.
   */
  public static byte[] textMessage(String text) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    w.writePart(new PartHeader(PartHeader.MESSAGE, null, "text/plain; charset=utf-8"), body);
    w.finish();
    java.util.Arrays.fill(body, (byte) 0);
    return out.toByteArray();
  }

  /** Writes a whole small part. */
  public void writePart(PartHeader header, byte[] body) throws IOException {
    try (OutputStream part = beginPart(header)) {
      part.write(body);
    }
  }

  /** Writes the end marker; does not close the underlying stream. */
  public void finish() throws IOException {
    if (open != null) {
      throw new IllegalStateException("a part is still open");
    }
    if (!finished) {
      out.write(0x00);
      finished = true;
    }
  }

  private void writeU32(int v) throws IOException {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private final class PartStream extends OutputStream {
    private final byte[] chunk = new byte[MAX_CHUNK];
    private int fill;
    private boolean closed;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("part closed");
      }
      while (len > 0) {
        int n = Math.min(len, chunk.length - fill);
        System.arraycopy(b, off, chunk, fill, n);
        fill += n;
        off += n;
        len -= n;
        if (fill == chunk.length) {
          emit();
        }
      }
    }

    private void emit() throws IOException {
      writeU32(fill);
      out.write(chunk, 0, fill);
      java.util.Arrays.fill(chunk, 0, fill, (byte) 0);
      fill = 0;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      if (fill > 0) {
        emit();
      }
      writeU32(0);
      closed = true;
      open = null;
    }
  }
}

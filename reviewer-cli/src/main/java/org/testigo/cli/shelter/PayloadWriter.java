package org.testigo.cli.shelter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the payload container v1 (SECURITY.md section 6.1), byte for byte as the intake
 * server's {@code PayloadWriter}: {@code "TGPAYLD1"}, then parts, each {@code 0x01 || u16
 * header length || header JSON || chunks || u32 0}, each chunk {@code u32 length (1..65536)
 * || bytes}, then {@code 0x00}. The header JSON is {@code {"name":N,"filename":F,"type":T}}
 * in that key order with absent keys omitted. Holds at most one 64 KiB chunk in memory and
 * zeroes it after each chunk.
 */
final class PayloadWriter {
  static final byte[] MAGIC = "TGPAYLD1".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_CHUNK = 65536;
  static final int MAX_HEADER = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private PartStream open;
  private boolean finished;

  PayloadWriter(OutputStream out) throws IOException {
    this.out = out;
    out.write(MAGIC);
  }

  /** The part header's JSON bytes: name, then filename and type when not null. */
  static byte[] header(String name, String filename, String type) {
    ObjectNode h = JSON.createObjectNode();
    h.put("name", name);
    if (filename != null) {
      h.put("filename", filename);
    }
    if (type != null) {
      h.put("type", type);
    }
    try {
      return JSON.writeValueAsBytes(h);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a part; the returned stream must be closed before the next part. */
  OutputStream beginPart(String name, String filename, String type) throws IOException {
    if (open != null || finished) {
      throw new IllegalStateException("previous part still open or payload finished");
    }
    byte[] h = header(name, filename, type);
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

  void writePart(String name, String filename, String type, byte[] body) throws IOException {
    try (OutputStream part = beginPart(name, filename, type)) {
      part.write(body);
    }
  }

  /** Writes the end marker; does not close the underlying stream. */
  void finish() throws IOException {
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
      Arrays.fill(chunk, 0, fill, (byte) 0);
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

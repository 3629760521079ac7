package org.testigo.server.intake.payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Reads the payload container v1 written by {@link PayloadWriter}, part by part, streaming
 * each part's body. Throws {@link MalformedPayloadException} on any framing defect,
 * including trailing bytes after the end marker other than zero padding.
 */
public final class PayloadReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DataInputStream in;
  private PartBody current;
  private boolean done;

  /** The payload does not follow the v1 container format. */
  public static final class MalformedPayloadException extends IOException {
    public MalformedPayloadException(String message) {
      super(message);
    }
  }

  /** One part: its header and a stream of its body. */
  public record Part(PartHeader header, InputStream body) {}

  public PayloadReader(InputStream in) throws IOException {
    this.in = new DataInputStream(in);
    byte[] magic = new byte[PayloadWriter.MAGIC.length];
    try {
      this.in.readFully(magic);
    } catch (EOFException e) {
      throw new MalformedPayloadException("payload too short");
    }
    if (!Arrays.equals(magic, PayloadWriter.MAGIC)) {
      throw new MalformedPayloadException("not a Testigo v1 payload");
    }
  }

  /** The next part, or null at the end marker. */
  public Part next() throws IOException {
    if (done) {
      return null;
    }
    if (current != null) {
      current.skipAll();
      current = null;
    }
    try {
      int kind = in.readUnsignedByte();
      if (kind == 0x00) {
        done = true;
        int b;
        while ((b = in.read()) >= 0) {
          if (b != 0) {
            throw new MalformedPayloadException("bytes after the end marker");
          }
        }
        return null;
      }
      if (kind != 0x01) {
        throw new MalformedPayloadException("unknown part kind");
      }
      int headerLength = in.readUnsignedShort();
      if (headerLength == 0 || headerLength > PayloadWriter.MAX_HEADER) {
        throw new MalformedPayloadException("bad part header length");
      }
      byte[] header = new byte[headerLength];
      in.readFully(header);
      PartHeader parsed;
      try {
        parsed = JSON.readValue(header, PartHeader.class);
      } catch (IOException e) {
        throw new MalformedPayloadException("bad part header");
      }
      if (parsed == null || parsed.name() == null) { // the JSON literal null reads as null
        throw new MalformedPayloadException("part without a name");
      }
      current = new PartBody();
      return new Part(parsed, current);
    } catch (EOFException e) {
      throw new MalformedPayloadException("payload truncated");
    }
  }

  private final class PartBody extends InputStream {
    private int remainingInChunk;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      try {
        if (remainingInChunk == 0) {
          int n = in.readInt();
          if (n == 0) {
            ended = true;
            return -1;
          }
          if (n < 0 || n > PayloadWriter.MAX_CHUNK) {
            throw new MalformedPayloadException("bad chunk length");
          }
          remainingInChunk = n;
        }
        int r = in.read(b, off, Math.min(len, remainingInChunk));
        if (r < 0) {
          throw new MalformedPayloadException("payload truncated");
        }
        remainingInChunk -= r;
        return r;
      } catch (EOFException e) {
        throw new MalformedPayloadException("payload truncated");
      }
    }

    void skipAll() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}

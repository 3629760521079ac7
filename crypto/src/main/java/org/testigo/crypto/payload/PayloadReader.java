package org.testigo.crypto.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Reads the payload container v1 written by {@link PayloadWriter} (docs/spec/payload-and-questionnaire.md §1), the
 * plaintext inside every report, follow-up and reply envelope, streaming: nothing of a part
 * is held beyond its header (at most {@link PayloadWriter#MAX_HEADER} bytes), so memory does
 * not grow with the payload. Two ways in, one set of rules:
 *
 * <ul>
 *   <li>pull: {@code new PayloadReader(in, limits)}, then {@link #next()} part by part, each
 *       {@link Part#body()} a stream of that part's bytes (what the intake server does with a
 *       reply it opened in memory);
 *   <li>push: {@link #decoder} gives an {@link OutputStream} that an envelope is opened into;
 *       it parses the framing as the plaintext arrives and hands each part's body to the sink
 *       {@link Parts#begin} returns (what the reviewer tool does while it decrypts).
 * </ul>
 *
 * <p>Any framing defect is a {@link MalformedPayloadException}: a wrong magic, an unknown
 * part kind, a part header of length 0 or over 4,096 bytes, a part header that is not JSON or
 * has no name, a chunk length over 65,536 (or negative), a payload that ends early, a byte
 * other than zero after the end marker, and a payload over the caps of its {@link Limits}
 * (the number of parts, the size of the first part's body). Callers that keep going on a bad
 * payload (the reviewer tool marks the submission malformed) catch it.
 */
public final class PayloadReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The payload does not follow the v1 container format, or is over a cap. */
  public static final class MalformedPayloadException extends IOException {
    public MalformedPayloadException(String message) {
      super(message);
    }
  }

  /** How a part header's JSON is read. */
  public enum HeaderRule {
    /**
     * The intake server's rule: the header is data-bound to {@link PartHeader}; a property
     * other than {@code name}, {@code filename}, {@code type} or a value of the wrong shape
     * is a bad header, a number or boolean is read as its text.
     */
    BOUND,
    /**
     * The reviewer tool's rule: the header is a JSON object whose {@code name} is a string;
     * other properties are ignored, and a {@code filename} or {@code type} that is not a
     * string reads as absent.
     */
    TEXTUAL
  }

  /**
   * The caps a reader enforces.
   *
   * @param maxParts parts in one payload (more is malformed)
   * @param maxFirstPartBytes bytes of the first part's body, the questionnaire or message
   *     (more is malformed)
   * @param headers how part headers are read
   */
  public record Limits(int maxParts, long maxFirstPartBytes, HeaderRule headers) {
    /** No cap, headers {@link HeaderRule#BOUND}: the intake server today. */
    public static final Limits SERVER = new Limits(Integer.MAX_VALUE, Long.MAX_VALUE, HeaderRule.BOUND);
    /**
     * The reviewer tool today: a questionnaire and up to 99 attachments (the server's form
     * allows 20); a questionnaire or follow-up JSON of at most 256 KiB (a narrative of 20,000
     * code points escaped fits easily); headers {@link HeaderRule#TEXTUAL}.
     */
    public static final Limits REVIEWER = new Limits(100, 256 * 1024, HeaderRule.TEXTUAL);

    public Limits {
      if (maxParts < 1 || maxFirstPartBytes < 0 || headers == null) {
        throw new IllegalArgumentException("bad payload limits");
      }
    }
  }

  /** One part: its header and a stream of its body (valid until the next call to {@link #next()}). */
  public record Part(PartHeader header, InputStream body) {}

  /** Where the parts go, for {@link #decoder}. */
  public interface Parts {
    /** A part starts (index from 0); returns the sink of its body, or null to discard it. */
    OutputStream begin(int index, PartHeader header) throws IOException;

    /** The part ended after {@code size} bytes of body (the sink, if any, is closed already). */
    void end(int index, long size) throws IOException;
  }

  private final DataInputStream in;
  private final Limits limits;
  private PartBody current;
  private int partIndex = -1;
  private boolean done;

  /** A reader with {@link Limits#SERVER}; reads and checks the magic. */
  public PayloadReader(InputStream in) throws IOException {
    this(in, Limits.SERVER);
  }

  /** A reader with {@code limits}; reads and checks the magic. */
  public PayloadReader(InputStream in, Limits limits) throws IOException {
    this.in = new DataInputStream(in);
    this.limits = limits;
    byte[] magic = new byte[PayloadWriter.MAGIC.length];
    try {
      this.in.readFully(magic);
    } catch (EOFException e) {
      throw new MalformedPayloadException("payload too short");
    }
    checkMagic(magic);
  }

  /** A push parser with {@code limits}; see {@link Decoder}. */
  public static Decoder decoder(Parts parts, Limits limits) {
    return new Decoder(parts, limits);
  }

  /** The next part, or null at the end marker (after checking that only zeros follow it). */
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
      if (partKind(kind)) {
        done = true;
        int b;
        while ((b = in.read()) >= 0) {
          if (b != 0) {
            throw new MalformedPayloadException("bytes after the end marker");
          }
        }
        return null;
      }
      int headerLength = headerLength(in.readUnsignedShort());
      byte[] header = new byte[headerLength];
      in.readFully(header);
      PartHeader parsed = header(header, headerLength, limits.headers());
      partIndex = countPart(partIndex, limits);
      current = new PartBody(partIndex == 0 ? limits.maxFirstPartBytes() : Long.MAX_VALUE, parsed.name());
      return new Part(parsed, current);
    } catch (EOFException e) {
      throw new MalformedPayloadException("payload truncated");
    }
  }

  /** Parts begun so far. */
  public int partCount() {
    return partIndex + 1;
  }

  private static void checkMagic(byte[] magic) throws MalformedPayloadException {
    if (!Arrays.equals(magic, PayloadWriter.MAGIC)) {
      throw new MalformedPayloadException("not a Testigo v1 payload");
    }
  }

  /** True for the end marker, false for a part; anything else is malformed. */
  private static boolean partKind(int kind) throws MalformedPayloadException {
    if (kind == 0x00) {
      return true;
    }
    if (kind != 0x01) {
      throw new MalformedPayloadException("unknown part kind");
    }
    return false;
  }

  private static int headerLength(int length) throws MalformedPayloadException {
    if (length == 0 || length > PayloadWriter.MAX_HEADER) {
      throw new MalformedPayloadException("bad part header length");
    }
    return length;
  }

  private static PartHeader header(byte[] header, int length, HeaderRule rule) throws MalformedPayloadException {
    if (rule == HeaderRule.BOUND) {
      PartHeader parsed;
      try {
        parsed = JSON.readValue(header, 0, length, PartHeader.class);
      } catch (IOException e) {
        throw new MalformedPayloadException("bad part header");
      }
      if (parsed == null || parsed.name() == null) { // the JSON literal null reads as null
        throw new MalformedPayloadException("part without a name");
      }
      return parsed;
    }
    JsonNode h;
    try {
      h = JSON.readTree(header, 0, length);
    } catch (IOException e) {
      throw new MalformedPayloadException("bad part header");
    }
    if (h == null || !h.isObject() || !h.path("name").isTextual()) {
      throw new MalformedPayloadException("part without a name");
    }
    return new PartHeader(h.get("name").asText(), text(h, "filename"), text(h, "type"));
  }

  private static String text(JsonNode h, String field) {
    JsonNode n = h.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** The index of a new part, after {@code last}; over the cap is malformed. */
  private static int countPart(int last, Limits limits) throws MalformedPayloadException {
    if (last + 1 >= limits.maxParts()) {
      throw new MalformedPayloadException("more than " + limits.maxParts() + " parts");
    }
    return last + 1;
  }

  private static int chunkLength(int n) throws MalformedPayloadException {
    if (n < 0 || n > PayloadWriter.MAX_CHUNK) {
      throw new MalformedPayloadException("bad chunk length");
    }
    return n;
  }

  private static MalformedPayloadException tooLarge(String name, long max) {
    return new MalformedPayloadException("the " + name + " is over " + max + " bytes");
  }

  private final class PartBody extends InputStream {
    private final long max;
    private final String name;
    private long size;
    private int remainingInChunk;
    private boolean ended;

    PartBody(long max, String name) {
      this.max = max;
      this.name = name;
    }

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
      if (len == 0) {
        return 0;
      }
      try {
        if (remainingInChunk == 0) {
          int n = chunkLength(in.readInt());
          if (n == 0) {
            ended = true;
            return -1;
          }
          if (size + n > max) {
            throw tooLarge(name, max);
          }
          size += n;
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

  /**
   * The push parser: an {@link OutputStream} that the plaintext is written into as it is
   * decrypted. It parses the framing byte by byte and hands each part's body to the sink
   * {@link Parts#begin} returns, chunk by chunk; at a framing defect or over a cap it throws
   * {@link MalformedPayloadException} at once, which stops the decryption too. {@link #finish}
   * checks that the payload ended properly.
   */
  public static final class Decoder extends OutputStream {
    private enum State { MAGIC, KIND, HLEN, HEADER, CLEN, BODY, END }

    private final Parts parts;
    private final Limits limits;
    private State state = State.MAGIC;
    private final byte[] small = new byte[PayloadWriter.MAX_HEADER];
    private int have;
    private int need = PayloadWriter.MAGIC.length;
    private int partIndex = -1;
    private String partName;
    private long partSize;
    private OutputStream sink;

    private Decoder(Parts parts, Limits limits) {
      this.parts = parts;
      this.limits = limits;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (state == State.END) {
          for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
              throw new MalformedPayloadException("bytes after the end marker");
            }
          }
          return;
        }
        if (state == State.BODY) {
          int k = Math.min(len, need);
          if (sink != null) {
            sink.write(b, off, k);
          }
          partSize += k;
          need -= k;
          off += k;
          len -= k;
          if (need == 0) {
            expect(State.CLEN, 4);
          }
          continue;
        }
        int k = Math.min(len, need - have);
        System.arraycopy(b, off, small, have, k);
        have += k;
        off += k;
        len -= k;
        if (have == need) {
          field();
        }
      }
    }

    private void expect(State s, int n) {
      state = s;
      need = n;
      have = 0;
    }

    private void field() throws IOException {
      switch (state) {
        case MAGIC -> {
          checkMagic(Arrays.copyOf(small, need));
          expect(State.KIND, 1);
        }
        case KIND -> {
          if (partKind(small[0] & 0xff)) {
            expect(State.END, 0);
          } else {
            expect(State.HLEN, 2);
          }
        }
        case HLEN -> expect(State.HEADER, headerLength((small[0] & 0xff) << 8 | small[1] & 0xff));
        case HEADER -> {
          PartHeader h = header(small, need, limits.headers());
          partIndex = countPart(partIndex, limits);
          partName = h.name();
          partSize = 0;
          sink = parts.begin(partIndex, h);
          expect(State.CLEN, 4);
        }
        case CLEN -> {
          int n = chunkLength((small[0] & 0xff) << 24 | (small[1] & 0xff) << 16 | (small[2] & 0xff) << 8
              | small[3] & 0xff);
          if (n == 0) {
            OutputStream s = sink;
            sink = null;
            if (s != null) {
              s.close();
            }
            parts.end(partIndex, partSize);
            expect(State.KIND, 1);
          } else {
            if (partIndex == 0 && partSize + n > limits.maxFirstPartBytes()) {
              throw tooLarge(partName, limits.maxFirstPartBytes());
            }
            state = State.BODY;
            need = n;
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }

    /** Checks that the payload was complete (end marker reached). */
    public void finish() throws MalformedPayloadException {
      if (state != State.END) {
        throw new MalformedPayloadException("payload truncated");
      }
    }

    /** Parts begun so far. */
    public int partCount() {
      return partIndex + 1;
    }
  }
}

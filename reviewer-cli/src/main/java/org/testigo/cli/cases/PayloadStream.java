package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Payload container v1 (SECURITY.md §6.1) read as it is decrypted: an {@link OutputStream}
 * that the envelope is opened into, which parses the framing byte by byte and hands each
 * part's body to the sink {@link Parts#begin} returns, chunk by chunk. Nothing of a part is
 * held here beyond one header (at most 4,096 bytes), so memory does not grow with the
 * payload. Over {@code maxParts} parts, or at any framing defect, it throws
 * {@link PayloadContainer.MalformedPayloadException} at once, which stops the decryption too.
 * {@link #finish} checks that the payload ended properly.
 */
public final class PayloadStream extends OutputStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the parts go. */
  public interface Parts {
    /** A part starts (index from 0); returns the sink of its body, or null to discard it. */
    OutputStream begin(int index, String name, String filename, String type) throws IOException;

    /** The part ended after {@code size} bytes of body. */
    void end(int index, long size) throws IOException;
  }

  private enum State { MAGIC, KIND, HLEN, HEADER, CLEN, BODY, END }

  private final Parts parts;
  private final int maxParts;
  private State state = State.MAGIC;
  private final byte[] small = new byte[PayloadContainer.MAX_HEADER];
  private int have;
  private int need = PayloadContainer.MAGIC.length;
  private int partIndex = -1;
  private long partSize;
  private OutputStream sink;

  public PayloadStream(Parts parts, int maxParts) {
    this.parts = parts;
    this.maxParts = maxParts;
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
            throw new PayloadContainer.MalformedPayloadException("bytes after the end marker");
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
        if (!Arrays.equals(Arrays.copyOf(small, need), PayloadContainer.MAGIC)) {
          throw new PayloadContainer.MalformedPayloadException("not a Testigo v1 payload");
        }
        expect(State.KIND, 1);
      }
      case KIND -> {
        int kind = small[0] & 0xff;
        if (kind == 0x00) {
          expect(State.END, 0);
        } else if (kind == 0x01) {
          expect(State.HLEN, 2);
        } else {
          throw new PayloadContainer.MalformedPayloadException("unknown part kind");
        }
      }
      case HLEN -> {
        int hlen = (small[0] & 0xff) << 8 | small[1] & 0xff;
        if (hlen == 0 || hlen > PayloadContainer.MAX_HEADER) {
          throw new PayloadContainer.MalformedPayloadException("bad part header length");
        }
        expect(State.HEADER, hlen);
      }
      case HEADER -> {
        JsonNode h;
        try {
          h = JSON.readTree(small, 0, need);
        } catch (IOException e) {
          throw new PayloadContainer.MalformedPayloadException("bad part header");
        }
        if (h == null || !h.isObject() || !h.path("name").isTextual()) {
          throw new PayloadContainer.MalformedPayloadException("part without a name");
        }
        if (++partIndex >= maxParts) {
          throw new PayloadContainer.MalformedPayloadException("more than " + maxParts + " parts");
        }
        partSize = 0;
        sink = parts.begin(partIndex, h.get("name").asText(), text(h, "filename"), text(h, "type"));
        expect(State.CLEN, 4);
      }
      case CLEN -> {
        int n = (small[0] & 0xff) << 24 | (small[1] & 0xff) << 16 | (small[2] & 0xff) << 8 | small[3] & 0xff;
        if (n == 0) {
          OutputStream s = sink;
          sink = null;
          if (s != null) {
            s.close();
          }
          parts.end(partIndex, partSize);
          expect(State.KIND, 1);
        } else if (n < 0 || n > PayloadContainer.MAX_CHUNK) {
          throw new PayloadContainer.MalformedPayloadException("bad chunk length");
        } else {
          state = State.BODY;
          need = n;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private static String text(JsonNode h, String field) {
    JsonNode n = h.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** Checks that the payload was complete (end marker reached). */
  public void finish() throws PayloadContainer.MalformedPayloadException {
    if (state != State.END) {
      throw new PayloadContainer.MalformedPayloadException("payload truncated");
    }
  }

  /** Parts seen so far. */
  public int partCount() {
    return partIndex + 1;
  }
}

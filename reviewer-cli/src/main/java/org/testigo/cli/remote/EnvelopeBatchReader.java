package org.testigo.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.testigo.api.client.Bounded;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * Reads an envelope batch v1 (docs/spec/reviewer-api-and-batches.md §4), the answer of
 * {@code GET /api/v1/reviewer/submissions/envelopes}: feed entries, each followed by its
 * envelope in frames, then an end marker with the feed's {@code more} flag. Strict: a wrong
 * magic, an unknown tag, a frame or entry of a size out of range, a stream cut before the end
 * marker or anything after it is a {@link CliException} ({@link ExitCodes#SERVER}). The
 * caller checks each entry's fields, caps each envelope's length and checks its SHA-256;
 * this class checks only framing, and caps what it skips.
 */
public final class EnvelopeBatchReader {
  static final byte[] MAGIC = {'T', 'G', 'B', 'A', 'T', 'C', 'H', '1'};
  static final int FRAME_BYTES = 64 * 1024;
  static final int MAX_ITEM_JSON = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataInputStream in;
  private final long maxSkip;
  private Body body;
  private Boolean more;

  /**
   * A reader that skips an unread envelope only up to {@code maxSkipBytes} bytes (more is a
   * {@link Bounded.TooLargeException}): a batch cannot make it read without end.
   */
  public EnvelopeBatchReader(InputStream in, long maxSkipBytes) throws IOException {
    this.in = new DataInputStream(in);
    this.maxSkip = maxSkipBytes;
    byte[] magic = new byte[MAGIC.length];
    readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw malformed();
    }
  }

  /**
   * True if a number in the item overflowed to Infinity ({@code 1e400}): a value the server did
   * not send, which then printed and compared as something else (found by
   * EnvelopeBatchReaderFuzzTest). Such an item is malformed.
   */
  static boolean hasNonFiniteNumber(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return !Double.isFinite(node.doubleValue());
    }
    for (JsonNode child : node) {
      if (hasNonFiniteNumber(child)) {
        return true;
      }
    }
    return false;
  }

  /** The next feed entry, or null after the end marker; the previous body is skipped if unread. */
  public JsonNode next() throws IOException {
    if (more != null) {
      return null;
    }
    if (body != null) {
      new Bounded.LimitedInputStream(body, maxSkip, "an envelope").transferTo(java.io.OutputStream.nullOutputStream());
      body = null;
    }
    int tag = in.read();
    if (tag == 0) {
      int m = in.read();
      if ((m != 0 && m != 1) || in.read() != -1) {
        throw malformed();
      }
      more = m == 1;
      return null;
    }
    if (tag != 1) {
      throw malformed();
    }
    int n = readUnsignedShort();
    if (n < 2 || n > MAX_ITEM_JSON) {
      throw malformed();
    }
    byte[] json = new byte[n];
    readFully(json);
    JsonNode item;
    try {
      item = JSON.readTree(json);
    } catch (IOException e) {
      throw malformed();
    }
    if (item == null || !item.isObject() || hasNonFiniteNumber(item)) {
      throw malformed();
    }
    body = new Body();
    return item;
  }

  /** The ciphertext of the entry {@link #next} returned last, read from its frames. */
  public InputStream body() {
    if (body == null) {
      throw new IllegalStateException("no entry read");
    }
    return body;
  }

  /** Whether the feed has entries after this page; only after {@link #next} returned null. */
  public boolean more() {
    if (more == null) {
      throw new IllegalStateException("the batch was not read to its end");
    }
    return more;
  }

  static CliException malformed() {
    return new CliException(ExitCodes.SERVER, "the server's envelope batch is malformed or was cut"
        + " short; nothing past the last complete page was recorded, run sync again");
  }

  private void readFully(byte[] b) throws IOException {
    try {
      in.readFully(b);
    } catch (EOFException e) {
      throw malformed();
    }
  }

  private int readUnsignedShort() throws IOException {
    try {
      return in.readUnsignedShort();
    } catch (EOFException e) {
      throw malformed();
    }
  }

  private int readInt() throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw malformed();
    }
  }

  /** One envelope's frames as a stream; ends at the zero-length frame. */
  private final class Body extends InputStream {
    private int left;
    private boolean done;

    private boolean fill() throws IOException {
      if (done) {
        return false;
      }
      if (left == 0) {
        int len = readInt();
        if (len == 0) {
          done = true;
          return false;
        }
        if (len < 0 || len > FRAME_BYTES) {
          throw malformed();
        }
        left = len;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw malformed();
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int r = in.read(b, off, Math.min(len, left));
      if (r < 0) {
        throw malformed();
      }
      left -= r;
      return r;
    }
  }
}

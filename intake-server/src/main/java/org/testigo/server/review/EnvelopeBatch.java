package org.testigo.server.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.testigo.api.wire.Submission;

/**
 * Writes an envelope batch v1 (docs/spec/reviewer-api-and-batches.md §4): one page of the submissions feed with
 * each envelope's ciphertext inline, so a reviewer syncs a page with one signed request.
 * <pre>
 *   "TGBATCH1"                                   8 bytes
 *   per item:  0x01, u16 n, n bytes of the item's feed JSON (UTF-8),
 *              the envelope as frames (u32 len in 1..FRAME_BYTES, len bytes)..., u32 0
 *   end:       0x00, u8 more (1 if the feed has items after this page, else 0)
 * </pre>
 * A server that fails mid-stream closes the connection without writing the end marker, so a
 * reader never takes a cut batch for a whole one.
 */
public final class EnvelopeBatch {
  public static final byte[] MAGIC = {'T', 'G', 'B', 'A', 'T', 'C', 'H', '1'};
  public static final int FRAME_BYTES = 64 * 1024;
  public static final int MAX_ITEM_JSON = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataOutputStream out;
  private final Frames frames;

  public EnvelopeBatch(OutputStream out) throws IOException {
    // Buffered: the item headers and frame lengths are a few bytes each, and every write that
    // reaches the HTTP response costs far more than a copy into a buffer (issue #22, JFR).
    this.out = new DataOutputStream(new BufferedOutputStream(out, FRAME_BYTES));
    this.frames = new Frames(this.out);
    this.out.write(MAGIC);
  }

  /** Writes one item: its feed entry, then the ciphertext that {@code body} copies. */
  public void item(Submission listing, Body body) throws IOException {
    byte[] json = JSON.writeValueAsBytes(listing);
    if (json.length > MAX_ITEM_JSON) {
      throw new IOException("feed entry too large for a batch");
    }
    out.writeByte(1);
    out.writeShort(json.length);
    out.write(json);
    body.copyTo(frames);
    frames.endItem();
  }

  /** Writes the end marker and flushes. */
  public void end(boolean more) throws IOException {
    out.writeByte(0);
    out.writeByte(more ? 1 : 0);
    out.flush();
  }

  /** Copies one envelope's ciphertext into the stream it is given. */
  @FunctionalInterface
  public interface Body {
    void copyTo(OutputStream out) throws IOException;
  }

  /**
   * Cuts what is written into frames of at most FRAME_BYTES; {@link #endItem} writes the last
   * frame and the 0 frame. One per batch: its buffer serves every item.
   */
  private static final class Frames extends OutputStream {
    private final DataOutputStream out;
    private final byte[] buffer = new byte[FRAME_BYTES];
    private int used;

    Frames(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (used == buffer.length) {
        emit();
      }
      buffer[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (used == buffer.length) {
          emit();
        }
        int n = Math.min(len, buffer.length - used);
        System.arraycopy(b, off, buffer, used, n);
        used += n;
        off += n;
        len -= n;
      }
    }

    private void emit() throws IOException {
      if (used > 0) {
        out.writeInt(used);
        out.write(buffer, 0, used);
        used = 0;
      }
    }

    void endItem() throws IOException {
      emit();
      out.writeInt(0);
    }
  }
}

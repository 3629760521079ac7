package org.testigo.api.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Byte caps on what the server sends (docs/spec/reviewer-api-and-batches.md §7.3). A compromised or seized server
 * may answer with an endless body; every read of a server answer goes through one of these
 * so that the reviewer tool stops at the cap, in bounded memory, with a one-line error
 * ({@link ClientException.Kind#SERVER}) instead of filling the disk or the heap.
 */
public final class Bounded {
  /** Small JSON answers: a reply key, the answer to a POST. */
  public static final int SMALL_JSON_BYTES = 64 * 1024;
  /** One page of {@code /events} or {@code /rewraps}. */
  public static final int PAGE_JSON_BYTES = 16 * 1024 * 1024;
  /** The armored manifest chain. */
  public static final int MANIFEST_BYTES = 4 * 1024 * 1024;

  private Bounded() {}

  /** A stream's bytes, at most {@code cap}; more is a {@link TooLargeException}. */
  public static byte[] readAll(InputStream in, int cap, String what) throws IOException {
    byte[] bytes = in.readNBytes(cap + 1);
    if (bytes.length > cap) {
      throw new TooLargeException(what, cap);
    }
    return bytes;
  }

  /** The server sent more than a cap allows; reading stopped there. */
  public static final class TooLargeException extends ClientException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String what, long cap) {
      super(ClientException.Kind.SERVER, what + " from the server is larger than " + cap
          + " bytes; stopped reading there, nothing of it was kept");
    }
  }

  /**
   * A stream that throws {@link TooLargeException} as soon as more than {@code cap} bytes
   * would be returned; the byte after the cap is read to tell "exactly the cap" from "more".
   */
  public static final class LimitedInputStream extends FilterInputStream {
    private final long cap;
    private final String what;
    private long count;

    public LimitedInputStream(InputStream in, long cap, String what) {
      super(in);
      this.cap = cap;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && ++count > cap) {
        throw new TooLargeException(what, cap);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      long room = cap - count;
      int n = super.read(b, off, room >= len ? len : (int) room + 1);
      if (n > 0) {
        count += n;
        if (count > cap) {
          throw new TooLargeException(what, cap);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}

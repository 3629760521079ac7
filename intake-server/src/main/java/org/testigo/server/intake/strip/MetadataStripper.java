package org.testigo.server.intake.strip;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Removes metadata from JPEG and PNG files while they stream into an envelope, for sources
 * without JavaScript (the browser applies the same rules itself, {@code strip.js}). The kind
 * is decided by the first bytes, never by the name or declared type; any other file passes
 * through unchanged.
 *
 * <p>JPEG: keeps SOI, every non-APP marker segment, the entropy-coded data and EOI; keeps
 * APP0 only as a bare "JFIF" header (length 16, no thumbnail) and APP14 "Adobe"; drops every
 * other APPn (EXIF with GPS, camera serials and thumbnails, XMP, ICC, MPF, IPTC) and COM
 * segments, also between scans, and everything after EOI. PNG: keeps the critical chunks and
 * a short list of rendering chunks ({@link #PNG_KEEP}); drops text, eXIf, iCCP, tIME and any
 * other chunk, and everything after IEND.
 *
 * <p>Memory is bounded: a JPEG marker segment (at most 65,537 bytes) is held until it is
 * complete; PNG chunks are copied or skipped as they arrive. A structure it cannot follow
 * throws {@link MalformedImageException} from {@code write} or {@code close}; the caller must
 * then discard everything written (the server rolls the whole submission back).
 *
 * <p>WARNING: it does not look inside the image data and does not handle other formats
 * (HEIC, WebP, PDF, video): their metadata is kept.
 */
public final class MetadataStripper extends FilterOutputStream {
  /** PNG chunk types that are kept. */
  public static final Set<String> PNG_KEEP = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA",
      "cHRM", "sRGB", "sBIT", "bKGD", "pHYs", "hIST", "acTL", "fcTL", "fdAT", "cICP");
  private static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

  /** The file is a JPEG or PNG whose structure could not be followed. */
  public static final class MalformedImageException extends IOException {
    public MalformedImageException() {
      super("image could not be cleaned");
    }
  }

  private enum Kind { UNKNOWN, JPEG, PNG, OTHER }

  private enum State { START, MARKER, ENTROPY, CHUNK, COPY, SKIP, TRAILER }

  private Kind kind = Kind.UNKNOWN;
  private State state = State.START;
  private byte[] pending = new byte[0];
  private boolean sawScan;
  private boolean iend;
  private long remaining;
  private int removed;
  private boolean trailerCounted;
  private boolean closed;

  public MetadataStripper(OutputStream out) {
    super(out);
  }

  /** How many segments or chunks were removed so far (trailing data counts as one). */
  public int removedCount() {
    return removed;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    byte[] p;
    if (pending.length == 0) {
      p = Arrays.copyOfRange(b, off, off + len);
    } else {
      p = Arrays.copyOf(pending, pending.length + len);
      System.arraycopy(b, off, p, pending.length, len);
    }
    if (kind == Kind.UNKNOWN) {
      if (p.length < 8) {
        pending = p;
        return;
      }
      kind = sniff(p);
    }
    int consumed = switch (kind) {
      case JPEG -> jpeg(p);
      case PNG -> png(p);
      default -> {
        out.write(p);
        yield p.length;
      }
    };
    pending = Arrays.copyOfRange(p, consumed, p.length);
  }

  private static Kind sniff(byte[] p) {
    if ((p[0] & 0xff) == 0xff && (p[1] & 0xff) == 0xd8 && (p[2] & 0xff) == 0xff) {
      return Kind.JPEG;
    }
    return Arrays.equals(p, 0, 8, PNG_SIG, 0, 8) ? Kind.PNG : Kind.OTHER;
  }

  private static boolean startsWith(byte[] p, int off, int len, String prefix) {
    byte[] s = prefix.getBytes(StandardCharsets.ISO_8859_1);
    return len >= s.length && Arrays.equals(p, off, off + s.length, s, 0, s.length);
  }

  /** Same decision as strip.js {@code jpegKeeps}. */
  static boolean jpegKeeps(int marker, byte[] p, int off, int len) {
    if (marker == 0xe0) {
      return len == 14 && startsWith(p, off, len, "JFIF\0");
    }
    if (marker == 0xee) {
      return startsWith(p, off, len, "Adobe");
    }
    return !((marker >= 0xe1 && marker <= 0xef) || marker == 0xfe);
  }

  private int jpeg(byte[] p) throws IOException {
    int o = 0;
    while (true) {
      int avail = p.length - o;
      switch (state) {
        case START -> {
          if (avail < 2) {
            return o;
          }
          out.write(p, o, 2);
          o += 2;
          state = State.MARKER;
        }
        case MARKER -> {
          if (avail < 2) {
            return o;
          }
          if ((p[o] & 0xff) != 0xff) {
            throw new MalformedImageException();
          }
          int i = o + 1;
          while (i < p.length && (p[i] & 0xff) == 0xff) {
            i++;
          }
          if (i >= p.length) {
            return i - 1;
          }
          int m = p[i] & 0xff;
          if (m == 0x00 || m == 0xd8) {
            throw new MalformedImageException();
          }
          if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
            out.write(0xff);
            out.write(m);
            o = i + 1;
            if (sawScan) {
              state = State.ENTROPY;
            }
            continue;
          }
          if (m == 0xd9) {
            out.write(0xff);
            out.write(0xd9);
            o = i + 1;
            state = State.TRAILER;
            continue;
          }
          if (p.length - i < 3) {
            return i - 1;
          }
          int len = ((p[i + 1] & 0xff) << 8) | (p[i + 2] & 0xff);
          if (len < 2) {
            throw new MalformedImageException();
          }
          if (p.length - (i + 1) < len) {
            return i - 1;
          }
          if (jpegKeeps(m, p, i + 3, len - 2)) {
            out.write(0xff);
            out.write(m);
            out.write(p, i + 1, len);
          } else {
            removed++;
          }
          o = i + 1 + len;
          if (m == 0xda) {
            sawScan = true;
            state = State.ENTROPY;
          }
        }
        case ENTROPY -> {
          int ff = -1;
          for (int k = o; k < p.length; k++) {
            if ((p[k] & 0xff) == 0xff) {
              ff = k;
              break;
            }
          }
          if (ff < 0) {
            out.write(p, o, p.length - o);
            return p.length;
          }
          out.write(p, o, ff - o);
          o = ff;
          if (p.length - o < 2) {
            return o;
          }
          int n = p[o + 1] & 0xff;
          if (n == 0x00 || (n >= 0xd0 && n <= 0xd7)) {
            out.write(p, o, 2);
            o += 2;
          } else if (n == 0xff) {
            o += 1;
          } else {
            state = State.MARKER;
          }
        }
        default -> {
          if (avail > 0 && !trailerCounted) {
            removed++;
            trailerCounted = true;
          }
          return p.length;
        }
      }
    }
  }

  private int png(byte[] p) throws IOException {
    int o = 0;
    while (true) {
      int avail = p.length - o;
      switch (state) {
        case START -> {
          if (avail < 8) {
            return o;
          }
          out.write(p, o, 8);
          o += 8;
          state = State.CHUNK;
        }
        case CHUNK -> {
          if (avail < 8) {
            return o;
          }
          long len = ((long) (p[o] & 0xff) << 24) | ((p[o + 1] & 0xff) << 16) | ((p[o + 2] & 0xff) << 8)
              | (p[o + 3] & 0xff);
          String type = new String(p, o + 4, 4, StandardCharsets.ISO_8859_1);
          if (len > 0x7fffffffL || !type.matches("[A-Za-z]{4}")) {
            throw new MalformedImageException();
          }
          remaining = len + 4;
          iend = type.equals("IEND");
          if (PNG_KEEP.contains(type)) {
            out.write(p, o, 8);
            state = State.COPY;
          } else {
            removed++;
            state = State.SKIP;
          }
          o += 8;
        }
        case COPY, SKIP -> {
          int n = (int) Math.min(avail, remaining);
          if (state == State.COPY && n > 0) {
            out.write(p, o, n);
          }
          o += n;
          remaining -= n;
          if (remaining > 0) {
            return o;
          }
          state = iend ? State.TRAILER : State.CHUNK;
        }
        default -> {
          if (avail > 0 && !trailerCounted) {
            removed++;
            trailerCounted = true;
          }
          return p.length;
        }
      }
    }
  }

  /** Checks the structure ended properly; does NOT close the underlying stream. */
  public void finish() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    switch (kind) {
      case UNKNOWN -> {
        if (pending.length >= 3 && (pending[0] & 0xff) == 0xff && (pending[1] & 0xff) == 0xd8
            && (pending[2] & 0xff) == 0xff) {
          throw new MalformedImageException(); // a JPEG of under 8 bytes
        }
        out.write(pending);
      }
      case JPEG -> {
        boolean ok = state == State.TRAILER || state == State.ENTROPY || (state == State.MARKER && sawScan);
        if (!ok) {
          throw new MalformedImageException();
        }
        if (state == State.ENTROPY) {
          out.write(pending);
        }
      }
      case PNG -> {
        if (state != State.TRAILER) {
          throw new MalformedImageException();
        }
      }
      default -> { }
    }
    pending = new byte[0];
  }

  /** {@link #finish()}, then closes the underlying stream. */
  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }
}

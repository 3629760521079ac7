package org.testigo.crypto.custody;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.testigo.crypto.Base32;

/**
 * Printable share v1: a root-key share on paper, for a custodian's safe. It is the share
 * itself, NOT encrypted (a single share reveals nothing of the root key; a thief needs m of
 * them), so it must be kept as carefully as the passphrase of the share file.
 *
 * <p>The share bytes {@code 0x01 || share header v1 || share value (32)} are written in
 * RFC 4648 base32 (A–Z, 2–7), 20 characters per numbered line in groups of five, each line
 * followed by a 2-character line check (10 bits of SHA-256 over the line number and its
 * characters), then a {@code check:} line of 8 characters (40 bits of SHA-256 over all the
 * bytes). A typo is reported with its line number; the human-readable lines (custodian,
 * share number, root fingerprint, ceremony) must agree with the encoded bytes. Byte layout:
 * docs/spec/manifest-and-custody.md.
 *
 * <p>Parsing is tolerant of how people copy text: upper or lower case, extra spaces and
 * hyphens, {@code 0}/{@code 1}/{@code 8} read as {@code O}/{@code I}/{@code B}, blank lines,
 * text around the block. It is strict on content: every check must match.
 */
public final class PrintableShare {
  public static final int VERSION = 1;
  public static final String TITLE = "TESTIGO ROOT KEY SHARE v1";
  public static final String END = "END OF SHARE";
  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final int LINE_CHARS = 20;
  static final String LINE_DOMAIN = "testigo-share-line-v1";
  static final String CHECK_DOMAIN = "testigo-share-v1";

  private PrintableShare() {}

  /** The printable text of {@code share}, lines ending in LF. */
  public static String toText(RootShare share) {
    ShareHeader h = share.header();
    byte[] payload = payload(share);
    try {
      String b32 = base32(payload);
      StringBuilder sb = new StringBuilder();
      sb.append(TITLE).append('\n');
      sb.append(headerLines(h));
      int lineNo = 1;
      for (int i = 0; i < b32.length(); i += LINE_CHARS, lineNo++) {
        String chunk = b32.substring(i, Math.min(b32.length(), i + LINE_CHARS));
        sb.append(String.format(Locale.ROOT, "%02d ", lineNo));
        for (int g = 0; g < chunk.length(); g += 5) {
          sb.append(' ').append(chunk, g, Math.min(chunk.length(), g + 5));
        }
        sb.append("   ").append(lineCheck(lineNo, chunk)).append('\n');
      }
      sb.append("check: ").append(totalCheck(payload)).append('\n');
      sb.append(END).append('\n');
      return sb.toString();
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  /**
   * Parses the printable text back into a share.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and where
   */
  public static RootShare parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no share text");
    }
    List<String> lines = new ArrayList<>();
    boolean inside = false;
    boolean ended = false;
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      String l = raw.strip();
      if (l.equalsIgnoreCase(TITLE)) {
        if (inside || ended) {
          throw new IllegalArgumentException("more than one share in the text");
        }
        inside = true;
      } else if (l.equalsIgnoreCase(END) && inside) {
        inside = false;
        ended = true;
      } else if (inside && !l.isEmpty()) {
        lines.add(l);
      }
    }
    if (!ended) {
      throw new IllegalArgumentException(inside
          ? "no '" + END + "' line: the share text is cut short"
          : "no '" + TITLE + "' line: this is not a printed share");
    }
    if (lines.size() < 6) {
      throw new IllegalArgumentException("the share text is incomplete");
    }
    List<String> headers = lines.subList(0, 4);
    String check = field(lines.get(lines.size() - 1), "check");
    StringBuilder b32 = new StringBuilder();
    List<String> dataLines = lines.subList(4, lines.size() - 1);
    for (int i = 0; i < dataLines.size(); i++) {
      int lineNo = i + 1;
      String l = dataLines.get(i);
      String[] parts = l.split("\\s+", 2);
      int number;
      try {
        number = Integer.parseInt(parts[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + lineNo + " of the share does not start"
            + " with its line number");
      }
      if (number != lineNo || parts.length < 2) {
        throw new IllegalArgumentException("share line " + lineNo + " is missing or out of"
            + " order (found line " + parts[0] + ")");
      }
      String chars = normalise(parts[1]);
      if (chars.length() < 3) {
        throw new IllegalArgumentException("share line " + lineNo + " is too short");
      }
      String data = chars.substring(0, chars.length() - 2);
      String lc = chars.substring(chars.length() - 2);
      if (data.length() > LINE_CHARS || (i < dataLines.size() - 1 && data.length() != LINE_CHARS)
          || !lineCheck(lineNo, data).equals(lc)) {
        throw new IllegalArgumentException("share line " + lineNo + " does not match its"
            + " check characters: a character on that line was mistyped");
      }
      b32.append(data);
    }
    byte[] payload = unbase32(b32.toString());
    try {
      if (!totalCheck(payload).equals(normalise(check))) {
        throw new IllegalArgumentException("the share's final check does not match: lines"
            + " were swapped, lost or mistyped");
      }
      ShareHeader h;
      byte[] value = new byte[RootShare.VALUE_LENGTH];
      try {
        ByteBuffer b = ByteBuffer.wrap(payload);
        if (b.get() != VERSION) {
          throw new IllegalArgumentException("unsupported printable share version");
        }
        h = ShareHeader.decode(b);
        b.get(value);
        if (b.hasRemaining()) {
          throw new IllegalArgumentException("the share data is too long");
        }
      } catch (BufferUnderflowException e) {
        throw new IllegalArgumentException("the share data is too short");
      }
      try {
        String expected = headerLines(h);
        String given = String.join("\n", headers) + "\n";
        if (!canonicalHeader(expected).equals(canonicalHeader(given))) {
          throw new IllegalArgumentException("the custodian, share, fingerprint or ceremony"
              + " lines do not match the share data");
        }
        return new RootShare(h, value);
      } finally {
        Arrays.fill(value, (byte) 0);
      }
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  private static String headerLines(ShareHeader h) {
    return "custodian: " + h.custodian() + "\n"
        + String.format(Locale.ROOT, "share: %d of %d (any %d rebuild the root key)%n",
            h.index(), h.total(), h.threshold()).replace("\r", "")
        + "root fingerprint: " + h.rootFingerprint().shortForm() + "\n"
        + "ceremony: " + h.createdAt().atOffset(ZoneOffset.UTC).toLocalDate() + " "
        + h.ceremonyId() + "\n";
  }

  private static String canonicalHeader(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[ \\t]+", " ").replaceAll(" ?\n ?", "\n")
        .strip();
  }

  private static String field(String line, String name) {
    if (!line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
      throw new IllegalArgumentException("expected a '" + name + ":' line before '" + END
          + "'");
    }
    return line.substring(name.length() + 1).strip();
  }

  private static byte[] payload(RootShare share) {
    byte[] h = share.header().encode();
    return ByteBuffer.allocate(1 + h.length + RootShare.VALUE_LENGTH).put((byte) VERSION).put(h)
        .put(share.exposeSecret()).array();
  }

  /** Upper case, no spaces or hyphens, 0/1/8 read as O/I/B; rejects other characters. */
  static String normalise(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == ' ' || c == '-' || c == '\t') {
        continue;
      }
      char d = switch (c) {
        case '0' -> 'O';
        case '1' -> 'I';
        case '8' -> 'B';
        default -> c;
      };
      if (ALPHABET.indexOf(d) < 0) {
        throw new IllegalArgumentException("'" + c + "' is not a share character (A-Z, 2-7)");
      }
      out.append(d);
    }
    return out.toString();
  }

  static String lineCheck(int lineNo, String data) {
    MessageDigest md = sha256();
    md.update(LINE_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    md.update((byte) 0);
    md.update((byte) lineNo);
    md.update(data.getBytes(StandardCharsets.US_ASCII));
    return base32(md.digest()).substring(0, 2);
  }

  static String totalCheck(byte[] payload) {
    MessageDigest md = sha256();
    md.update(CHECK_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    md.update((byte) 0);
    md.update(payload);
    return base32(md.digest()).substring(0, 8);
  }

  /** RFC 4648 base32 without padding, uppercase. */
  static String base32(byte[] data) {
    return Base32.encodeUpper(data);
  }

  /** Inverse of {@link #base32}; the unused trailing bits must be zero. */
  static byte[] unbase32(String s) {
    try {
      return Base32.decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the share data has the wrong length");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

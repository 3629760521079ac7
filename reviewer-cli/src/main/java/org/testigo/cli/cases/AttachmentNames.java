package org.testigo.cli.cases;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * File names for attachments written by {@code files} and {@code export}. The name in a
 * report is chosen by whoever wrote it, so it is treated as hostile (docs/spec/reviewer-api-and-batches.md §7.3):
 *
 * <ul>
 *   <li>only the last path segment is kept ({@code /} and {@code \} end a segment), NFC;</li>
 *   <li>C0 and C1 controls, DEL, bidirectional controls (U+202A–202E, U+2066–2069, U+200E,
 *       U+200F, U+061C) and unpaired surrogates are dropped;</li>
 *   <li>the characters Windows reserves ({@code < > : " | ? *}) become {@code _};</li>
 *   <li>leading dots and spaces, trailing dots and spaces are removed, so no name is
 *       {@code .}, {@code ..} or hidden; a Windows device name ({@code CON}, {@code NUL},
 *       {@code COM1}, … with any extension) gets a {@code _} prefix;</li>
 *   <li>the name is cut to {@link #MAX_CODE_POINTS} code points and {@link #MAX_BYTES} UTF-8
 *       bytes, at a code point boundary (a surrogate pair is never split), keeping a short
 *       extension; that leaves room for a {@code -NNNN} suffix within 255 bytes;</li>
 *   <li>an empty result becomes {@code attachment-N}; a name already given in this run
 *       (compared case-insensitively) gets {@code -2}, {@code -3}, … before its extension.</li>
 * </ul>
 *
 * Not thread-safe: one instance per command run.
 */
public final class AttachmentNames {
  public static final int MAX_CODE_POINTS = 120;
  public static final int MAX_BYTES = 200;
  static final int MAX_EXTENSION_CODE_POINTS = 16;
  private final Set<String> given = new HashSet<>();
  /** Per safe name (lower case), the next suffix to try: a report of 50,000 parts all named
   * {@code a} must not try {@code -2, -3, …} from the start for each (quadratic: hours). */
  private final Map<String, Integer> nextSuffix = new HashMap<>();

  /** A safe name for the {@code n}-th attachment, unique among the names this instance gave. */
  public String next(String name, int n) {
    String safe = sanitize(name, n);
    String key = safe.toLowerCase(Locale.ROOT);
    if (given.add(key)) {
      return safe;
    }
    int dot = extensionStart(safe);
    int k = nextSuffix.getOrDefault(key, 2);
    String candidate;
    do {
      candidate = safe.substring(0, dot) + "-" + k++ + safe.substring(dot);
    } while (!given.add(candidate.toLowerCase(Locale.ROOT)));
    nextSuffix.put(key, k);
    return candidate;
  }

  /** The safe form of one name (no deduplication); {@code attachment-N} if nothing is left. */
  public static String sanitize(String name, int n) {
    String s = name == null ? "" : name;
    s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
    s = Normalizer.normalize(s, Normalizer.Form.NFC);
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (dropped(c)) {
        return;
      }
      b.appendCodePoint("<>:\"|?*".indexOf(c) >= 0 ? '_' : c);
    });
    s = b.toString().replaceFirst("^[\\s.]+", "").replaceFirst("[\\s.]+$", "");
    if (s.isEmpty()) {
      return "attachment-" + n;
    }
    String stem = s.split("\\.", 2)[0].strip().toUpperCase(Locale.ROOT);
    if (stem.matches("CON|PRN|AUX|NUL|CLOCK\\$|CONIN\\$|CONOUT\\$|(COM|LPT)[0-9¹²³]")) {
      s = "_" + s;
    }
    return truncate(s);
  }

  static boolean dropped(int c) {
    boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    boolean bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
        || c == 0x061c;
    return control || bidi || Character.isSurrogate((char) c) && c <= 0xffff;
  }

  /** Cut to the limits at a code point boundary, keeping a short extension. */
  static String truncate(String s) {
    if (fits(s)) {
      return s;
    }
    int dot = extensionStart(s);
    String ext = s.substring(dot);
    if (ext.codePointCount(0, ext.length()) > MAX_EXTENSION_CODE_POINTS) {
      ext = "";
      dot = s.length();
    }
    String stem = s.substring(0, dot);
    int cps = stem.codePointCount(0, stem.length());
    while (cps > 1 && !fits(stem + ext)) {
      stem = stem.substring(0, stem.offsetByCodePoints(0, --cps));
    }
    String out = (stem + ext).replaceFirst("[\\s.]+$", "");
    while (!fits(out)) {
      out = out.substring(0, out.offsetByCodePoints(0, out.codePointCount(0, out.length()) - 1));
    }
    return out;
  }

  private static boolean fits(String s) {
    return s.codePointCount(0, s.length()) <= MAX_CODE_POINTS
        && s.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /** Index of the extension's dot, or the length if there is none (a leading dot is no extension). */
  private static int extensionStart(String s) {
    int dot = s.lastIndexOf('.');
    return dot > 0 ? dot : s.length();
  }
}

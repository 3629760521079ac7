package org.testigo.cli.cases;

/**
 * Makes untrusted text safe to print on a terminal: a report is written by anyone, and an
 * escape sequence in it could rewrite the screen or the window title. Control characters
 * (C0 and C1, DEL) other than line feed and tab, and Unicode bidirectional controls, become
 * U+FFFD.
 */
public final class Text {
  private Text() {}

  public static String safe(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(unsafe(c) ? 0xfffd : c));
    return b.toString();
  }

  /**
   * True for what {@link #safe} replaces: a control character (C0 and C1, DEL) other than line
   * feed and tab, or a Unicode bidirectional control.
   */
  public static boolean unsafe(int c) {
    boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    boolean bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
        || c == 0x061c;
    return control || bidi;
  }

  /** As {@link #safe} and on one line (line breaks and tabs become spaces), cut to {@code max}. */
  public static String cell(String s, int max) {
    String one = safe(s).replace('\n', ' ').replace('\t', ' ');
    return one.codePointCount(0, one.length()) <= max ? one
        : one.substring(0, one.offsetByCodePoints(0, max - 1)) + "…";
  }
}

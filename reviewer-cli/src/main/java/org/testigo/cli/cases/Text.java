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
    if (plain(s, false)) {
      return s;
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

  /**
   * True if {@code s} is printable ASCII (and, unless {@code tabsAndBreaks}, has no tab or line
   * break): {@link #safe} and {@link #cell} have nothing to replace. The common case, checked
   * first because {@code list} formats every cell of every report.
   */
  private static boolean plain(String s, boolean tabsAndBreaks) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        continue;
      }
      if (tabsAndBreaks || (c != '\n' && c != '\t')) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #safe} and on one line (line breaks and tabs become spaces), cut to {@code max}. */
  public static String cell(String s, int max) {
    if (s != null && s.length() <= max && plain(s, true)) {
      return s;
    }
    String one = safe(s).replace('\n', ' ').replace('\t', ' ');
    return one.codePointCount(0, one.length()) <= max ? one
        : one.substring(0, one.offsetByCodePoints(0, max - 1)) + "…";
  }
}

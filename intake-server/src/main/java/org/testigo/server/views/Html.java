package org.testigo.server.views;

/**
 * A small HTML writer that escapes every text and attribute value. Pages contain no script,
 * no inline style and no external resource.
 */
public final class Html {
  private final StringBuilder sb = new StringBuilder(8192);

  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // controls (but line feed and tab) and bidi embeddings, overrides and isolates are
          // never shown: a reply or a name could otherwise reverse or hide what follows it
          if (!shown(c)) {
            continue;
          }
          out.append(c);
        }
      }
    }
    return out.toString();
  }

  private static boolean shown(char c) {
    if (c == '\n' || c == '\t') {
      return true;
    }
    return !(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f' || c == '\u061c');
  }

  /** Appends markup written by this code (never user or message text). */
  public Html tag(String markup) {
    sb.append(markup);
    return this;
  }

  public Html text(String text) {
    sb.append(escape(text));
    return this;
  }

  /** {@code <name attrs>text</name>} with the text escaped. */
  public Html el(String name, String text) {
    sb.append('<').append(name).append('>').append(escape(text)).append("</")
        .append(name.split(" ")[0]).append('>');
    return this;
  }

  public Html attr(String name, String value) {
    sb.append(' ').append(name).append("=\"").append(escape(value)).append('"');
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}

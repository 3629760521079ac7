package org.testigo.server.edge;

/**
 * The one form of a request path that this server accepts, checked on the raw path exactly as
 * it arrived (before any decoding). Two spellings of one resource let one layer see a path that
 * another layer routes elsewhere: wave 1's reviewer API answered {@code /api/v1/reviewer;x/...}
 * without a signature because the authentication filter and the router read the path
 * differently. A path in canonical form decodes to itself, so every layer sees the same thing.
 *
 * <p>Canonical means: it starts with {@code /}; it is at most {@link #MAX_LENGTH} characters of
 * printable ASCII; it has no path parameter ({@code ;}), no backslash, no empty segment (a
 * doubled or trailing slash; {@code /} alone is the one exception), no {@code .} or
 * {@code ..} segment; and no percent-encoding at all. Every path this server serves is made of
 * letters, digits, {@code -}, {@code _}, {@code .} and {@code /}, so a client never needs one.
 */
public final class CanonicalPath {
  public static final int MAX_LENGTH = 2048;

  private CanonicalPath() {}

  /** Null if the raw path is canonical, else a short reason (for tests; never sent or logged). */
  public static String problem(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return "not absolute";
    }
    if (rawPath.length() > MAX_LENGTH) {
      return "too long";
    }
    if (rawPath.equals("/")) {
      return null;
    }
    int segmentStart = 1;
    for (int i = 1; i <= rawPath.length(); i++) {
      char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
      if (c == '/') {
        String segment = rawPath.substring(segmentStart, i);
        if (segment.isEmpty()) {
          return "empty segment";
        }
        if (segment.equals(".") || segment.equals("..")) {
          return "dot segment";
        }
        segmentStart = i + 1;
      } else if (c == ';') {
        return "path parameter";
      } else if (c == '%') {
        return "percent-encoding";
      } else if (c == '\\') {
        return "backslash";
      } else if (c <= 0x20 || c >= 0x7f) {
        return "not printable ASCII";
      } else if (!allowed(c)) {
        return "character outside the path alphabet";
      }
    }
    return null;
  }

  public static boolean isCanonical(String rawPath) {
    return problem(rawPath) == null;
  }

  /** RFC 3986 pchar without pct-encoded and without ';' (unreserved, sub-delims, ':' and '@'). */
  private static boolean allowed(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
  }
}

package org.testigo.crypto.httpsig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (Structured Field Values for HTTP) that HTTP message signatures use:
 * dictionaries whose members are inner lists or items, with parameters; items that are
 * strings, tokens, integers, byte sequences or booleans. Parsing is strict (RFC 8941
 * section 4.2): any syntax error throws {@link IllegalArgumentException}; serialization is
 * canonical (section 4.1).
 */
public final class StructuredFields {
  private StructuredFields() {}

  /** A token (RFC 8941 section 3.3.4), kept apart from strings. */
  public record Token(String value) {}

  /** An item or inner list with its parameters (insertion order kept). */
  public record Member(Object value, Map<String, Object> params) {
    /** The value as an inner list of items. */
    @SuppressWarnings("unchecked")
    public List<Member> innerList() {
      if (!(value instanceof List<?>)) {
        throw new IllegalArgumentException("not an inner list");
      }
      return (List<Member>) value;
    }
  }

  /** Parses a Dictionary field value. Keys are unique (a later duplicate replaces, per RFC 8941). */
  public static Map<String, Member> parseDictionary(String field) {
    Parser p = new Parser(field);
    Map<String, Member> out = new LinkedHashMap<>();
    p.skipSp();
    if (p.atEnd()) {
      return out;
    }
    while (true) {
      String key = p.key();
      Member m;
      if (p.peek('=')) {
        p.pos++;
        m = p.itemOrInnerList();
      } else {
        m = new Member(Boolean.TRUE, p.params());
      }
      out.put(key, m);
      p.skipOws();
      if (p.atEnd()) {
        return out;
      }
      p.expect(',');
      p.skipOws();
      if (p.atEnd()) {
        throw new IllegalArgumentException("trailing comma");
      }
    }
  }

  /** Serializes an inner list of bare items with parameters, e.g. {@code ("a" "b");x=1}. */
  public static String serializeInnerList(List<?> items, Map<String, Object> params) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(serializeBareItem(items.get(i)));
    }
    b.append(')');
    appendParams(b, params);
    return b.toString();
  }

  /** Serializes a bare item: String, Token, Long/Integer, byte[] or Boolean. */
  public static String serializeBareItem(Object v) {
    if (v instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("sf-string allows printable ASCII only");
        }
        if (c == '"' || c == '\\') {
          b.append('\\');
        }
        b.append(c);
      }
      return b.append('"').toString();
    }
    if (v instanceof Token t) {
      return t.value();
    }
    if (v instanceof Long || v instanceof Integer) {
      long n = ((Number) v).longValue();
      if (Math.abs(n) > 999_999_999_999_999L) {
        throw new IllegalArgumentException("sf-integer out of range");
      }
      return Long.toString(n);
    }
    if (v instanceof byte[] bytes) {
      return ":" + Base64.getEncoder().encodeToString(bytes) + ":";
    }
    if (v instanceof Boolean bool) {
      return bool ? "?1" : "?0";
    }
    throw new IllegalArgumentException("unsupported sf item");
  }

  private static void appendParams(StringBuilder b, Map<String, Object> params) {
    for (Map.Entry<String, Object> e : params.entrySet()) {
      b.append(';').append(e.getKey());
      if (!Boolean.TRUE.equals(e.getValue())) {
        b.append('=').append(serializeBareItem(e.getValue()));
      }
    }
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0x7e) {
          throw new IllegalArgumentException("non-ASCII in structured field");
        }
      }
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    boolean peek(char c) {
      return !atEnd() && s.charAt(pos) == c;
    }

    void expect(char c) {
      if (!peek(c)) {
        throw new IllegalArgumentException("expected '" + c + "'");
      }
      pos++;
    }

    void skipSp() {
      while (peek(' ')) {
        pos++;
      }
    }

    void skipOws() {
      while (peek(' ') || peek('\t')) {
        pos++;
      }
    }

    String key() {
      int start = pos;
      if (atEnd() || !(isLcAlpha(s.charAt(pos)) || s.charAt(pos) == '*')) {
        throw new IllegalArgumentException("bad key");
      }
      pos++;
      while (!atEnd()) {
        char c = s.charAt(pos);
        if (isLcAlpha(c) || Character.isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*') {
          pos++;
        } else {
          break;
        }
      }
      return s.substring(start, pos);
    }

    Member itemOrInnerList() {
      if (peek('(')) {
        pos++;
        List<Member> items = new ArrayList<>();
        while (true) {
          skipSp();
          if (peek(')')) {
            pos++;
            return new Member(List.copyOf(items), params());
          }
          items.add(new Member(bareItem(), params()));
          if (!peek(' ') && !peek(')')) {
            throw new IllegalArgumentException("bad inner list");
          }
        }
      }
      return new Member(bareItem(), params());
    }

    Map<String, Object> params() {
      Map<String, Object> out = new LinkedHashMap<>();
      while (peek(';')) {
        pos++;
        skipSp();
        String k = key();
        Object v = Boolean.TRUE;
        if (peek('=')) {
          pos++;
          v = bareItem();
        }
        out.put(k, v);
      }
      return out;
    }

    Object bareItem() {
      if (atEnd()) {
        throw new IllegalArgumentException("missing item");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        return string();
      }
      if (c == ':') {
        return bytes();
      }
      if (c == '?') {
        pos++;
        if (peek('1')) {
          pos++;
          return Boolean.TRUE;
        }
        if (peek('0')) {
          pos++;
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("bad boolean");
      }
      if (c == '-' || Character.isDigit(c)) {
        return integer();
      }
      if (Character.isLetter(c) || c == '*') {
        int start = pos;
        pos++;
        while (!atEnd() && isTokenChar(s.charAt(pos))) {
          pos++;
        }
        return new Token(s.substring(start, pos));
      }
      throw new IllegalArgumentException("bad item");
    }

    String string() {
      pos++;
      StringBuilder b = new StringBuilder();
      while (!atEnd()) {
        char c = s.charAt(pos++);
        if (c == '\\') {
          if (atEnd()) {
            break;
          }
          char n = s.charAt(pos++);
          if (n != '"' && n != '\\') {
            throw new IllegalArgumentException("bad escape");
          }
          b.append(n);
        } else if (c == '"') {
          return b.toString();
        } else if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("bad string character");
        } else {
          b.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated string");
    }

    byte[] bytes() {
      pos++;
      int end = s.indexOf(':', pos);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated byte sequence");
      }
      String b64 = s.substring(pos, end);
      if (!b64.matches("[A-Za-z0-9+/=]*")) {
        throw new IllegalArgumentException("bad byte sequence");
      }
      pos = end + 1;
      byte[] out = Base64.getDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII));
      if (!Base64.getEncoder().encodeToString(out).equals(b64)) {
        throw new IllegalArgumentException("non-canonical byte sequence");
      }
      return out;
    }

    Long integer() {
      int start = pos;
      if (peek('-')) {
        pos++;
      }
      int digits = 0;
      while (!atEnd() && Character.isDigit(s.charAt(pos))) {
        pos++;
        digits++;
      }
      if (digits == 0 || digits > 15) {
        throw new IllegalArgumentException("bad integer");
      }
      if (peek('.')) {
        throw new IllegalArgumentException("decimals are not used here");
      }
      return Long.parseLong(s.substring(start, pos));
    }

    private static boolean isLcAlpha(char c) {
      return c >= 'a' && c <= 'z';
    }

    private static boolean isTokenChar(char c) {
      return c > 0x20 && c < 0x7f && "\"(),;<=>?@[\\]{}".indexOf(c) < 0 || c == ':' || c == '/';
    }
  }
}

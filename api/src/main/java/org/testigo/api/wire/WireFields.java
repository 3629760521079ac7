package org.testigo.api.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks of single fields the server sends, before anything is cached (docs/spec/reviewer-api-and-batches.md §7.3).
 * Strict about types: a number sent as a string, a string sent as a number, a fraction, a
 * negative size or an impossible date is an {@link InvalidEntryException} naming the field
 * only (never its value, which may hold terminal escapes).
 */
public final class WireFields {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  /** The earliest and latest day a submission or rewrap may carry. */
  public static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
  public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  private WireFields() {}

  /** One entry of a server list was refused; {@link #field} names what was wrong. */
  public static final class InvalidEntryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidEntryException(String field) {
      super("bad or missing field '" + field + "'", null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  public static long positiveLong(JsonNode o, String field) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1) {
      throw new InvalidEntryException(field);
    }
    return n.asLong();
  }

  /** An integer in {@code min..max}; {@code absent} when the field is missing (older servers). */
  public static int intIn(JsonNode o, String field, int min, int max, int absent) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null) {
      return absent;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
      throw new InvalidEntryException(field);
    }
    return n.asInt();
  }

  public static String hex(JsonNode o, String field, int chars) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || n.asText().length() != chars || !HEX.matcher(n.asText()).matches()) {
      throw new InvalidEntryException(field);
    }
    return n.asText();
  }

  public static String oneOf(JsonNode o, String field, String... allowed) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n != null && n.isTextual()) {
      for (String a : allowed) {
        if (a.equals(n.asText())) {
          return a;
        }
      }
    }
    throw new InvalidEntryException(field);
  }

  /** A day {@code YYYY-MM-DD} (exactly that form) from 2000-01-01 to 9999-12-31. */
  public static LocalDate day(JsonNode o, String field) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || !n.asText().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
      throw new InvalidEntryException(field);
    }
    try {
      LocalDate d = LocalDate.parse(n.asText());
      if (d.isBefore(FIRST_DAY) || d.isAfter(LAST_DAY)) {
        throw new InvalidEntryException(field);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new InvalidEntryException(field);
    }
  }

  public static Instant instant(JsonNode o, String field) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || n.asText().length() > 40) {
      throw new InvalidEntryException(field);
    }
    try {
      return Instant.parse(n.asText());
    } catch (DateTimeParseException e) {
      throw new InvalidEntryException(field);
    }
  }

  /** Boolean, or {@code absent} when missing. */
  public static boolean bool(JsonNode o, String field, boolean absent) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw new InvalidEntryException(field);
    }
    return n.asBoolean();
  }

  /** Standard base64 decoding to at most {@code maxBytes} bytes. */
  public static byte[] base64(JsonNode o, String field, int maxBytes) throws InvalidEntryException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || n.asText().length() > (maxBytes + 2L) / 3 * 4) {
      throw new InvalidEntryException(field);
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(field);
    }
  }
}

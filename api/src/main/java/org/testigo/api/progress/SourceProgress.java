package org.testigo.api.progress;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Source progress record v1: a status line a reviewer publishes to the source of a report,
 * carried as the only part ({@code progress}) of a reply payload, sealed to the report's reply
 * key (docs/spec/receipt-and-mailbox.md §4). The source's status page renders it from a fixed
 * vocabulary in the page's language; only the institution and reference are free text, and
 * they are short, single-line, without control or formatting characters (no bidi overrides).
 *
 * <p>{@code n} numbers the publications of one case (1, 2, …): replies are stored by day
 * only, so the page orders the lines by it, highest (the current status) first.
 *
 * <p>{@link #parse} is strict (exactly the fields of the status, no duplicate keys, no trailing
 * data, at most {@link #MAX_BYTES}); its errors never repeat the input. {@link #encode} writes
 * the canonical form, so {@code encode(parse(x))} equals {@code x} for every canonical record.
 */
public record SourceProgress(int n, Status status, String institution, String reference, Outcome outcome) {
  public static final int VERSION = 1;
  /** The payload part name carrying the record. */
  public static final String PART = "progress";
  /** The part's media type. */
  public static final String MEDIA_TYPE = "application/json";
  /** Largest record accepted, in bytes of UTF-8. */
  public static final int MAX_BYTES = 1024;
  /** Longest institution name, in code points. */
  public static final int MAX_INSTITUTION = 100;
  /** Longest reference number, in code points. */
  public static final int MAX_REFERENCE = 60;
  /** Largest publication number. */
  public static final int MAX_N = 99_999;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  /** The statuses a source can be shown. */
  public enum Status {
    RECEIVED, INVESTIGATING, REFERRED, CLOSED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outcomes a source can be shown (spam is never published). */
  public enum Outcome {
    SUBSTANTIATED, UNSUBSTANTIATED, INSUFFICIENT_EVIDENCE, DUPLICATE, WITHDRAWN, REFERRED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Thrown for bytes that are not a valid record v1; the message names a field, never a value. */
  public static final class InvalidProgressException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidProgressException(String message) {
      super(message, null, false, false);
    }
  }

  public SourceProgress {
    if (n < 1 || n > MAX_N) {
      throw new IllegalArgumentException("the publication number n is 1-" + MAX_N);
    }
    if (status == null) {
      throw new IllegalArgumentException("a status is required");
    }
    if ((status == Status.REFERRED) != (institution != null)) {
      throw new IllegalArgumentException("an institution is given exactly with status referred");
    }
    if (reference != null && status != Status.REFERRED) {
      throw new IllegalArgumentException("a reference is given only with status referred");
    }
    if ((status == Status.CLOSED) != (outcome != null)) {
      throw new IllegalArgumentException("an outcome is given exactly with status closed");
    }
    if (institution != null && !line(institution, MAX_INSTITUTION)) {
      throw new IllegalArgumentException("the institution is 1-" + MAX_INSTITUTION
          + " characters on one line, without control characters or outer spaces");
    }
    if (reference != null && !line(reference, MAX_REFERENCE)) {
      throw new IllegalArgumentException("the reference is 1-" + MAX_REFERENCE
          + " characters on one line, without control characters or outer spaces");
    }
  }

  /** The {@code n}-th publication of the case (1 for the first): the page shows the highest as current. */
  public static SourceProgress received(int n) {
    return new SourceProgress(n, Status.RECEIVED, null, null, null);
  }

  public static SourceProgress investigating(int n) {
    return new SourceProgress(n, Status.INVESTIGATING, null, null, null);
  }

  /** Referred to {@code institution}, with {@code reference} or null. */
  public static SourceProgress referred(int n, String institution, String reference) {
    return new SourceProgress(n, Status.REFERRED, institution, reference, null);
  }

  public static SourceProgress closed(int n, Outcome outcome) {
    return new SourceProgress(n, Status.CLOSED, null, null, outcome);
  }

  /** The canonical UTF-8 JSON: v, status, then institution, reference or outcome. */
  public byte[] encode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("n", n);
    o.put("status", status.code());
    if (institution != null) {
      o.put("institution", institution);
    }
    if (reference != null) {
      o.put("reference", reference);
    }
    if (outcome != null) {
      o.put("outcome", outcome.code());
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("JSON encoding of a tree cannot fail", e);
    }
  }

  /**
   * The whole reply payload (payload container v1) carrying this record: exactly one part,
   * header {@code {"name":"progress","type":"application/json"}}, body {@link #encode()}.
   */
  public byte[] payload() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PART, null, MEDIA_TYPE), encode());
      w.finish();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  /**
   * The record a reply payload carries, or empty for a reply without a {@code progress} part
   * (an ordinary reply). A payload with a {@code progress} part is valid only if that part is
   * its only part, with the header written by {@link #payload()} and a valid record as body;
   * anything else is refused, so a progress record is never shown beside other content.
   *
   * @throws InvalidProgressException for a progress payload that breaks these rules, or a
   *     payload container that does not parse
   */
  public static Optional<SourceProgress> fromReplyPayload(byte[] plain) throws InvalidProgressException {
    try {
      PayloadReader reader = new PayloadReader(new ByteArrayInputStream(plain));
      PayloadReader.Part first = reader.next();
      if (first == null || !PART.equals(first.header().name())) {
        for (PayloadReader.Part p = first; p != null; p = reader.next()) {
          if (PART.equals(p.header().name())) {
            throw new InvalidProgressException("a progress part must be the only part of its reply");
          }
        }
        return Optional.empty();
      }
      if (first.header().filename() != null || !MEDIA_TYPE.equals(first.header().type())) {
        throw new InvalidProgressException("the progress part's header is not the one of record v1");
      }
      byte[] body = first.body().readNBytes(MAX_BYTES + 1);
      if (first.body().read() != -1 || body.length > MAX_BYTES) {
        throw new InvalidProgressException("progress record is empty or too large");
      }
      if (reader.next() != null) {
        throw new InvalidProgressException("a progress part must be the only part of its reply");
      }
      return Optional.of(parse(body));
    } catch (IOException e) {
      throw new InvalidProgressException("the reply payload is malformed");
    }
  }

  /** Parses and validates record v1. */
  public static SourceProgress parse(byte[] json) throws InvalidProgressException {
    if (json == null || json.length == 0 || json.length > MAX_BYTES) {
      throw new InvalidProgressException("progress record is empty or too large");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new InvalidProgressException("progress record is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProgressException("progress record is not a JSON object");
    }
    JsonNode v = root.get("v");
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() != VERSION) {
      throw new InvalidProgressException("progress record version is not 1");
    }
    JsonNode nn = root.get("n");
    if (nn == null || !nn.isIntegralNumber() || !nn.canConvertToInt() || nn.asInt() < 1 || nn.asInt() > MAX_N) {
      throw new InvalidProgressException("field 'n' must be a whole number from 1 to " + MAX_N);
    }
    Status status = code(Status.class, text(root, "status"), "status");
    String institution = null;
    String reference = null;
    Outcome outcome = null;
    Set<String> fields;
    switch (status) {
      case REFERRED -> {
        institution = text(root, "institution");
        reference = root.has("reference") ? text(root, "reference") : null;
        fields = Set.of("v", "n", "status", "institution", "reference");
      }
      case CLOSED -> {
        outcome = code(Outcome.class, text(root, "outcome"), "outcome");
        fields = Set.of("v", "n", "status", "outcome");
      }
      default -> fields = Set.of("v", "n", "status");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      if (!fields.contains(it.next())) {
        throw new InvalidProgressException("unexpected field in progress record");
      }
    }
    try {
      return new SourceProgress(nn.asInt(), status, institution, reference, outcome);
    } catch (IllegalArgumentException e) {
      throw new InvalidProgressException("progress record is invalid: " + e.getMessage());
    }
  }

  public static SourceProgress parse(String json) throws InvalidProgressException {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One line of 1..max code points: no control (Cc), format (Cf: bidi overrides, zero-width),
   * line or paragraph separator, surrogate or unassigned code point, and no outer white space.
   */
  public static boolean line(String s, int max) {
    if (s == null || s.isEmpty() || !s.strip().equals(s)) {
      return false;
    }
    int n = s.codePointCount(0, s.length());
    if (n > max) {
      return false;
    }
    return s.codePoints().noneMatch(c -> switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
      default -> false;
    });
  }

  private static String text(JsonNode root, String field) throws InvalidProgressException {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw new InvalidProgressException("field '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static <E extends Enum<E>> E code(Class<E> type, String s, String field) throws InvalidProgressException {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
        return e;
      }
    }
    throw new InvalidProgressException("field '" + field + "' is not one of the allowed values");
  }
}

package org.testigo.api.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reader's check of a questionnaire v1 or follow-up v1 document (docs/spec/payload-and-questionnaire.md §2.1).
 * The server validates what it seals itself (the no-JS form); a document sealed by a client (the
 * browser page's script, the shelter tool, any program that speaks the API) reaches only the
 * reviewer, who must apply the same rules: a value outside a closed list, an unknown key or an
 * over-long text means the document was not written by a conforming client, and is shown as "not a
 * valid report", never rendered as if it were one.
 *
 * <p>Control and bidirectional characters in texts are not a problem here: the writers refuse
 * them, but a reader only has to show them harmlessly (escaped), and refusing the whole report for
 * one of them would hide evidence. Problems name the field, never the value (it may hold
 * anything).
 */
public final class QuestionnaireCheck {
  /** Keys of a questionnaire v1 document, in the order the writers emit them. */
  public static final List<String> KEYS = List.of("version", "language", "what", "whatOther", "who", "whoOther",
      "identifying", "where", "when", "victims", "narrative", "wants", "consent");
  /** Keys of a follow-up v1 document. */
  public static final List<String> FOLLOW_UP_KEYS = List.of("version", "language", "message");
  private static final List<String> IDENTIFYING = List.of("uniform", "badge", "plates", "unit");
  private static final List<String> WHERE = List.of("state", "place", "placeKind");
  private static final List<String> WHEN = List.of("date", "approximate");
  private static final List<String> VICTIMS = List.of("count", "minors", "minorsCount");
  /** The consent record a shelter's tool appends (docs/spec/shelter-outbox.md). */
  private static final List<String> CONSENT = List.of("given", "language", "statementVersion", "statementSha256");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8})?");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  /** The earliest date of an incident the form accepts. */
  public static final LocalDate EARLIEST = LocalDate.of(1990, 1, 1);

  private QuestionnaireCheck() {}

  /**
   * The first problem of a questionnaire v1 document, or empty if it conforms.
   *
   * @param latest the latest incident date to accept (the day after the envelope was received)
   */
  public static Optional<String> questionnaire(JsonNode d, LocalDate latest) {
    try {
      object(d, "the questionnaire", KEYS);
      version(d);
      language(d);
      boolean anyWhat = list(d.get("what"), "what", AbuseCategory.class);
      shortText(d.get("whatOther"), "whatOther");
      list(d.get("who"), "who", Perpetrator.class);
      shortText(d.get("whoOther"), "whoOther");
      JsonNode identifying = d.get("identifying");
      if (present(identifying)) {
        object(identifying, "'identifying'", IDENTIFYING);
        for (String k : IDENTIFYING) {
          shortText(identifying.get(k), "identifying." + k);
        }
      }
      JsonNode where = d.get("where");
      if (present(where)) {
        object(where, "'where'", WHERE);
        code(where.get("state"), "where.state", MxState.class);
        shortText(where.get("place"), "where.place");
        code(where.get("placeKind"), "where.placeKind", PlaceKind.class);
      }
      JsonNode when = d.get("when");
      if (present(when)) {
        object(when, "'when'", WHEN);
        date(when.get("date"), latest);
        shortText(when.get("approximate"), "when.approximate");
      }
      JsonNode victims = d.get("victims");
      if (present(victims)) {
        object(victims, "'victims'", VICTIMS);
        Long count = count(victims.get("count"), "victims.count");
        code(victims.get("minors"), "victims.minors", Minors.class);
        Long minors = count(victims.get("minorsCount"), "victims.minorsCount");
        if (count != null && minors != null && minors > count) {
          throw new Problem("'victims.minorsCount' is larger than 'victims.count'");
        }
      }
      boolean anyNarrative = text(d.get("narrative"), "narrative", QuestionnaireV1.NARRATIVE);
      list(d.get("wants"), "wants", Want.class);
      consent(d.get("consent"));
      if (!anyWhat && !anyNarrative) {
        throw new Problem("it says neither what happened nor anything in 'narrative'");
      }
      return Optional.empty();
    } catch (Problem p) {
      return Optional.of(p.getMessage());
    }
  }

  /** The first problem of a follow-up v1 document ({@code message} part), or empty if it conforms. */
  public static Optional<String> followUp(JsonNode d) {
    try {
      object(d, "the message", FOLLOW_UP_KEYS);
      version(d);
      language(d);
      text(d.get("message"), "message", QuestionnaireV1.NARRATIVE);
      return Optional.empty();
    } catch (Problem p) {
      return Optional.of(p.getMessage());
    }
  }

  private static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message, null, false, false);
    }
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }

  private static void object(JsonNode n, String what, List<String> keys) throws Problem {
    if (n == null || !n.isObject()) {
      throw new Problem(what + " is not a JSON object");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      if (!keys.contains(names.next())) {
        throw new Problem(what + " has a key questionnaire v1 does not define");
      }
    }
  }

  /**
   * A shelter's consent record, if present: {@code given} true, a language code, a statement
   * version of 1 or more and the statement's SHA-256 in hex (docs/spec/shelter-outbox.md).
   * Readers of questionnaire v1 must accept it (every shelter-filed report carries one).
   */
  private static void consent(JsonNode c) throws Problem {
    if (!present(c)) {
      return;
    }
    object(c, "'consent'", CONSENT);
    JsonNode given = c.get("given");
    JsonNode language = c.get("language");
    JsonNode version = c.get("statementVersion");
    JsonNode sha = c.get("statementSha256");
    if (given == null || !given.isBoolean() || !given.asBoolean()) {
      throw new Problem("'consent.given' is not true");
    }
    if (language == null || !language.isTextual() || !LANGUAGE.matcher(language.asText()).matches()) {
      throw new Problem("'consent.language' is not a language code");
    }
    if (version == null || !version.isIntegralNumber() || version.asLong() < 1 || version.asLong() > 1_000_000) {
      throw new Problem("'consent.statementVersion' is not a version number");
    }
    if (sha == null || !sha.isTextual() || !SHA256_HEX.matcher(sha.asText()).matches()) {
      throw new Problem("'consent.statementSha256' is not a SHA-256 in hex");
    }
  }

  private static void version(JsonNode d) throws Problem {
    JsonNode v = d.get("version");
    if (v == null || !v.isIntegralNumber() || v.asLong() != QuestionnaireV1.VERSION) {
      throw new Problem("it is not of version 1");
    }
  }

  private static void language(JsonNode d) throws Problem {
    JsonNode l = d.get("language");
    if (present(l) && (!l.isTextual() || !LANGUAGE.matcher(l.asText()).matches())) {
      throw new Problem("'language' is not a language code");
    }
  }

  /** True if the list holds at least one code. */
  private static <E extends Enum<E> & Vocabulary> boolean list(JsonNode l, String field, Class<E> type)
      throws Problem {
    if (!present(l)) {
      return false;
    }
    if (!l.isArray()) {
      throw new Problem("'" + field + "' is not a list");
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode x : l) {
      if (!x.isTextual() || Vocabulary.find(type, x.asText()).isEmpty()) {
        throw new Problem("'" + field + "' holds a value outside its list");
      }
      if (!seen.add(x.asText())) {
        throw new Problem("'" + field + "' holds a value twice");
      }
    }
    return !seen.isEmpty();
  }

  private static <E extends Enum<E> & Vocabulary> void code(JsonNode n, String field, Class<E> type)
      throws Problem {
    if (present(n) && (!n.isTextual() || Vocabulary.find(type, n.asText()).isEmpty())) {
      throw new Problem("'" + field + "' holds a value outside its list");
    }
  }

  private static void shortText(JsonNode n, String field) throws Problem {
    text(n, field, QuestionnaireV1.SHORT_TEXT);
  }

  /** True if the text is not blank. */
  private static boolean text(JsonNode n, String field, int maxCodePoints) throws Problem {
    if (!present(n)) {
      return false;
    }
    if (!n.isTextual()) {
      throw new Problem("'" + field + "' is not text");
    }
    String s = n.asText();
    if (s.length() > 2 * maxCodePoints || s.codePointCount(0, s.length()) > maxCodePoints) {
      throw new Problem("'" + field + "' is longer than " + maxCodePoints + " characters");
    }
    return !s.isBlank();
  }

  private static Long count(JsonNode n, String field) throws Problem {
    if (!present(n)) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > QuestionnaireV1.MAX_COUNT) {
      throw new Problem("'" + field + "' is not a count from 0 to " + QuestionnaireV1.MAX_COUNT);
    }
    return n.asLong();
  }

  private static void date(JsonNode n, LocalDate latest) throws Problem {
    if (!present(n)) {
      return;
    }
    if (!n.isTextual() || !DATE.matcher(n.asText()).matches()) {
      throw new Problem("'when.date' is not a date yyyy-mm-dd");
    }
    LocalDate d;
    try {
      d = LocalDate.parse(n.asText());
    } catch (DateTimeParseException e) {
      throw new Problem("'when.date' is not a date yyyy-mm-dd");
    }
    if (d.isBefore(EARLIEST) || (latest != null && d.isAfter(latest))) {
      throw new Problem("'when.date' is before " + EARLIEST + " or after the day the report arrived");
    }
  }
}

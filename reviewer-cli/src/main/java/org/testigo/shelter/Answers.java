package org.testigo.shelter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Minors;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.PlaceKind;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * The answers of questionnaire v1 (docs/spec/payload-and-questionnaire.md §2), validated with the server's
 * rules ({@code QuestionnaireParser}): closed lists, text lengths, no control characters
 * other than LF and TAB (CRLF and CR become LF), dates 1990-01-01..tomorrow, counts
 * 0..9999 with minorsCount at most count, and at least one "what" or a narrative.
 * Error messages name the question, never the answer.
 */
final class Answers {
  static final int SHORT_TEXT = 200;
  static final int NARRATIVE = 20_000;
  static final int MAX_COUNT = 9_999;
  private static final ObjectMapper JSON = new ObjectMapper();

  List<String> what = new ArrayList<>();
  String whatOther = "";
  List<String> who = new ArrayList<>();
  String whoOther = "";
  String uniform = "";
  String badge = "";
  String plates = "";
  String unit = "";
  String state;
  String place = "";
  String placeKind;
  String date;
  String approximate = "";
  Integer count;
  String minors;
  Integer minorsCount;
  String narrative = "";
  List<String> wants = new ArrayList<>();

  /** Checks and normalises every answer; throws a one-line error naming the question. */
  void validate(LocalDate today) {
    what = choices(what, Vocabulary.codes(AbuseCategory.class), "what");
    who = choices(who, Vocabulary.codes(Perpetrator.class), "who");
    wants = choices(wants, Vocabulary.codes(Want.class), "wants");
    state = optional(state, Vocabulary.codes(MxState.class), "where.state");
    placeKind = optional(placeKind, Vocabulary.codes(PlaceKind.class), "where.placeKind");
    minors = optional(minors, Vocabulary.codes(Minors.class), "victims.minors");
    whatOther = text(whatOther, SHORT_TEXT, "whatOther");
    whoOther = text(whoOther, SHORT_TEXT, "whoOther");
    uniform = text(uniform, SHORT_TEXT, "identifying.uniform");
    badge = text(badge, SHORT_TEXT, "identifying.badge");
    plates = text(plates, SHORT_TEXT, "identifying.plates");
    unit = text(unit, SHORT_TEXT, "identifying.unit");
    place = text(place, SHORT_TEXT, "where.place");
    approximate = text(approximate, SHORT_TEXT, "when.approximate");
    narrative = text(narrative, NARRATIVE, "narrative");
    if (date != null && !date.isEmpty()) {
      try {
        LocalDate d = LocalDate.parse(date);
        if (d.isBefore(LocalDate.of(1990, 1, 1)) || d.isAfter(today.plusDays(1))) {
          throw bad("when.date", "a date between 1990-01-01 and today");
        }
        date = d.toString();
      } catch (DateTimeParseException e) {
        throw bad("when.date", "a date written YYYY-MM-DD");
      }
    } else {
      date = null;
    }
    count = count(count, "victims.count");
    minorsCount = count(minorsCount, "victims.minorsCount");
    if (count != null && minorsCount != null && minorsCount > count) {
      throw bad("victims.minorsCount", "at most victims.count");
    }
    if (what.isEmpty() && narrative.isBlank()) {
      throw bad("what", "at least one kind of abuse, or a narrative");
    }
  }

  /** The questionnaire v1 JSON with the consent record appended as the last key. */
  byte[] toJson(Lang lang, Consent.Record consent) {
    ObjectNode q = JSON.createObjectNode();
    q.put("version", 1);
    q.put("language", lang.code);
    array(q.putArray("what"), what);
    q.put("whatOther", whatOther);
    array(q.putArray("who"), who);
    q.put("whoOther", whoOther);
    ObjectNode id = q.putObject("identifying");
    id.put("uniform", uniform);
    id.put("badge", badge);
    id.put("plates", plates);
    id.put("unit", unit);
    ObjectNode where = q.putObject("where");
    where.put("state", state);
    where.put("place", place);
    where.put("placeKind", placeKind);
    ObjectNode when = q.putObject("when");
    when.put("date", date);
    when.put("approximate", approximate);
    ObjectNode victims = q.putObject("victims");
    victims.put("count", count);
    victims.put("minors", minors);
    victims.put("minorsCount", minorsCount);
    q.put("narrative", narrative);
    array(q.putArray("wants"), wants);
    ObjectNode c = q.putObject("consent");
    c.put("given", consent.given());
    c.put("language", consent.language());
    c.put("statementVersion", consent.statementVersion());
    c.put("statementSha256", consent.statementSha256());
    try {
      return JSON.writeValueAsBytes(q);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void array(ArrayNode node, List<String> values) {
    values.forEach(node::add);
  }

  private static List<String> choices(List<String> values, List<String> allowed, String name) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    for (String v : values) {
      if (!allowed.contains(v)) {
        throw bad(name, "values from the list " + String.join(", ", allowed));
      }
      seen.add(v);
    }
    return List.copyOf(seen);
  }

  private static String optional(String value, List<String> allowed, String name) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (!allowed.contains(value)) {
      throw bad(name, "one of " + String.join(", ", allowed));
    }
    return value;
  }

  private static String text(String value, int max, String name) {
    String v = value == null ? "" : value.replace("\r\n", "\n").replace('\r', '\n');
    if (v.codePointCount(0, v.length()) > max) {
      throw bad(name, "at most " + max + " characters");
    }
    if (v.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)) {
      throw bad(name, "text without control characters");
    }
    return v;
  }

  private static Integer count(Integer value, String name) {
    if (value != null && (value < 0 || value > MAX_COUNT)) {
      throw bad(name, "a number from 0 to " + MAX_COUNT);
    }
    return value;
  }

  static CliException bad(String question, String expected) {
    return new CliException(ExitCodes.BAD_INPUT, "questionnaire: the answer to '" + question
        + "' is not valid (expected " + expected + ")");
  }
}

package org.testigo.server.domain.report;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Minors;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.PlaceKind;
import org.testigo.api.questionnaire.QuestionnaireV1;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;

/**
 * Turns the fields of the report form into a validated {@link Questionnaire} v1. Every
 * problem found is reported as a message key (never the value); unknown fields and an
 * unknown questionnaire version are refused.
 */
public final class QuestionnaireParser {
  public static final int SHORT_TEXT = QuestionnaireV1.SHORT_TEXT;
  public static final int NARRATIVE = QuestionnaireV1.NARRATIVE;
  public static final int MAX_COUNT = QuestionnaireV1.MAX_COUNT;
  public static final Set<String> FIELDS = Set.of("version", "lang", "what", "what_other", "who",
      "who_other", "uniform", "badge", "plates", "unit", "state", "place", "place_kind", "date",
      "when_approx", "victims", "minors", "minors_count", "narrative", "wants");

  private QuestionnaireParser() {}

  public static Questionnaire parse(FormFields f, String language, LocalDate today) {
    for (String name : f.names()) {
      if (!FIELDS.contains(name)) {
        throw new org.testigo.server.domain.InvalidInputException("error.form");
      }
    }
    if (!String.valueOf(Questionnaire.VERSION).equals(f.one("version"))) {
      throw new org.testigo.server.domain.InvalidInputException("error.version");
    }
    List<String> errors = new ArrayList<>();
    List<String> what = choices(f.all("what"), Vocabulary.codes(AbuseCategory.class), "q.what", errors);
    List<String> who = choices(f.all("who"), Vocabulary.codes(Perpetrator.class), "q.who", errors);
    List<String> wants = choices(f.all("wants"), Vocabulary.codes(Want.class), "q.wants", errors);
    String state = optionalChoice(f.one("state"), Vocabulary.codes(MxState.class), "q.state", errors);
    String placeKind = optionalChoice(f.one("place_kind"), Vocabulary.codes(PlaceKind.class), "q.place_kind", errors);
    String minors = optionalChoice(f.one("minors"), Vocabulary.codes(Minors.class), "q.minors", errors);
    String whatOther = text(f.one("what_other"), SHORT_TEXT, "q.what_other", errors);
    String whoOther = text(f.one("who_other"), SHORT_TEXT, "q.who_other", errors);
    Questionnaire.Identifying identifying = new Questionnaire.Identifying(
        text(f.one("uniform"), SHORT_TEXT, "q.uniform", errors),
        text(f.one("badge"), SHORT_TEXT, "q.badge", errors),
        text(f.one("plates"), SHORT_TEXT, "q.plates", errors),
        text(f.one("unit"), SHORT_TEXT, "q.unit", errors));
    String place = text(f.one("place"), SHORT_TEXT, "q.place", errors);
    String date = date(f.one("date"), today, errors);
    String approx = text(f.one("when_approx"), SHORT_TEXT, "q.when_approx", errors);
    Integer victims = count(f.one("victims"), "q.victims", errors);
    Integer minorsCount = count(f.one("minors_count"), "q.minors_count", errors);
    java.util.Map<String, String> specific = new java.util.HashMap<>();
    if (victims != null && minorsCount != null && minorsCount > victims) {
      errors.add("q.minors_count");
      specific.put("minors_count", "error.minors_more_than_victims");
    }
    String narrative = text(f.all("narrative").isEmpty() ? "" : f.one("narrative"), NARRATIVE,
        "q.narrative", errors);
    if (what.isEmpty() && narrative.isBlank() && errors.isEmpty()) {
      errors.add("error.empty");
    }
    if (!errors.isEmpty()) {
      throw new FormInvalidException(errors, specific);
    }
    return new Questionnaire(Questionnaire.VERSION, language, what, whatOther, who, whoOther,
        identifying, new Questionnaire.Where(state, place, placeKind),
        new Questionnaire.When(date, approx), new Questionnaire.Victims(victims, minors, minorsCount),
        narrative, wants);
  }

  private static List<String> choices(List<String> values, List<String> allowed, String error,
      List<String> errors) {
    Set<String> seen = new LinkedHashSet<>();
    for (String v : values) {
      if (!allowed.contains(v)) {
        errors.add(error);
        return List.of();
      }
      seen.add(v);
    }
    return List.copyOf(seen);
  }

  private static String optionalChoice(String value, List<String> allowed, String error, List<String> errors) {
    if (value.isEmpty()) {
      return null;
    }
    if (!allowed.contains(value)) {
      errors.add(error);
      return null;
    }
    return value;
  }

  private static String text(String value, int max, String error, List<String> errors) {
    if (value.codePointCount(0, value.length()) > max || value.chars().anyMatch(
        c -> c < 0x20 && c != '\n' && c != '\t')) {
      errors.add(error);
      return "";
    }
    return value;
  }

  private static String date(String value, LocalDate today, List<String> errors) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(value);
      if (d.isBefore(LocalDate.of(1990, 1, 1)) || d.isAfter(today.plusDays(1))) {
        errors.add("q.date");
        return null;
      }
      return d.toString();
    } catch (DateTimeParseException e) {
      errors.add("q.date");
      return null;
    }
  }

  private static Integer count(String value, String error, List<String> errors) {
    if (value.isEmpty()) {
      return null;
    }
    if (!value.matches("[0-9]{1,4}")) {
      errors.add(error);
      return null;
    }
    int n = Integer.parseInt(value);
    if (n > MAX_COUNT) {
      errors.add(error);
      return null;
    }
    return n;
  }
}

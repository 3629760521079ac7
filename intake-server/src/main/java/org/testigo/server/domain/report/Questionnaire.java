package org.testigo.server.domain.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.testigo.api.questionnaire.QuestionnaireV1;

/**
 * Questionnaire v1, the JSON document sealed as the first part of a report's payload.
 * Every list holds codes of questionnaire v1's closed lists ({@code org.testigo.api.questionnaire});
 * free-text fields are plain UTF-8 text, possibly empty, never null. Specified in docs/spec/payload-and-questionnaire.md.
 */
@JsonPropertyOrder({"version", "language", "what", "whatOther", "who", "whoOther", "identifying",
    "where", "when", "victims", "narrative", "wants"})
public record Questionnaire(int version, String language, List<String> what, String whatOther,
    List<String> who, String whoOther, Identifying identifying, Where where, When when,
    Victims victims, String narrative, List<String> wants) {
  public static final int VERSION = QuestionnaireV1.VERSION;

  /** What identifies the perpetrators. */
  @JsonPropertyOrder({"uniform", "badge", "plates", "unit"})
  public record Identifying(String uniform, String badge, String plates, String unit) {}

  /** Where it happened: a state code or null, free text, a kind of place or null. */
  @JsonPropertyOrder({"state", "place", "placeKind"})
  public record Where(String state, String place, String placeKind) {}

  /** When: an ISO date (yyyy-mm-dd) or null, and/or approximate free text. */
  @JsonPropertyOrder({"date", "approximate"})
  public record When(String date, String approximate) {}

  /** How many people were harmed, whether minors were among them (yes/no/unknown or null). */
  @JsonPropertyOrder({"count", "minors", "minorsCount"})
  public record Victims(Integer count, String minors, Integer minorsCount) {}
}

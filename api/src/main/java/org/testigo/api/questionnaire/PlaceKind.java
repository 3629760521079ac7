package org.testigo.api.questionnaire;

import java.util.Optional;

/**
 * The kind of place: {@code where.placeKind} of questionnaire v1 (form field {@code place_kind}).
 */
public enum PlaceKind implements Vocabulary {
  TRAIN("train"),
  ROAD_CHECKPOINT("road-checkpoint"),
  BUS_STATION("bus-station"),
  MIGRATION_STATION("migration-station"),
  BORDER_CROSSING("border-crossing"),
  SHELTER("shelter"),
  STREET("street"),
  OTHER("other");

  /** The prefix of the translation keys: {@code place.<code>}. */
  public static final String KEY_PREFIX = "place";
  /** The key of the label of "not said" (no code on the wire: the field is null). */
  public static final String NONE_KEY = "place.none";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "where.placeKind";

  private final String code;

  PlaceKind(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String messageKey() {
    return KEY_PREFIX + "." + code;
  }

  /** The constant of a wire code, if it is one. */
  public static Optional<PlaceKind> fromCode(String code) {
    return Vocabulary.find(PlaceKind.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static PlaceKind parse(String code) {
    return Vocabulary.require(PlaceKind.class, code);
  }
}

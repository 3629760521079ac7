package org.testigo.api.questionnaire;

import java.util.Optional;

/** Whether minors were among the people harmed: {@code victims.minors} of questionnaire v1. */
public enum Minors implements Vocabulary {
  YES("yes"),
  NO("no"),
  UNKNOWN("unknown");

  /** The prefix of the translation keys: {@code minors.<code>}. */
  public static final String KEY_PREFIX = "minors";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "victims.minors";

  private final String code;

  Minors(String code) {
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
  public static Optional<Minors> fromCode(String code) {
    return Vocabulary.find(Minors.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static Minors parse(String code) {
    return Vocabulary.require(Minors.class, code);
  }
}

package org.testigo.api.questionnaire;

import java.util.Optional;

/**
 * What happened: the list {@code what} of questionnaire v1 (the statistics call it the category).
 */
public enum AbuseCategory implements Vocabulary {
  KIDNAPPING("kidnapping"),
  EXTORTION("extortion"),
  ROBBERY("robbery"),
  ASSAULT("assault"),
  SEXUAL_VIOLENCE("sexual-violence"),
  TRAFFICKING("trafficking"),
  DETENTION_DEPORTATION_ABUSE("detention-deportation-abuse"),
  EXCESSIVE_FORCE("excessive-force"),
  ASYLUM_INFORMATION_DENIED("asylum-information-denied"),
  OTHER("other");

  /** The prefix of the translation keys: {@code what.<code>}. */
  public static final String KEY_PREFIX = "what";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "what";

  private final String code;

  AbuseCategory(String code) {
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
  public static Optional<AbuseCategory> fromCode(String code) {
    return Vocabulary.find(AbuseCategory.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static AbuseCategory parse(String code) {
    return Vocabulary.require(AbuseCategory.class, code);
  }
}

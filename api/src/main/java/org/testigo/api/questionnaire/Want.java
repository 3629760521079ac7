package org.testigo.api.questionnaire;

import java.util.Optional;

/** What the source wants: the list {@code wants} of questionnaire v1. */
public enum Want implements Vocabulary {
  REPLY("reply"),
  INVESTIGATOR("investigator"),
  ASYLUM_INFORMATION("asylum-information"),
  HUMANITARIAN_VISA_INFORMATION("humanitarian-visa-information");

  /** The prefix of the translation keys: {@code wants.<code>}. */
  public static final String KEY_PREFIX = "wants";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "wants";

  private final String code;

  Want(String code) {
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
  public static Optional<Want> fromCode(String code) {
    return Vocabulary.find(Want.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static Want parse(String code) {
    return Vocabulary.require(Want.class, code);
  }
}

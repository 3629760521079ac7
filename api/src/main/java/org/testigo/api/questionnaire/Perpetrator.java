package org.testigo.api.questionnaire;

import java.util.Optional;

/**
 * Who did it: the list {@code who} of questionnaire v1, agencies and groups (the statistics call
 * it the agency).
 */
public enum Perpetrator implements Vocabulary {
  INM("inm"),
  GUARDIA_NACIONAL("guardia-nacional"),
  ARMY_SEDENA("army-sedena"),
  NAVY_SEMAR("navy-semar"),
  POLICE_FEDERAL("police-federal"),
  POLICE_STATE("police-state"),
  POLICE_MUNICIPAL("police-municipal"),
  PRIVATE_SECURITY("private-security"),
  CRIMINAL_GROUP("criminal-group"),
  UNKNOWN("unknown"),
  OTHER("other");

  /** The prefix of the translation keys: {@code who.<code>}. */
  public static final String KEY_PREFIX = "who";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "who";

  private final String code;

  Perpetrator(String code) {
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
  public static Optional<Perpetrator> fromCode(String code) {
    return Vocabulary.find(Perpetrator.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static Perpetrator parse(String code) {
    return Vocabulary.require(Perpetrator.class, code);
  }
}

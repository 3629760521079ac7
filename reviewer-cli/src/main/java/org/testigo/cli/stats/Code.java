package org.testigo.cli.stats;

import java.util.Locale;

/**
 * An enumerated value that appears in published statistics under a stable wire code (the
 * code of the intake questionnaire or of case content JSON v1). Codes never come from free
 * text: every implementation is an enum.
 */
public interface Code {
  String name();

  /** The stable code written to CSV and JSON, and the resource-bundle key suffix. */
  default String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant of {@code type} whose code is {@code code}. */
  static <E extends Enum<E> & Code> E parse(Class<E> type, String code) {
    for (E e : type.getEnumConstants()) {
      if (e.code().equals(code)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code");
  }
}

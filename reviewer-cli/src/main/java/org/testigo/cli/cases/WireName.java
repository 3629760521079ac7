package org.testigo.cli.cases;

import java.util.Locale;

/** Enums whose JSON name is their lower-case constant name (content JSON v1). */
interface WireName {
  String name();

  default String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E> & WireName> E parse(Class<E> type, String wire) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(wire)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " value");
  }
}

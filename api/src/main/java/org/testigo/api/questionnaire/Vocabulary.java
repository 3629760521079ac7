package org.testigo.api.questionnaire;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One closed list of questionnaire v1 (docs/spec/payload-and-questionnaire.md §2): every constant has a wire code (the
 * string in the JSON document and in the form) and a translation key (the key of its label in
 * the intake server's message bundles, {@code <prefix>.<code>}). Codes may be added in a later
 * questionnaire version, never renamed.
 */
public interface Vocabulary {
  /** The wire code. */
  String code();

  /** The key of the label in the server's message bundles ({@code i18n/messages*.properties}). */
  String messageKey();

  /** The codes of {@code type} in declaration order (the order the form lists them). */
  static <E extends Enum<E> & Vocabulary> List<String> codes(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Vocabulary::code).toList();
  }

  /** The constant of {@code type} whose code is {@code code}, if any. */
  static <E extends Enum<E> & Vocabulary> Optional<E> find(Class<E> type, String code) {
    for (E e : type.getEnumConstants()) {
      if (e.code().equals(code)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The constant of {@code type} whose code is {@code code}.
   *
   * @throws IllegalArgumentException naming the list, never the value (it may hold anything)
   */
  static <E extends Enum<E> & Vocabulary> E require(Class<E> type, String code) {
    return find(type, code).orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName()
        + " code"));
  }
}

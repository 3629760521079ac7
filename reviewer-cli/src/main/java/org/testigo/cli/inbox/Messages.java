package org.testigo.cli.inbox;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The inbox's own words (titles, help bar, prompts) in the reviewer's language, from
 * {@code org/testigo/cli/inbox/inbox*.properties}: Spanish by default, English with
 * {@code --lang en}, the way {@code show} and {@code export} choose their labels.
 */
final class Messages {
  static final List<String> LANGUAGES = List.of("es", "en");
  final String language;
  private final ResourceBundle bundle;

  Messages(String language) {
    this.language = language;
    Locale locale = "en".equals(language) ? Locale.ENGLISH : Locale.ROOT;
    this.bundle = ResourceBundle.getBundle("org.testigo.cli.inbox.inbox", locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  String get(String key) {
    return bundle.getString(key);
  }

  String format(String key, Object... args) {
    return new MessageFormat(bundle.getString(key), Locale.ROOT).format(args);
  }
}

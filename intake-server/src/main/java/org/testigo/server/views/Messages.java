package org.testigo.server.views;

import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.testigo.server.domain.Language;

/** The UTF-8 resource bundles {@code i18n/messages*.properties}, one per {@link Language}. */
public final class Messages {
  private static final Map<Language, Messages> ALL = new EnumMap<>(Language.class);

  static {
    for (Language l : Language.values()) {
      ALL.put(l, new Messages(l, ResourceBundle.getBundle("i18n.messages", l.locale(),
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))));
    }
  }

  private final Language language;
  private final ResourceBundle bundle;

  private Messages(Language language, ResourceBundle bundle) {
    this.language = language;
    this.bundle = bundle;
  }

  public static Messages of(Language language) {
    return ALL.get(language);
  }

  public Language language() {
    return language;
  }

  public String get(String key) {
    try {
      return bundle.getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("missing message " + key, e);
    }
  }

  public String format(String key, Object... args) {
    return new MessageFormat(get(key), language.locale()).format(args);
  }

  /** A message for an error key: form field keys ({@code q.*}) become "check this question". */
  public String error(String key) {
    return key.startsWith("q.") ? format("error.check_field", get(key)) : get(key);
  }
}

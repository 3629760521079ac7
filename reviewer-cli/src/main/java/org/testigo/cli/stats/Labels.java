package org.testigo.cli.stats;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** Human-readable labels for charts and the HTML page, from resource bundles (es, en). */
public final class Labels {
  /** Languages with a complete bundle. */
  public enum Lang { ES, EN }

  private final ResourceBundle bundle;
  private final Locale locale;

  private Labels(Locale locale) {
    this.locale = locale;
    this.bundle = ResourceBundle.getBundle("org.testigo.cli.stats.labels", locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  public static Labels of(Lang lang) {
    return new Labels(lang == Lang.ES ? Locale.forLanguageTag("es-MX") : Locale.ROOT);
  }

  public Locale locale() {
    return locale;
  }

  /** The label of a fixed key; a missing key is a bug (MissingResourceException). */
  public String text(String key, Object... args) {
    String s = bundle.getString(key);
    return args.length == 0 ? s : new MessageFormat(s, locale).format(args);
  }

  /** The label of a code in a dimension ({@code state}, {@code category}...). */
  public String code(String dimension, String code) {
    if (Table.TOTAL.equals(code)) {
      return text("total");
    }
    return text(dimension + "." + code);
  }
}

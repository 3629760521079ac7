package org.testigo.server.domain;

import java.util.Locale;

/**
 * The languages of the source pages. Spanish is the default. Chosen by an explicit
 * {@code ?lang=} link first, then by the browser's Accept-Language, then Spanish.
 */
public enum Language {
  ES("es"), EN("en"), FR("fr"), HT("ht"), PT("pt");

  private final String code;

  Language(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public Locale locale() {
    return Locale.forLanguageTag(code);
  }

  /** The language of a {@code lang} parameter, or null when absent or unknown. */
  public static Language fromCode(String code) {
    if (code == null) {
      return null;
    }
    for (Language l : values()) {
      if (l.code.equalsIgnoreCase(code.strip())) {
        return l;
      }
    }
    return null;
  }

  /**
   * What Tor Browser sends whatever its user reads when it asks for English pages (its default,
   * "spoof English"): it says nothing about the person, so it must not outrank Spanish.
   */
  private static boolean isTorBrowserDefault(String acceptLanguage) {
    String a = acceptLanguage.replace(" ", "").toLowerCase(Locale.ROOT);
    return a.equals("en-us,en;q=0.5") || a.equals("en-us,en") || a.equals("en-us") || a.equals("en");
  }

  /**
   * {@code ?lang=} wins (every link and form of the pages carries the choice, so it is
   * remembered without a cookie); then Accept-Language, unless it is Tor Browser's default
   * English; then Spanish.
   */
  public static Language choose(String queryLang, String acceptLanguage) {
    Language explicit = fromCode(queryLang);
    if (explicit != null) {
      return explicit;
    }
    if (acceptLanguage != null && acceptLanguage.length() < 1000 && !isTorBrowserDefault(acceptLanguage)) {
      try {
        for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
          String tag = range.getRange();
          Language l = fromCode(tag.length() >= 2 ? tag.substring(0, 2) : tag);
          if (l != null && range.getWeight() > 0) {
            return l;
          }
        }
      } catch (IllegalArgumentException malformed) {
        return ES;
      }
    }
    return ES;
  }
}

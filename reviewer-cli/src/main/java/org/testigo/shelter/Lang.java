package org.testigo.shelter;

import java.util.Locale;
import java.util.ResourceBundle;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.receipt.ReceiptLanguage;

/**
 * The migrant's language: questions, consent statement and receipt page. The same five
 * languages as the source pages. Haitian Creole receipts use the Kreyòl word list (built from
 * Debian's tesseract-ocr-hat dictionary; no BIP-39 list exists for Kreyòl), as on the server.
 */
enum Lang {
  ES("es", ReceiptLanguage.ES),
  EN("en", ReceiptLanguage.EN),
  FR("fr", ReceiptLanguage.FR),
  HT("ht", ReceiptLanguage.HT),
  PT("pt", ReceiptLanguage.PT);

  private static final ResourceBundle.Control NO_FALLBACK =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
  final String code;
  final ReceiptLanguage receiptLanguage;

  Lang(String code, ReceiptLanguage receiptLanguage) {
    this.code = code;
    this.receiptLanguage = receiptLanguage;
  }

  static Lang of(String code) {
    for (Lang l : values()) {
      if (l.code.equals(code)) {
        return l;
      }
    }
    throw new CliException(ExitCodes.USAGE, "--lang must be one of es, en, fr, ht, pt");
  }

  private ResourceBundle bundle(String name) {
    Locale locale = this == ES ? Locale.ROOT : Locale.forLanguageTag(code);
    return ResourceBundle.getBundle("org.testigo.shelter." + name, locale, NO_FALLBACK);
  }

  /** A questionnaire label (shared with the source pages). */
  String question(String key) {
    return bundle("questions").getString(key);
  }

  /** A text of the shelter tool; {@code {0}}, {@code {1}}... are replaced by the args. */
  String text(String key, Object... args) {
    String text = bundle("shelter").getString(key);
    for (int i = 0; i < args.length; i++) {
      text = text.replace("{" + i + "}", String.valueOf(args[i]));
    }
    return text;
  }
}

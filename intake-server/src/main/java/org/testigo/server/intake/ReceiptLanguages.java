package org.testigo.server.intake;

import org.testigo.crypto.receipt.ReceiptLanguage;
import org.testigo.server.domain.Language;

/**
 * The word list a receipt is shown in. Haitian Creole has no BIP-39 list; its speakers get
 * the Kreyol list built from Debian's tesseract-ocr-hat dictionary (list id 1; a receipt
 * parses in any language, and in its numeric form).
 */
public final class ReceiptLanguages {
  private ReceiptLanguages() {}

  public static ReceiptLanguage of(Language language) {
    return switch (language) {
      case ES -> ReceiptLanguage.ES;
      case EN -> ReceiptLanguage.EN;
      case FR -> ReceiptLanguage.FR;
      case HT -> ReceiptLanguage.HT;
      case PT -> ReceiptLanguage.PT;
    };
  }
}

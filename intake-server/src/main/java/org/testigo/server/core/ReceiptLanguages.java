package org.testigo.server.core;

import org.testigo.crypto.receipt.ReceiptLanguage;
import org.testigo.server.views.Language;

/**
 * The word list a receipt is shown in. Haitian Creole has no BIP-39 list; its speakers get
 * the French words, which are read the same way (a receipt parses in any language).
 */
public final class ReceiptLanguages {
  private ReceiptLanguages() {}

  public static ReceiptLanguage of(Language language) {
    return switch (language) {
      case ES -> ReceiptLanguage.ES;
      case EN -> ReceiptLanguage.EN;
      case FR, HT -> ReceiptLanguage.FR;
      case PT -> ReceiptLanguage.PT;
    };
  }
}

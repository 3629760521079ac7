package org.testigo.crypto.receipt;

/**
 * The BIP-39 wordlists a receipt can be rendered in. The language is only a rendering:
 * the same receipt in any language holds the same secret and derives the same keys.
 */
public enum ReceiptLanguage {
  ES("bip39-spanish.txt"),
  EN("bip39-english.txt"),
  FR("bip39-french.txt"),
  PT("bip39-portuguese.txt");

  private final String resource;

  ReceiptLanguage(String resource) {
    this.resource = resource;
  }

  String resource() {
    return resource;
  }
}

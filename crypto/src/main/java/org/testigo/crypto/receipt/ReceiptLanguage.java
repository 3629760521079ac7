package org.testigo.crypto.receipt;

/**
 * The word lists a receipt can be rendered in. The language is only a rendering: the same
 * receipt in any language holds the same secret and derives the same keys.
 *
 * <p>Each list has a <em>list id</em>, the byte after the checksum label (docs/spec/receipt-and-mailbox.md §1.2).
 * The four BIP-39 lists share id 0, which is the checksum every receipt had before the
 * Kreyol list existed, so old receipts parse exactly as before. Kreyol (HT, a list built from
 * Debian's tesseract-ocr-hat dictionary, see the README next to the lists) has id 1: its check
 * word differs, so a Kreyol rendering says which list it was made for.
 */
public enum ReceiptLanguage {
  ES("bip39-spanish.txt", 0),
  EN("bip39-english.txt", 0),
  FR("bip39-french.txt", 0),
  PT("bip39-portuguese.txt", 0),
  /** Haitian Creole (Kreyol ayisyen): not a BIP-39 list; awaiting a native speaker's review. */
  HT("kreyol-ht.txt", 1);

  private final String resource;
  private final int listId;

  ReceiptLanguage(String resource, int listId) {
    this.resource = resource;
    this.listId = listId;
  }

  String resource() {
    return resource;
  }

  /** The byte mixed into the check word: 0 for the BIP-39 lists, 1 for Kreyol. */
  int listId() {
    return listId;
  }
}

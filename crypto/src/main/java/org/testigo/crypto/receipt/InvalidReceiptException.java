package org.testigo.crypto.receipt;

/**
 * The typed words are not a valid receipt. The message is always
 * {@value #MESSAGE}: it never repeats what was typed. {@link #reason()} tells a user
 * interface which hint to show (e.g. "a receipt has 8 words").
 */
public final class InvalidReceiptException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The only message this exception carries. */
  public static final String MESSAGE = "receipt not recognised: check the words";

  /** Why the receipt was rejected, without any of the input. */
  public enum Reason {
    /** Not exactly {@value Receipt#WORD_COUNT} words (or far too much text). */
    WRONG_WORD_COUNT,
    /** A word is in none of the wordlists. */
    UNKNOWN_WORD,
    /** Every word is known, but not all in one list. */
    MIXED_LANGUAGES,
    /** The words are known but the check word does not match: a word is wrong or moved. */
    BAD_CHECKSUM
  }

  private final Reason reason;

  InvalidReceiptException(Reason reason) {
    super(MESSAGE, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package org.testigo.server.domain.report;

import java.util.List;
import org.testigo.crypto.receipt.Receipt;

/**
 * The receipt a no-JavaScript report form carries before anything is sent (receipt first):
 * its words (or digit groups) as shown, and the two positions (1..8) the source types back.
 * It travels in hidden fields of the no-store form page and comes back with the report; the
 * server keeps nothing per form. {@code toString()} does not print the words.
 */
public record FormReceipt(String words, int first, int second) {
  public static final String FIELD = "receipt";
  public static final String POSITIONS = "confirm_at";
  public static final String CONFIRM_FIRST = "confirm_1";
  public static final String CONFIRM_SECOND = "confirm_2";
  public static final List<String> FIELDS = List.of(FIELD, POSITIONS, CONFIRM_FIRST, CONFIRM_SECOND);

  public FormReceipt {
    if (first < 1 || second > Receipt.WORD_COUNT || first >= second) {
      throw new IllegalArgumentException("positions");
    }
  }

  /** Whether the receipt is shown as digit groups rather than words. */
  public boolean digits() {
    return words.chars().noneMatch(Character::isLetter);
  }

  /** The message key of a wrong confirmation: words or digit groups, as the code is shown. */
  public String confirmError() {
    return digits() ? "error.receipt_confirm_digits" : "error.receipt_confirm";
  }

  /** The hidden field's value for the positions, e.g. {@code "3 7"}. */
  public String positions() {
    return first + " " + second;
  }

  /** Whether the two typed words are those at the two positions. */
  public boolean confirmedBy(String typedFirst, String typedSecond) {
    return isWordAt(first, typedFirst) && isWordAt(second, typedSecond);
  }

  /** Whether {@code typed} is the word (or digit group) at {@code position} (1..8). */
  public boolean isWordAt(int position, String typed) {
    String[] w = words.split(" ");
    return w.length == Receipt.WORD_COUNT && position >= 1 && position <= Receipt.WORD_COUNT
        && Receipt.sameWord(typed, w[position - 1]);
  }

  @Override
  public String toString() {
    return "FormReceipt[REDACTED]";
  }
}

package org.testigo.crypto.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Fuzz target for what a source types back: the receipt words. */
class ReceiptFuzzTest {
  /**
   * {@code parse} either refuses with {@link InvalidReceiptException} or returns a receipt
   * that renders, in every language and as digit groups, to a form that parses back to the same secret.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrRoundTripsInEveryLanguage(byte[] data) throws InvalidReceiptException {
    String typed = new String(data, StandardCharsets.UTF_8);
    Receipt r;
    try {
      r = Receipt.parse(typed);
    } catch (InvalidReceiptException e) {
      return;
    }
    for (ReceiptLanguage language : ReceiptLanguage.values()) {
      assertThat(Receipt.parse(r.render(language))).isEqualTo(r);
    }
    assertThat(Receipt.parse(r.renderDigits())).isEqualTo(r);
  }
}

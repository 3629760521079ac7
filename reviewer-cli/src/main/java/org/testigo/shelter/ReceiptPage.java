package org.testigo.shelter;

import java.util.Optional;

/**
 * The printable page a migrant keeps, in their language: the 8 receipt words (two numbered
 * lines of four), where to read replies, the organisation's root fingerprint to compare with
 * the posters, and the filing state with the proof of filing when there is one. Plain text,
 * 72 columns at most apart from the proof block.
 */
final class ReceiptPage {
  private ReceiptPage() {}

  static String render(Lang lang, String words, String serverUrl, String rootShortForm,
      String day, boolean sent, Optional<String> proof) {
    String[] w = words.split(" ");
    StringBuilder sb = new StringBuilder();
    String rule = "=".repeat(72);
    sb.append(rule).append('\n');
    sb.append(lang.text("page.title")).append('\n');
    sb.append(rule).append('\n');
    sb.append(lang.text("page.filed", day)).append("\n\n");
    sb.append(lang.text("page.words")).append("\n\n");
    for (int line = 0; line < 2; line++) {
      sb.append("   ");
      for (int i = line * 4; i < line * 4 + 4 && i < w.length; i++) {
        sb.append(String.format("%d. %-12s", i + 1, w[i]));
      }
      sb.append('\n');
    }
    sb.append('\n');
    sb.append(lang.question("receipt.advice")).append("\n\n");
    sb.append(lang.text("page.where", serverUrl)).append('\n');
    sb.append(lang.text("page.fingerprint", rootShortForm)).append("\n\n");
    sb.append(sent ? lang.text("page.sent", day) : lang.text("page.queued")).append('\n');
    if (proof.isPresent()) {
      sb.append(lang.text("page.proof")).append('\n').append(proof.get());
      if (!proof.get().endsWith("\n")) {
        sb.append('\n');
      }
    } else {
      sb.append(lang.text("page.proof_later")).append('\n');
    }
    sb.append(rule).append('\n');
    return sb.toString();
  }
}

package org.testigo.server.domain.report;

import java.util.List;
import java.util.Map;

/**
 * The questionnaire failed validation (400). Carries message keys naming what to fix, and
 * optionally a more specific message per field (e.g. more minors than people affected). The
 * report form's own submission also carries the answers and the form's receipt, so that the
 * page can show the form again, filled in; {@link #messageKeys()} never holds a value.
 */
public final class FormInvalidException extends RuntimeException {
  private final List<String> messageKeys;
  private final Map<String, String> specific;
  private final transient FormFields answers;
  private final transient FormReceipt receipt;

  public FormInvalidException(List<String> messageKeys) {
    this(messageKeys, Map.of(), null, null);
  }

  FormInvalidException(List<String> messageKeys, Map<String, String> specific) {
    this(messageKeys, specific, null, null);
  }

  private FormInvalidException(List<String> messageKeys, Map<String, String> specific, FormFields answers,
      FormReceipt receipt) {
    super("form invalid", null, false, false);
    this.messageKeys = List.copyOf(messageKeys);
    this.specific = Map.copyOf(specific);
    this.answers = answers;
    this.receipt = receipt;
  }

  /** The same errors, with the answers and receipt to show the report form again. */
  public FormInvalidException withAnswers(List<String> moreKeys, FormFields answers, FormReceipt receipt) {
    List<String> keys = new java.util.ArrayList<>(messageKeys);
    keys.addAll(moreKeys);
    return new FormInvalidException(keys, specific, answers, receipt);
  }

  public List<String> messageKeys() {
    return messageKeys;
  }

  /** Field name (e.g. {@code minors_count}) to a message key saying what exactly is wrong. */
  public Map<String, String> specificMessages() {
    return specific;
  }

  /** The answers given, when the report form can be shown again; null otherwise. */
  public FormFields answers() {
    return answers;
  }

  /** The receipt of the form being shown again (null for a post without one). */
  public FormReceipt receipt() {
    return receipt;
  }
}

package org.testigo.server.core.report;

import java.util.List;

/**
 * The questionnaire failed validation (400). Carries message keys naming what to fix,
 * never the submitted values.
 */
public final class FormInvalidException extends RuntimeException {
  private final List<String> messageKeys;

  public FormInvalidException(List<String> messageKeys) {
    super("form invalid", null, false, false);
    this.messageKeys = List.copyOf(messageKeys);
  }

  public List<String> messageKeys() {
    return messageKeys;
  }
}

package org.testigo.server.domain;

/**
 * The request was malformed or failed validation (400). Carries only a message key for a
 * generic, localized explanation, never any part of the input.
 */
public final class InvalidInputException extends RuntimeException {
  private final String messageKey;

  public InvalidInputException(String messageKey) {
    super(messageKey, null, false, false);
    this.messageKey = messageKey;
  }

  public String messageKey() {
    return messageKey;
  }
}

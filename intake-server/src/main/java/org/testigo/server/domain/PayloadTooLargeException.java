package org.testigo.server.domain;

/** The request body exceeds a configured cap (413). Nothing was stored. */
public final class PayloadTooLargeException extends RuntimeException {
  public PayloadTooLargeException() {
    super("payload too large", null, false, false);
  }
}

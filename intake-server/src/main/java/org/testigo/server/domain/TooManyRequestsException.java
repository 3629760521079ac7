package org.testigo.server.domain;

/**
 * The caller's circuit is over its share (SECURITY.md, "Intake under attack"): too many
 * requests, uploads or bytes of its own at once; retry after a delay (429). Other circuits are
 * not affected.
 */
public final class TooManyRequestsException extends RuntimeException {
  /** The message key of the answer, in every language. */
  public static final String KEY = "error.too_many";
  private final int retryAfterSeconds;

  public TooManyRequestsException(int retryAfterSeconds) {
    super("over the circuit's share", null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

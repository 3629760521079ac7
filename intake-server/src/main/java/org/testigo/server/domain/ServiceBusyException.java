package org.testigo.server.domain;

/** A bounded resource (submission slots, Argon2id slots) is full; retry after a delay (503). */
public final class ServiceBusyException extends RuntimeException {
  /** The message key of its answer. */
  public static final String KEY = "error.busy";
  private final int retryAfterSeconds;

  public ServiceBusyException(int retryAfterSeconds) {
    super("service busy", null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

package org.testigo.server.domain;

/** The database cannot be reached right now; the client should retry later (503). */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(Throwable cause) {
    super("storage unavailable", cause);
  }
}

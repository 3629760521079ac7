package org.testigo.server.core;

/** The database cannot be reached right now; the client should retry later (503). */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(Throwable cause) {
    super("storage unavailable", cause);
  }

  /**
   * Whether a database failure that reached a resource untranslated means the database is
   * unreachable (connection refused, dropped or timed out) rather than a fault in the request
   * or the code.
   */
  public static boolean isOutage(org.jdbi.v3.core.JdbiException e) {
    return Storage.translate(e) instanceof StorageUnavailableException;
  }
}

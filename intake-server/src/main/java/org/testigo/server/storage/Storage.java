package org.testigo.server.storage;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.testigo.server.domain.StorageUnavailableException;

/**
 * Classifies database failures: outages become {@link StorageUnavailableException} (503); a
 * constraint violation is told apart for callers that then read what conflicts.
 */
public final class Storage {
  private Storage() {}

  public static RuntimeException translate(JdbiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectionException || t instanceof SQLTransientException
          || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
          || t instanceof ConnectException
          || (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08"))) {
        return new StorageUnavailableException(e);
      }
    }
    return e;
  }

  /**
   * Whether a database failure that reached a resource untranslated means the database is
   * unreachable (connection refused, dropped or timed out) rather than a fault in the request
   * or the code.
   */
  public static boolean isOutage(JdbiException e) {
    return translate(e) instanceof StorageUnavailableException;
  }

  /** A duplicate key or a broken link (SQLSTATE class 23) anywhere in the cause chain. */
  public static boolean isConstraintViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLIntegrityConstraintViolationException
          || (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23"))) {
        return true;
      }
      if (t instanceof BatchUpdateException b && b.getNextException() != null
          && isConstraintViolation(b.getNextException())) {
        return true;
      }
    }
    return false;
  }
}

package org.testigo.server.core;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/**
 * Classifies database failures: outages become {@link StorageUnavailableException} (503); a
 * constraint violation is told apart for callers that then read what conflicts.
 */
final class Storage {
  private Storage() {}

  static RuntimeException translate(JdbiException e) {
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

  /** A duplicate key or a broken link (SQLSTATE class 23) anywhere in the cause chain. */
  static boolean isConstraintViolation(Throwable e) {
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

package org.testigo.server.storage;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.testigo.server.domain.StorageUnavailableException;

/**
 * Runs a database transaction and, when the database says it failed for a reason that goes
 * away (a Galera certification conflict, a node that is joining or lost quorum, a connection
 * that died), runs the WHOLE transaction again on a fresh connection — at most
 * {@code maxAttempts} times and, if a retry budget is set, starting no attempt after the
 * budget is spent, with exponential backoff and full jitter — then gives up with
 * {@link StorageUnavailableException} (HTTP 503 with Retry-After). Specified in
 * docs/decisions/0007-galera-multi-master.md.
 *
 * <p>WARNING: when a connection dies during COMMIT the outcome is unknown: the transaction
 * may have committed on the cluster. Such failures are retried only for work declared
 * {@link Idempotence#IDEMPOTENT}, i.e. work that, run a second time after a commit nobody
 * saw, changes nothing and returns the same answer (see {@link EnvelopeStore}: the envelope
 * id is chosen before the first attempt and the transaction first looks it up). Conflicts
 * (1213 / SQLSTATE 40001, lock wait timeout 1205) are retried for any work: the database
 * rolled the transaction back. The callback must not keep state across attempts except what
 * it derives from the database.
 */
public final class TransactionRunner {
  /** Whether running the work again after an unseen commit is harmless. */
  public enum Idempotence { IDEMPOTENT, NOT_IDEMPOTENT }

  /** What a failed attempt means for a retry. */
  enum Failure {
    /** Rolled back by the database (certification conflict, deadlock, lock timeout). */
    ROLLED_BACK,
    /** Node not ready, connection lost or refused: outcome unknown if it was the commit. */
    UNKNOWN_OUTCOME,
    /** Not a transient database failure: never retried. */
    PERMANENT
  }

  private final Jdbi jdbi;
  private final int maxAttempts;
  private final long baseBackoffMillis;
  private final long maxBackoffMillis;
  private final long retryBudgetNanos;

  /** No time budget: up to {@code maxAttempts} attempts however long they take. */
  public TransactionRunner(Jdbi jdbi, int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
    this(jdbi, maxAttempts, baseBackoff, maxBackoff, null);
  }

  /**
   * With {@code retryBudget} (null: none), no attempt starts once that long has passed since
   * the first began: a database that stops answering costs each attempt its connection and
   * validation timeouts, and the request must get its 503 in bounded time (docs/decisions/0014-database-outages-and-slow-senders.md).
   */
  public TransactionRunner(Jdbi jdbi, int maxAttempts, Duration baseBackoff, Duration maxBackoff,
      Duration retryBudget) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
    this.jdbi = jdbi;
    this.maxAttempts = maxAttempts;
    this.baseBackoffMillis = Math.max(1, baseBackoff.toMillis());
    this.maxBackoffMillis = Math.max(baseBackoffMillis, maxBackoff.toMillis());
    this.retryBudgetNanos = retryBudget == null ? Long.MAX_VALUE : retryBudget.toNanos();
  }

  /** One attempt only (tests, H2). */
  public static TransactionRunner singleAttempt(Jdbi jdbi) {
    return new TransactionRunner(jdbi, 1, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Runs {@code work} in a transaction, retried as described in the class comment. Failures
   * that are not transient are translated as {@link Storage#translate} does; exceptions the
   * work throws itself (validation) propagate at once.
   */
  public <T, X extends Exception> T inTransaction(Idempotence idempotence, HandleCallback<T, X> work) throws X {
    return inTransaction(idempotence, null, work);
  }

  /** As {@link #inTransaction(Idempotence, HandleCallback)} at the given isolation level. */
  public <T, X extends Exception> T inTransaction(Idempotence idempotence, TransactionIsolationLevel level,
      HandleCallback<T, X> work) throws X {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return level == null ? jdbi.inTransaction(work) : jdbi.inTransaction(level, work);
      } catch (JdbiException e) {
        retryOrThrow(e, idempotence, attempt, start);
      }
    }
  }

  /** Runs read-only work, retried on any transient failure (reads are idempotent). */
  public <T, X extends Exception> T withHandle(HandleCallback<T, X> work) throws X {
    return inTransaction(Idempotence.IDEMPOTENT, work);
  }

  /**
   * A connection that one worker thread keeps between its transactions (the group-commit
   * writers), in manual-commit mode: a transaction on it costs its statements and one commit,
   * without the two round trips of switching autocommit off and on again around it that a
   * pooled connection costs. After any failure it is rolled back and returned to the pool, and
   * the next attempt takes a fresh one, so a connection that died is never used twice.
   * Not thread-safe: one thread uses it at a time.
   */
  public final class HeldConnection implements AutoCloseable {
    private Handle handle;

    private HeldConnection() {
    }

    Handle handle() {
      if (handle == null) {
        Handle h = jdbi.open();
        try {
          h.getConnection().setAutoCommit(false);
        } catch (SQLException e) {
          h.close();
          throw new ConnectionException(e);
        }
        handle = h;
      }
      return handle;
    }

    /** Rolls back whatever is open and gives the connection back to the pool. */
    void release() {
      Handle h = handle;
      handle = null;
      if (h == null) {
        return;
      }
      try {
        h.getConnection().rollback();
        h.getConnection().setAutoCommit(true);
      } catch (SQLException | RuntimeException ignored) {
        // a dead connection: the pool discards it when validation fails
      }
      try {
        h.close();
      } catch (RuntimeException ignored) {
        // closing a connection that died mid-transaction
      }
    }

    @Override
    public void close() {
      release();
    }
  }

  /** A connection for one thread to keep between transactions; close it when done. */
  public HeldConnection holdConnection() {
    return new HeldConnection();
  }

  /**
   * As {@link #inTransaction(Idempotence, HandleCallback)} on a connection kept between
   * transactions: the work runs on it and then it commits; a failed attempt releases it (see
   * {@link HeldConnection}) and the next one takes a fresh connection.
   */
  public <T, X extends Exception> T inTransaction(HeldConnection held, Idempotence idempotence,
      HandleCallback<T, X> work) throws X {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        Handle h = held.handle();
        T result = work.withHandle(h);
        try {
          h.getConnection().commit();
        } catch (SQLException e) {
          throw new TransactionException("commit failed", e);
        }
        return result;
      } catch (JdbiException e) {
        held.release();
        retryOrThrow(e, idempotence, attempt, start);
      } catch (Throwable e) {
        held.release();
        throw e;
      }
    }
  }

  /** After a failed attempt: returns after the backoff when another attempt may run, else throws. */
  private void retryOrThrow(JdbiException e, Idempotence idempotence, int attempt, long start) {
    Failure f = classify(e);
    boolean retry = f == Failure.ROLLED_BACK
        || (f == Failure.UNKNOWN_OUTCOME && idempotence == Idempotence.IDEMPOTENT);
    if (!retry) {
      throw Storage.translate(e);
    }
    if (attempt >= maxAttempts || System.nanoTime() - start >= retryBudgetNanos) {
      throw new StorageUnavailableException(e);
    }
    backoff(attempt);
  }

  private void backoff(int attempt) {
    long cap = Math.min(maxBackoffMillis, baseBackoffMillis << Math.min(20, attempt - 1));
    long sleep = ThreadLocalRandom.current().nextLong(baseBackoffMillis, cap + 1);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException(e);
    }
  }

  /** Classifies a failure by the first SQL error in its cause chain. */
  static Failure classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectionException) {
        return Failure.UNKNOWN_OUTCOME; // no connection: nothing was sent, but treat as unknown
      }
      if (t instanceof SQLException s) {
        int code = s.getErrorCode();
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        if (code == 1213 || code == 1205 || state.equals("40001")) {
          return Failure.ROLLED_BACK;
        }
        if (code == 1047 || state.startsWith("08") || state.equals("25S03")
            || t instanceof SQLTransientConnectionException) {
          return Failure.UNKNOWN_OUTCOME;
        }
        if (s.getNextException() != null && classify(s.getNextException()) != Failure.PERMANENT) {
          return classify(s.getNextException());
        }
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException) {
        return Failure.UNKNOWN_OUTCOME;
      }
    }
    return Failure.PERMANENT;
  }
}

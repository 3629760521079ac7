package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.storage.TransactionRunner.HeldConnection;
import org.testigo.server.storage.TransactionRunner.Idempotence;

/**
 * {@link TransactionRunner.HeldConnection}, the connection a group-commit writer keeps between
 * its transactions (docs/decisions/0008-group-commit.md): each transaction commits on it, a failed attempt rolls
 * back and the retry runs on a fresh connection, and a connection the database killed is
 * replaced. On H2 and the real MariaDB.
 */
class HeldConnectionTest extends BothDatabases {

  @BeforeAll
  void createTable() {
    for (TestDatabase db : List.of(h2, mariadb)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE held_test (n INT NOT NULL, PRIMARY KEY (n))"));
    }
  }

  private static TransactionRunner runner(TestDatabase db) {
    return new TransactionRunner(db.jdbi(), 3, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  private static long rows(TestDatabase db, int n) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM held_test WHERE n = ?").bind(0, n)
        .mapTo(Long.class).one());
  }

  private static JdbiException conflict() {
    return new JdbiException("simulated", new SQLException("simulated", "40001", 1213)) {};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void transactionsCommitOnOneKeptConnectionInManualCommitMode(TestDatabase db) throws Exception {
    TransactionRunner runner = runner(db);
    List<Handle> handles = new ArrayList<>();
    try (HeldConnection held = runner.holdConnection()) {
      for (int n = 100; n < 103; n++) {
        int value = n;
        runner.inTransaction(held, Idempotence.IDEMPOTENT, h -> {
          handles.add(h);
          assertThat(h.getConnection().getAutoCommit()).isFalse();
          return h.execute("INSERT INTO held_test (n) VALUES (?)", value);
        });
        assertThat(rows(db, value)).as("committed, seen from another connection").isEqualTo(1);
      }
    }
    assertThat(handles).hasSize(3).allSatisfy(h -> assertThat(h).isSameAs(handles.get(0)));
    assertThat(handles.get(0).isClosed()).as("closing gives the connection back").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFailedAttemptIsRolledBackAndTheRetryRunsOnAFreshConnection(TestDatabase db) {
    TransactionRunner runner = runner(db);
    List<Handle> handles = new ArrayList<>();
    try (HeldConnection held = runner.holdConnection()) {
      int result = runner.inTransaction(held, Idempotence.NOT_IDEMPOTENT, h -> {
        handles.add(h);
        h.execute("INSERT INTO held_test (n) VALUES (200)");
        if (handles.size() == 1) {
          throw conflict();
        }
        return 7;
      });
      assertThat(result).isEqualTo(7);
    }
    assertThat(handles).hasSize(2);
    assertThat(handles.get(1)).isNotSameAs(handles.get(0));
    assertThat(handles.get(0).isClosed()).isTrue();
    assertThat(rows(db, 200)).as("the first attempt's insert was rolled back").isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void theWorksOwnExceptionRollsBackAndPropagates(TestDatabase db) {
    TransactionRunner runner = runner(db);
    AtomicInteger runs = new AtomicInteger();
    try (HeldConnection held = runner.holdConnection()) {
      assertThatThrownBy(() -> runner.inTransaction(held, Idempotence.IDEMPOTENT, h -> {
        runs.incrementAndGet();
        h.execute("INSERT INTO held_test (n) VALUES (300)");
        throw new InvalidInputException("error.form");
      })).isInstanceOf(InvalidInputException.class);
      assertThat(runs).as("not a database failure: never retried").hasValue(1);
      assertThat(rows(db, 300)).isZero();
      runner.inTransaction(held, Idempotence.IDEMPOTENT, h -> h.execute("INSERT INTO held_test (n) VALUES (301)"));
    }
    assertThat(rows(db, 301)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aPermanentFailureIsNotRetried(TestDatabase db) {
    TransactionRunner runner = runner(db);
    AtomicInteger runs = new AtomicInteger();
    runner.inTransaction(Idempotence.IDEMPOTENT, h -> h.execute("INSERT INTO held_test (n) VALUES (400)"));
    try (HeldConnection held = runner.holdConnection()) {
      assertThatThrownBy(() -> runner.inTransaction(held, Idempotence.IDEMPOTENT, h -> {
        runs.incrementAndGet();
        return h.execute("INSERT INTO held_test (n) VALUES (400)");
      })).isInstanceOf(JdbiException.class).isNotInstanceOf(StorageUnavailableException.class);
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void aConnectionTheDatabaseKilledIsReplacedAndTheWorkRetried() throws Exception {
    TransactionRunner runner = runner(mariadb);
    String url = TestDatabase.MARIADB_SERVER + mariadb.mariadbName() + "?user=root";
    try (HeldConnection held = runner.holdConnection();
        Connection admin = DriverManager.getConnection(url); Statement s = admin.createStatement()) {
      long first = runner.inTransaction(held, Idempotence.IDEMPOTENT,
          h -> h.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one());
      s.execute("KILL CONNECTION " + first);
      AtomicInteger runs = new AtomicInteger();
      long second = runner.inTransaction(held, Idempotence.IDEMPOTENT, h -> {
        runs.incrementAndGet();
        h.execute("INSERT INTO held_test (n) VALUES (500)");
        return h.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
      });
      assertThat(second).isNotEqualTo(first);
      assertThat(runs).as("the attempt on the killed connection failed, the retry committed").hasValue(2);
    }
    assertThat(rows(mariadb, 500)).isEqualTo(1);
  }
}

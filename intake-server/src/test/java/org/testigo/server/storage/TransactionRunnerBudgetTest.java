package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.testigo.server.domain.StorageUnavailableException;

/** The retry budget: a database that keeps failing ends the retries early with a 503. */
class TransactionRunnerBudgetTest {
  static Jdbi unreachable(AtomicInteger connects) {
    return Jdbi.create(() -> {
      connects.incrementAndGet();
      throw new SQLNonTransientConnectionException("connection refused", "08001");
    });
  }

  @Test
  void inTransaction_stopsRetryingOnceTheBudgetIsSpent() {
    AtomicInteger connects = new AtomicInteger();
    TransactionRunner runner = new TransactionRunner(unreachable(connects), 1000, Duration.ofMillis(50),
        Duration.ofMillis(50), Duration.ofMillis(200));
    assertThatThrownBy(() -> runner.withHandle(h -> 1)).isInstanceOf(StorageUnavailableException.class);
    // 1000 attempts 50 ms apart would take 50 s; the 200 ms budget allows a handful.
    assertThat(connects.get()).isBetween(1, 100);
  }

  @Test
  void inTransaction_withoutBudgetMakesEveryAttempt() {
    AtomicInteger connects = new AtomicInteger();
    TransactionRunner runner = new TransactionRunner(unreachable(connects), 4, Duration.ofMillis(1),
        Duration.ofMillis(1));
    assertThatThrownBy(() -> runner.withHandle(h -> 1)).isInstanceOf(StorageUnavailableException.class);
    assertThat(connects.get()).isEqualTo(4);
  }
}

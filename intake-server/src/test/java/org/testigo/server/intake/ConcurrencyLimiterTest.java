package org.testigo.server.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.config.FairnessSettings;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.TooManyRequestsException;

/** The fair queue: freed slots go to circuits in turn, each circuit within its share. */
class ConcurrencyLimiterTest {
  final ExecutorService pool = Executors.newCachedThreadPool();
  final FairnessSettings settings = new FairnessSettings();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Acquires as {@code circuit} on another thread; records its name when granted; holds until released. */
  Future<ConcurrencyLimiter.Slot> acquireAs(ConcurrencyLimiter limiter, Circuit circuit, String name,
      List<String> granted) {
    return pool.submit(() -> {
      Circuit before = CurrentCircuit.enter(circuit);
      try {
        ConcurrencyLimiter.Slot slot = limiter.acquire();
        granted.add(name);
        return slot;
      } finally {
        CurrentCircuit.restore(before);
      }
    });
  }

  static void awaitWaiting(ConcurrencyLimiter limiter, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (limiter.waiting() != n) {
      assertThat(System.nanoTime()).as("%d callers waiting", n).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aFreedSlotGoesToTheNextCircuitInTurn_notToWhoeverCameFirst() throws Exception {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 5, 10, Duration.ofSeconds(30), Integer.MAX_VALUE, 4);
    Circuit attacker = Circuit.standalone(settings);
    Circuit honest = Circuit.standalone(settings);
    List<String> granted = new CopyOnWriteArrayList<>();
    Future<ConcurrencyLimiter.Slot> held = acquireAs(limiter, attacker, "a0", granted);
    ConcurrencyLimiter.Slot first = held.get(5, TimeUnit.SECONDS);
    Future<ConcurrencyLimiter.Slot> a1 = acquireAs(limiter, attacker, "a1", granted);
    awaitWaiting(limiter, 1);
    Future<ConcurrencyLimiter.Slot> a2 = acquireAs(limiter, attacker, "a2", granted);
    awaitWaiting(limiter, 2);
    Future<ConcurrencyLimiter.Slot> a3 = acquireAs(limiter, attacker, "a3", granted);
    awaitWaiting(limiter, 3);
    Future<ConcurrencyLimiter.Slot> h1 = acquireAs(limiter, honest, "h1", granted);
    awaitWaiting(limiter, 4);

    first.close();
    a1.get(5, TimeUnit.SECONDS).close();
    h1.get(5, TimeUnit.SECONDS).close();
    a2.get(5, TimeUnit.SECONDS).close();
    a3.get(5, TimeUnit.SECONDS).close();
    assertThat(granted).containsExactly("a0", "a1", "h1", "a2", "a3");
    assertThat(limiter.available()).isEqualTo(1);
    assertThat(limiter.waiting()).isZero();
  }

  @Test
  void aCircuitOverItsShareGets429_whileTheQueueStillTakesOthers() throws Exception {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 7, 10, Duration.ofSeconds(30), 1, 1);
    Circuit a = Circuit.standalone(settings);
    Circuit b = Circuit.standalone(settings);
    List<String> granted = new CopyOnWriteArrayList<>();
    ConcurrencyLimiter.Slot aHeld = acquireAs(limiter, a, "a0", granted).get(5, TimeUnit.SECONDS);
    Future<ConcurrencyLimiter.Slot> aWaits = acquireAs(limiter, a, "a1", granted);
    awaitWaiting(limiter, 1);
    assertThat(limiter.available()).as("a may hold one slot only, so the free one stays free").isEqualTo(1);
    Future<ConcurrencyLimiter.Slot> aThird = acquireAs(limiter, a, "a2", granted);
    assertThatThrownBy(() -> aThird.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TooManyRequestsException.class);
    ConcurrencyLimiter.Slot bHeld = acquireAs(limiter, b, "b0", granted).get(5, TimeUnit.SECONDS);
    aHeld.close();
    aWaits.get(5, TimeUnit.SECONDS).close();
    bHeld.close();
    assertThat(limiter.available()).isEqualTo(2);
  }

  @Test
  void aFullQueue_makesRoomForACircuitWithNobodyWaiting_byRefusingTheLongestQueuesNewest() throws Exception {
    // Found by AttackBenchmark: 8 attacking circuits filled a queue of 8, and honest reports got 503.
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 5, 4, Duration.ofSeconds(30), 1, 2);
    Circuit a = Circuit.standalone(settings);
    Circuit b = Circuit.standalone(settings);
    Circuit honest = Circuit.standalone(settings);
    List<String> granted = new CopyOnWriteArrayList<>();
    ConcurrencyLimiter.Slot held = acquireAs(limiter, Circuit.standalone(settings), "x", granted)
        .get(5, TimeUnit.SECONDS);
    Future<ConcurrencyLimiter.Slot> a1 = acquireAs(limiter, a, "a1", granted);
    awaitWaiting(limiter, 1);
    Future<ConcurrencyLimiter.Slot> a2 = acquireAs(limiter, a, "a2", granted);
    awaitWaiting(limiter, 2);
    Future<ConcurrencyLimiter.Slot> b1 = acquireAs(limiter, b, "b1", granted);
    awaitWaiting(limiter, 3);
    Future<ConcurrencyLimiter.Slot> b2 = acquireAs(limiter, b, "b2", granted);
    awaitWaiting(limiter, 4);

    Future<ConcurrencyLimiter.Slot> h1 = acquireAs(limiter, honest, "h1", granted);
    assertThatThrownBy(() -> a2.get(5, TimeUnit.SECONDS)).as("a's newest made room")
        .hasCauseInstanceOf(TooManyRequestsException.class);
    awaitWaiting(limiter, 4);
    // Now a has 1, b has 2, honest 1: a newcomer of a fourth circuit takes b's newest place.
    Future<ConcurrencyLimiter.Slot> c1 = acquireAs(limiter, Circuit.standalone(settings), "c1", granted);
    assertThatThrownBy(() -> b2.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TooManyRequestsException.class);
    awaitWaiting(limiter, 4);
    // Every circuit has one waiting: the queue is fairly full, a fifth circuit gets 503.
    assertThatThrownBy(() -> acquireAs(limiter, Circuit.standalone(settings), "d1", granted).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ServiceBusyException.class);

    held.close();
    for (Future<ConcurrencyLimiter.Slot> f : List.of(a1, b1, h1, c1)) {
      f.get(5, TimeUnit.SECONDS).close();
    }
    assertThat(granted).containsExactly("x", "a1", "b1", "h1", "c1");
    assertThat(limiter.waiting()).isZero();
    assertThat(limiter.available()).isEqualTo(1);
  }

  @Test
  void aFullQueueOrAWaitOutIs503_andAClosedSlotIsReleasedOnce() throws Exception {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 3, 1, Duration.ofMillis(200));
    ConcurrencyLimiter.Slot held = limiter.acquire();
    List<String> granted = new CopyOnWriteArrayList<>();
    Future<ConcurrencyLimiter.Slot> waits = acquireAs(limiter, Circuit.standalone(settings), "w", granted);
    awaitWaiting(limiter, 1);
    assertThatThrownBy(limiter::acquire).isInstanceOf(ServiceBusyException.class);
    assertThatThrownBy(() -> waits.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ServiceBusyException.class);
    held.close();
    held.close();
    assertThat(limiter.available()).isEqualTo(1);
    ConcurrencyLimiter noQueue = new ConcurrencyLimiter(1, 3);
    ConcurrencyLimiter.Slot only = noQueue.acquire();
    assertThatThrownBy(noQueue::acquire).isInstanceOf(ServiceBusyException.class);
    only.close();
    noQueue.acquire().close();
  }
}

package org.testigo.server.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of slots. By default taken without waiting: when all are in use the caller
 * gets a {@link ServiceBusyException} at once. With a wait queue, at most {@code maxWaiting}
 * callers wait at most {@code maxWait} each for a slot before that exception; any caller
 * beyond them gets it at once. There is no queue to grow without bound.
 */
public final class ConcurrencyLimiter {
  private final Semaphore slots;
  private final int retryAfterSeconds;
  private final int maxWaiting;
  private final long maxWaitNanos;
  private final AtomicInteger waiting = new AtomicInteger();

  /** Slots taken without waiting. */
  public ConcurrencyLimiter(int slots, int retryAfterSeconds) {
    this(slots, retryAfterSeconds, 0, Duration.ZERO);
  }

  /** Slots for which up to {@code maxWaiting} callers wait up to {@code maxWait} each. */
  public ConcurrencyLimiter(int slots, int retryAfterSeconds, int maxWaiting, Duration maxWait) {
    if (slots < 1 || maxWaiting < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("at least one slot, no negative queue or wait");
    }
    this.slots = new Semaphore(slots);
    this.retryAfterSeconds = retryAfterSeconds;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** A held slot; close it to release. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  public Slot acquire() {
    if (slots.tryAcquire()) {
      return slots::release;
    }
    if (maxWaiting == 0 || waiting.incrementAndGet() > maxWaiting) {
      if (maxWaiting > 0) {
        waiting.decrementAndGet();
      }
      throw new ServiceBusyException(retryAfterSeconds);
    }
    try {
      if (slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        return slots::release;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiting.decrementAndGet();
    }
    throw new ServiceBusyException(retryAfterSeconds);
  }

  /** Callers waiting for a slot now. */
  public int waiting() {
    return waiting.get();
  }

  public int available() {
    return slots.availablePermits();
  }
}

package org.testigo.server.core;

import java.util.concurrent.Semaphore;

/**
 * A fixed number of slots, taken without waiting: when all are in use the caller gets a
 * {@link ServiceBusyException} at once. There is no queue to grow without bound.
 */
public final class ConcurrencyLimiter {
  private final Semaphore slots;
  private final int retryAfterSeconds;

  public ConcurrencyLimiter(int slots, int retryAfterSeconds) {
    this.slots = new Semaphore(slots);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A held slot; close it to release. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  public Slot acquire() {
    if (!slots.tryAcquire()) {
      throw new ServiceBusyException(retryAfterSeconds);
    }
    return slots::release;
  }

  public int available() {
    return slots.availablePermits();
  }
}

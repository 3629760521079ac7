package org.testigo.server.circuit;

/**
 * A budget that refills at a steady rate up to its capacity: {@code capacity} actions at once,
 * then one every {@code period / capacity}. Not thread-safe; {@link Circuit} guards it.
 */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updated;

  TokenBucket(int capacity, long periodNanos, long now) {
    this.capacity = capacity;
    this.perNano = capacity / (double) periodNanos;
    this.tokens = capacity;
    this.updated = now;
  }

  private void refill(long now) {
    if (now > updated) {
      tokens = Math.min(capacity, tokens + (now - updated) * perNano);
      updated = now;
    }
  }

  /** Nanoseconds until one token is there: 0 when one is there now. */
  long waitNanos(long now) {
    refill(now);
    if (capacity == 0) {
      return Long.MAX_VALUE;
    }
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
  }

  void take(long now) {
    refill(now);
    tokens -= 1;
  }

  /** Puts back one token taken (never above capacity). */
  void give() {
    tokens = Math.min(capacity, tokens + 1);
  }

  /** Full: the same as a bucket never used, so nothing about its past needs keeping. */
  boolean isFull(long now) {
    refill(now);
    return tokens >= capacity;
  }
}

package org.testigo.server.intake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.TooManyRequestsException;

/**
 * A fixed number of slots, shared fairly between circuits (SECURITY.md, "Intake under attack").
 * A caller takes a free slot at once. When none is free, at most {@code maxWaiting} callers
 * wait, at most {@code maxWait} each, in one queue per circuit; a freed slot goes to the
 * circuits in turn (round-robin), not to whoever came first, so one circuit with many callers
 * gets no more turns than a circuit with one. A circuit may hold at most {@code perCircuitHeld}
 * slots and have at most {@code perCircuitWaiting} callers waiting: beyond that its caller gets
 * {@link TooManyRequestsException} (429) at once. When the whole queue is full, an arriving
 * caller takes the place of the newest waiter of the circuit with the most waiters (that waiter
 * gets 429), so a few circuits cannot fill the queue against the others; when no circuit has
 * more waiting than the caller's, or the caller waits its {@code maxWait} out, it gets
 * {@link ServiceBusyException} (503). Nothing grows without bound.
 *
 * <p>The circuit is {@link CurrentCircuit#get()}; a caller outside a source request counts as a
 * circuit of its own.
 */
public final class ConcurrencyLimiter {
  private final int retryAfterSeconds;
  private final int maxWaiting;
  private final long maxWaitNanos;
  private final int perCircuitHeld;
  private final int perCircuitWaiting;
  private final Map<Object, Share> shares = new HashMap<>();
  private final ArrayDeque<Share> turns = new ArrayDeque<>();
  private int free;
  private int waitingTotal;

  /** Slots taken without waiting. */
  public ConcurrencyLimiter(int slots, int retryAfterSeconds) {
    this(slots, retryAfterSeconds, 0, Duration.ZERO);
  }

  /** Slots for which up to {@code maxWaiting} callers wait up to {@code maxWait} each. */
  public ConcurrencyLimiter(int slots, int retryAfterSeconds, int maxWaiting, Duration maxWait) {
    this(slots, retryAfterSeconds, maxWaiting, maxWait, Integer.MAX_VALUE, Math.max(1, maxWaiting));
  }

  /** As above, with a cap on what one circuit holds and has waiting. */
  public ConcurrencyLimiter(int slots, int retryAfterSeconds, int maxWaiting, Duration maxWait,
      int perCircuitHeld, int perCircuitWaiting) {
    if (slots < 1 || maxWaiting < 0 || maxWait.isNegative() || perCircuitHeld < 1 || perCircuitWaiting < 0) {
      throw new IllegalArgumentException("at least one slot, no negative queue or wait");
    }
    this.free = slots;
    this.retryAfterSeconds = retryAfterSeconds;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWait.toNanos();
    this.perCircuitHeld = perCircuitHeld;
    this.perCircuitWaiting = perCircuitWaiting;
  }

  /** A held slot; close it to release. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** One circuit's slots held and callers waiting. */
  private static final class Share {
    final Object owner;
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    int held;

    Share(Object owner) {
      this.owner = owner;
    }
  }

  private static final class Waiter {
    boolean granted;
    boolean evicted;
  }

  public Slot acquire() {
    Object owner = CurrentCircuit.get();
    if (owner == null) {
      owner = new Object();
    }
    Share share;
    Waiter me;
    synchronized (this) {
      share = shares.computeIfAbsent(owner, Share::new);
      boolean mayHoldMore = share.held < perCircuitHeld;
      if (mayHoldMore && free > 0) {
        free--;
        share.held++;
        return slotOf(share);
      }
      if (share.queue.size() >= perCircuitWaiting || !mayHoldMore && maxWaiting == 0) {
        forgetIfEmpty(share);
        throw new TooManyRequestsException(retryAfterSeconds);
      }
      if (waitingTotal >= maxWaiting && !evictFromLongestQueue(share)) {
        forgetIfEmpty(share);
        throw new ServiceBusyException(retryAfterSeconds);
      }
      me = new Waiter();
      share.queue.add(me);
      if (share.queue.size() == 1) {
        turns.add(share);
      }
      waitingTotal++;
      long deadline = System.nanoTime() + maxWaitNanos;
      try {
        for (long left = maxWaitNanos; !me.granted && !me.evicted && left > 0;
            left = deadline - System.nanoTime()) {
          wait(Math.max(1, left / 1_000_000), 0);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (me.granted) {
        return slotOf(share);
      }
      if (me.evicted) {
        forgetIfEmpty(share);
        throw new TooManyRequestsException(retryAfterSeconds);
      }
      share.queue.remove(me);
      waitingTotal--;
      if (share.queue.isEmpty()) {
        turns.remove(share);
      }
      forgetIfEmpty(share);
    }
    throw new ServiceBusyException(retryAfterSeconds);
  }

  private Slot slotOf(Share share) {
    boolean[] released = new boolean[1];
    return () -> {
      synchronized (this) {
        if (!released[0]) {
          released[0] = true;
          release(share);
        }
      }
    };
  }

  /**
   * The queue is full: makes room for {@code arriving} by refusing (429) the newest waiter of
   * the circuit with the most waiters, when that circuit has more waiting than
   * {@code arriving} would have with this caller. So many callers of a few circuits cannot
   * fill the queue against a circuit with none waiting: the queue is shared out, not taken
   * first come. False when no circuit has more (then the queue is fairly full: 503).
   */
  private boolean evictFromLongestQueue(Share arriving) {
    Share longest = null;
    for (Share s : turns) {
      if (longest == null || s.queue.size() > longest.queue.size()) {
        longest = s;
      }
    }
    if (longest == null || longest == arriving || longest.queue.size() <= arriving.queue.size() + 1) {
      return false;
    }
    Waiter newest = longest.queue.pollLast();
    newest.evicted = true;
    waitingTotal--;
    if (longest.queue.isEmpty()) {
      turns.remove(longest);
    }
    notifyAll();
    return true;
  }

  /** Gives the freed slot to the next circuit in turn that may hold one more, or frees it. */
  private void release(Share share) {
    share.held--;
    for (int i = turns.size(); i > 0; i--) {
      Share next = turns.poll();
      if (next.held >= perCircuitHeld) {
        turns.add(next);
        continue;
      }
      Waiter w = next.queue.poll();
      waitingTotal--;
      next.held++;
      w.granted = true;
      if (!next.queue.isEmpty()) {
        turns.add(next);
      }
      notifyAll();
      forgetIfEmpty(share);
      return;
    }
    free++;
    forgetIfEmpty(share);
  }

  private void forgetIfEmpty(Share share) {
    if (share.held == 0 && share.queue.isEmpty()) {
      shares.remove(share.owner, share);
    }
  }

  /** Callers waiting for a slot now. */
  public synchronized int waiting() {
    return waitingTotal;
  }

  public synchronized int available() {
    return free;
  }
}

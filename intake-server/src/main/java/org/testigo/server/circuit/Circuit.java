package org.testigo.server.circuit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.testigo.server.config.FairnessSettings;

/**
 * One circuit's share (SECURITY.md, "Intake under attack"): its open connections and requests,
 * its open uploads and their bytes, and its budgets of Argon2id derivations, mailboxes,
 * submissions and upload creations. In memory only; {@link CircuitTable} forgets it once it is {@link #idle}.
 */
public final class Circuit {
  /** What a request costs against the per-period budgets. */
  public enum Cost { KEY_DERIVATION, MAILBOX, SUBMISSION, UPLOAD }

  private final CircuitKey key;
  private final FairnessSettings settings;
  private final LongSupplier nanos;
  private final TokenBucket derivations;
  private final TokenBucket mailboxes;
  private final TokenBucket submissions;
  private final TokenBucket uploadCreations;
  private int connections;
  private int requests;
  private int bodies;
  private int openUploads;
  private long uploadBytes;
  private long lastUsed;

  Circuit(CircuitKey key, FairnessSettings settings, LongSupplier nanos) {
    this.key = key;
    this.settings = settings;
    this.nanos = nanos;
    long now = nanos.getAsLong();
    this.derivations = new TokenBucket(settings.getKeyDerivationsPerMinute(), TimeUnit.MINUTES.toNanos(1), now);
    this.mailboxes = new TokenBucket(settings.getMailboxesPerHour(), TimeUnit.HOURS.toNanos(1), now);
    this.submissions = new TokenBucket(settings.getSubmissionsPerHour(), TimeUnit.HOURS.toNanos(1), now);
    this.uploadCreations = new TokenBucket(settings.getUploadsPerHour(), TimeUnit.HOURS.toNanos(1), now);
    this.lastUsed = now;
  }

  /** A circuit of its own, in no table: for a caller that arrived outside the source connector. */
  public static Circuit standalone(FairnessSettings settings) {
    return new Circuit(CircuitKey.ownConnection(), settings, System::nanoTime);
  }

  CircuitKey key() {
    return key;
  }

  public FairnessSettings settings() {
    return settings;
  }

  synchronized void connectionOpened() {
    connections++;
    lastUsed = nanos.getAsLong();
  }

  synchronized void connectionClosed() {
    connections--;
    lastUsed = nanos.getAsLong();
  }

  /** Starts a request; false (nothing counted) when the circuit already has its maximum. */
  public synchronized boolean enter() {
    if (requests >= settings.getMaxConcurrentRequests()) {
      return false;
    }
    requests++;
    lastUsed = nanos.getAsLong();
    return true;
  }

  public synchronized void leave() {
    requests--;
    lastUsed = nanos.getAsLong();
  }

  /**
   * Starts reading a request body; false (nothing counted) when the circuit already has
   * {@link FairnessSettings#getMaxConcurrentBodies} bodies arriving.
   */
  public synchronized boolean enterBody() {
    if (bodies >= settings.getMaxConcurrentBodies()) {
      return false;
    }
    bodies++;
    return true;
  }

  public synchronized void leaveBody() {
    bodies--;
  }

  /**
   * Pays {@code costs} if every one of them can be paid now and returns 0; otherwise pays none
   * and returns the nanoseconds until all could be.
   */
  public synchronized long charge(Cost... costs) {
    long now = nanos.getAsLong();
    long wait = 0;
    for (Cost c : costs) {
      wait = Math.max(wait, bucket(c).waitNanos(now));
    }
    if (wait == 0) {
      for (Cost c : costs) {
        bucket(c).take(now);
      }
      lastUsed = now;
    }
    return wait;
  }

  /**
   * Gives back what {@link #charge} took for a request the server could not serve (503: its
   * own overload, not the circuit's doing), so that an honest circuit is not locked out after
   * an attack on the server has ended.
   */
  public synchronized void refund(Cost... costs) {
    for (Cost c : costs) {
      bucket(c).give();
    }
  }

  private TokenBucket bucket(Cost c) {
    return switch (c) {
      case KEY_DERIVATION -> derivations;
      case MAILBOX -> mailboxes;
      case SUBMISSION -> submissions;
      case UPLOAD -> uploadCreations;
    };
  }

  /** Counts one more open upload; false when the circuit holds its maximum already. */
  public synchronized boolean openUpload() {
    if (openUploads >= settings.getMaxOpenUploads()) {
      return false;
    }
    openUploads++;
    lastUsed = nanos.getAsLong();
    return true;
  }

  /** An upload of this circuit ended (committed, deleted or released) holding {@code bytes}. */
  public synchronized void closeUpload(long bytes) {
    openUploads--;
    uploadBytes -= bytes;
    lastUsed = nanos.getAsLong();
  }

  /** Reserves room for {@code n} more upload bytes; false when that passes the circuit's maximum. */
  public synchronized boolean reserveUploadBytes(long n) {
    if (n < 0 || uploadBytes + n > settings.getMaxUploadBytes()) {
      return false;
    }
    uploadBytes += n;
    return true;
  }

  /** Gives back reserved bytes that did not arrive. */
  public synchronized void releaseUploadBytes(long n) {
    uploadBytes -= n;
  }

  synchronized int connections() {
    return connections;
  }

  synchronized boolean holdsNothing() {
    return connections == 0 && requests == 0 && openUploads == 0;
  }

  /** Nothing open and every budget full again: forgetting it loses nothing. */
  synchronized boolean idle() {
    long now = nanos.getAsLong();
    return holdsNothing() && derivations.isFull(now) && mailboxes.isFull(now) && submissions.isFull(now)
        && uploadCreations.isFull(now);
  }

  synchronized long lastUsed() {
    return lastUsed;
  }

  @Override
  public String toString() {
    return key.toString();
  }
}

package org.testigo.server.log;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.server.storage.TransparencyLog;

/**
 * Signs a tree head at every multiple of the interval on the UTC clock (by default each full
 * hour), with the boundary itself as the head's timestamp, and once at start. Tree heads are NOT signed per
 * submission: a head's time would then reveal when a report arrived, to the millisecond
 * (ARCHITECTURE invariant 2). A head of unchanged size is re-signed only once the latest
 * head is older than {@code refresh}, so auditors still see a fresh signature.
 *
 * <p>Several instances may run this against one database (or a Galera cluster): only the
 * holder of the signer lease (a database row with an expiry, renewed at every boundary)
 * signs; if it dies, another instance takes over once the lease expired. Independently of the
 * lease, heads are stored one at a time and never go back in size or time
 * ({@link TransparencyLog#signTreeHead}), so even two signers cannot publish a head that
 * contradicts an earlier one. docs/decisions/0007-galera-multi-master.md.
 */
public final class TreeHeadSigner implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(TreeHeadSigner.class);
  private final TransparencyLog log;
  private final LogSigningKey key;
  private final Clock clock;
  private final long intervalMillis;
  private final long refreshMillis;
  private final byte[] holder = new byte[16];
  private final long leaseMillis;
  private ScheduledExecutorService executor;

  public TreeHeadSigner(TransparencyLog log, LogSigningKey key, Clock clock, Duration interval,
      Duration refresh) {
    if (interval.toMillis() < 1000) {
      throw new IllegalArgumentException("the tree head interval is at least one second");
    }
    this.log = log;
    this.key = key;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.refreshMillis = refresh.toMillis();
    this.leaseMillis = Math.max(2 * intervalMillis + 5_000, 30_000);
    new java.security.SecureRandom().nextBytes(holder);
  }

  /** The latest boundary at or before now. */
  public long currentBoundary() {
    long now = clock.millis();
    return now - Math.floorMod(now, intervalMillis);
  }

  /**
   * Signs at {@code boundaryMillis} if this instance holds the signer lease and the log grew
   * since the latest head, or that head is older than the refresh age; returns the latest
   * head afterwards (null if none and this instance is not the signer).
   */
  public SignedTreeHead signIfDue(long boundaryMillis) {
    log.sequence();
    var latest = log.latestTreeHead();
    if (!log.holdSignerLease(holder, clock.millis(), leaseMillis)) {
      return latest.orElse(null);
    }
    if (latest.isPresent() && latest.get().treeSize() == log.size()
        && boundaryMillis - latest.get().timestampMillis() < refreshMillis) {
      return latest.get();
    }
    if (latest.isPresent() && latest.get().timestampMillis() > boundaryMillis) {
      return latest.get();
    }
    return log.signTreeHead(key, boundaryMillis);
  }

  /**
   * Signs once at start with the start time (not a boundary: a boundary before the start may
   * precede the manifest just issued, whose log key signs), then on every boundary.
   */
  @Override
  public void start() {
    signIfDue(clock.millis());
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tree-head-signer");
      t.setDaemon(true);
      return t;
    });
    long delay = intervalMillis - Math.floorMod(clock.millis(), intervalMillis);
    executor.scheduleAtFixedRate(this::tick, delay, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      signIfDue(currentBoundary());
    } catch (RuntimeException e) {
      LOG.error("signing a tree head failed ({}); will retry at the next boundary", e.getClass().getSimpleName());
    }
  }

  @Override
  public void stop() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}

package org.testigo.cli.cases;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * Opens the envelopes that {@code sync} has just stored into their report-index entries
 * ({@link ReportIndex#entry}) while it downloads the next pages, so that the index built at
 * the end of the sync ({@link ReportIndex#current(Path, LocalCache, String,
 * org.testigo.cli.remote.ServerRegistry.Server, ReviewerIdentity, java.io.PrintWriter, Map)})
 * takes them instead of opening them again (issue #22). Only ids whose page was checkpointed
 * are handed over.
 *
 * <p>Each entry carries the stamp its files had BEFORE they were opened ({@link ReportIndex#stamp}),
 * so an envelope changed afterwards (a rewrap, an erasure) no longer matches the index's scan
 * and is opened again there. An envelope that cannot be stamped or read here is simply left
 * out: the index opens it itself and reports what it finds.
 *
 * <p>Bounded: {@code threads} openers (as the index build uses) and at most {@code maxQueued}
 * ids waiting or being opened; {@link #open} blocks beyond that, which slows the download to
 * the pace of opening instead of growing a queue. Nothing decrypted is kept but the entries
 * (the facts the index stores anyway); nothing is written to disk.
 */
final class IndexPreOpener implements AutoCloseable {
  private final LocalCache cache;
  private final Path subs;
  private final ReviewerIdentity identity;
  private final ExecutorService pool;
  private final int maxQueued;
  private final Semaphore slots;
  private final Map<String, ReportIndex.Entry> opened = new ConcurrentHashMap<>();

  IndexPreOpener(LocalCache cache, ReviewerIdentity identity, int threads, int maxQueued) {
    this.cache = cache;
    this.subs = cache.directory().resolve("submissions");
    this.identity = identity;
    this.maxQueued = maxQueued;
    this.slots = new Semaphore(maxQueued);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "index-preopen");
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues these stored, checkpointed submissions to be opened; blocks while the queue is full. */
  void open(List<String> ids) throws InterruptedIOException {
    for (String id : ids) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while opening the synced envelopes");
      }
      try {
        pool.execute(() -> {
          try {
            String stamp = ReportIndex.stamp(subs, id);
            opened.put(id, ReportIndex.entry(cache, id, stamp, identity));
          } catch (IOException | RuntimeException e) {
            // left out: the index opens it again and reports what it finds
          } finally {
            slots.release();
          }
        });
      } catch (RejectedExecutionException e) {
        slots.release();
        return;
      }
    }
  }

  /**
   * Waits for the envelopes still queued (with the "index" progress bar when some are) and
   * returns every entry opened, by id.
   */
  Map<String, ReportIndex.Entry> finish() throws InterruptedIOException {
    int pending = maxQueued - slots.availablePermits();
    try {
      if (pending > 0) {
        try (ProgressBar bar = ProgressBars.of("index", pending)) {
          while (!slots.tryAcquire(maxQueued, 200, TimeUnit.MILLISECONDS)) {
            bar.stepTo(pending - (maxQueued - slots.availablePermits()));
          }
          slots.release(maxQueued);
          bar.stepTo(pending);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while opening the synced envelopes");
    }
    pool.shutdown();
    return opened;
  }

  /**
   * Stops opening and waits (a few seconds at most: reading an envelope file stops at the
   * interrupt) until no thread uses the private key, which the session destroys next.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

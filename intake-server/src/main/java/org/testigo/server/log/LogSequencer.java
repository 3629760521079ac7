package org.testigo.server.log;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.server.storage.TransparencyLog;

/**
 * Runs {@link TransparencyLog#sequence()} every {@code interval} (by default 200 ms) on a
 * daemon thread, so committed pending leaves get their indices within about that time. Runs on
 * every instance: concurrent sequencers take turns on the log's counter row and move each
 * leaf once. Leaves left pending by an instance that died are sequenced by any other, or by
 * this one after a restart. A failed pass is logged (without details that could identify a
 * source) and retried at the next tick.
 */
public final class LogSequencer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(LogSequencer.class);
  private final TransparencyLog log;
  private final long intervalMillis;
  private ScheduledExecutorService executor;

  public LogSequencer(TransparencyLog log, Duration interval) {
    if (interval.toMillis() < 10) {
      throw new IllegalArgumentException("the sequencer interval is at least 10 ms");
    }
    this.log = log;
    this.intervalMillis = interval.toMillis();
  }

  /** Sequences what an earlier run left pending, then starts the periodic task. */
  @Override
  public void start() {
    log.sequence();
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "log-sequencer");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      log.sequence();
    } catch (RuntimeException e) {
      LOG.error("sequencing pending log leaves failed ({}); will retry", e.getClass().getSimpleName());
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

package org.testigo.cli.remote;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Files written by {@code sync} that are being forced to disk ({@link FileChannel#force}) on a
 * small pool while the next ones are downloaded, through the channel that wrote them: no file
 * is opened again to be forced. {@link #await} waits until every file handed over is on disk
 * (a sync checkpoint, {@link LocalCache#force(PendingForces)}); only then may a cursor move
 * past them. Each channel is closed once forced, or by {@link #close} if the sync stops first.
 *
 * <p>At most {@code maxOpen} channels wait to be forced: {@link #add} blocks beyond that, so a
 * slow disk slows the download instead of holding a file descriptor per downloaded file.
 */
public final class PendingForces implements AutoCloseable {
  private final ExecutorService pool;
  private final int maxOpen;
  private final Semaphore slots;
  private final Set<FileChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final AtomicInteger sinceAwait = new AtomicInteger();

  /** A pool of {@code threads} forcing at most {@code maxOpen} files at a time (the file system commits them together). */
  public PendingForces(int threads, int maxOpen) {
    this.maxOpen = maxOpen;
    this.slots = new Semaphore(maxOpen);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sync-fsync");
      t.setDaemon(true);
      return t;
    });
  }

  /** Forces the file written through {@code channel} to disk, then closes the channel. */
  public void add(FileChannel channel) throws IOException {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      close(channel);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the cache");
    }
    open.add(channel);
    sinceAwait.incrementAndGet();
    try {
      pool.execute(() -> {
        try {
          channel.force(true);
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        } finally {
          close(channel);
          open.remove(channel);
          slots.release();
        }
      });
    } catch (RejectedExecutionException e) {
      close(channel);
      open.remove(channel);
      slots.release();
      throw new IOException("the cache writer was stopped", e);
    }
  }

  /**
   * Waits until every file handed to {@link #add} is forced to disk; returns how many were
   * handed over since the previous call. Throws the first error of forcing one.
   */
  public int await() throws IOException {
    try {
      slots.acquire(maxOpen);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the cache");
    }
    slots.release(maxOpen);
    IOException e = failure.getAndSet(null);
    if (e != null) {
      throw e;
    }
    return sinceAwait.getAndSet(0);
  }

  /** Stops forcing; closes the channels not forced yet (their files are not durable). */
  @Override
  public void close() {
    pool.shutdownNow();
    for (FileChannel c : open) {
      close(c);
    }
  }

  private static void close(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // the file is not counted as durable either way
    }
  }
}

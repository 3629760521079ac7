package org.testigo.api.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that gives up when the server sends nothing for {@code idleSeconds}: a
 * watchdog closes the underlying stream under the thread blocked in {@link #read} (which
 * wakes it and drops the connection), and the read then throws a {@link ClientException}
 * ({@link ClientException.Kind#SERVER}). The Java HTTP client bounds the time to
 * the response headers, not the time between body bytes; without this a server dripping a
 * byte now and then could hold {@code sync} for ever.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "reviewer-http-idle");
    t.setDaemon(true);
    return t;
  });
  private final long idleNanos;
  private final String what;
  private final Object lock = new Object();
  private Thread reader;
  private volatile ScheduledFuture<?> check;
  private long lastProgress;
  private boolean timedOut;

  public IdleTimeoutInputStream(InputStream in, int idleSeconds, String what) {
    super(in);
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
    this.what = what;
    this.lastProgress = System.nanoTime();
    long period = Math.max(100, TimeUnit.SECONDS.toMillis(idleSeconds) / 4);
    this.check = WATCHDOG.scheduleAtFixedRate(this::watch, period, period, TimeUnit.MILLISECONDS);
  }

  private void watch() {
    synchronized (lock) {
      if (reader == null || timedOut || System.nanoTime() - lastProgress <= idleNanos) {
        return;
      }
      timedOut = true;
    }
    check.cancel(false);
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // the blocked read ends either way
    }
  }

  private void enter() {
    synchronized (lock) {
      if (timedOut) {
        throw timeout();
      }
      reader = Thread.currentThread();
    }
  }

  private void leave(int n) {
    synchronized (lock) {
      reader = null;
      if (n > 0) {
        lastProgress = System.nanoTime();
      }
      if (timedOut) {
        throw timeout();
      }
    }
  }

  private ClientException timeout() {
    return new ClientException(ClientException.Kind.SERVER, "the server sent nothing for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
        + " s while sending " + what + "; gave up (nothing past the last checkpoint was recorded)");
  }

  /**
   * The connection failed while the server was sending (cut short, bad chunked framing, reset):
   * the server's doing or the network's, never a local file's, so it is a
   * {@link ClientException} ({@link ClientException.Kind#SERVER}), not an {@link IOException}
   * that a tool would report as a disk error. (A timeout of the watchdog wins over this in
   * {@code leave}.)
   */
  private ClientException broken(IOException e) {
    String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    return new ClientException(ClientException.Kind.SERVER, "the connection to the server broke while it was"
        + " sending " + what + " (" + why + "); nothing past the last checkpoint was recorded");
  }

  @Override
  public int read() throws IOException {
    enter();
    int b = -1;
    try {
      b = super.read();
      return b;
    } catch (IOException e) {
      throw broken(e);
    } finally {
      leave(b < 0 ? 0 : 1);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    enter();
    int n = -1;
    try {
      n = super.read(b, off, len);
      return n;
    } catch (IOException e) {
      throw broken(e);
    } finally {
      leave(Math.max(n, 0));
    }
  }

  @Override
  public void close() throws IOException {
    check.cancel(false);
    super.close();
  }
}

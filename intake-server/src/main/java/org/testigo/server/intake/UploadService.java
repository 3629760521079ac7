package org.testigo.server.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.testigo.api.EnvelopeId;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.LimitedInputStream;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.domain.TooManyRequestsException;

/**
 * Resumable uploads of envelopes sealed in the browser (docs/spec/payload-and-questionnaire.md §5 section 4).
 * An upload is a file of ciphertext in {@code <data>/uploads}, named by 128 random bits, that
 * grows by pieces appended at the offset the client names. A piece is appended whole or not
 * at all: if its body breaks off, the file is cut back to where it was. On commit the file is
 * streamed through {@link SubmissionService#submit} (Envelope.inspect, recipients, mailbox
 * link, one transaction) and deleted.
 *
 * <p>Server-wide slots go to uploads that move data (docs/decisions/0026). A new upload is
 * <em>pending</em>: it holds no server-wide slot, only a place among at most
 * {@link Bounds#maxPending} pending uploads; when they are all taken, a new one evicts the
 * oldest pending upload (whose id then answers 404) instead of being refused. An upload becomes
 * <em>active</em> when a piece starts to arrive: it then takes one of {@link Bounds#maxActive}
 * slots and reserves room for the piece among {@link Bounds#maxDiskBytes} bytes of uncommitted
 * uploads; with no slot or no room free, the piece gets 503 before any byte is read and the
 * upload stays pending. A piece that stores nothing (empty, or broken off and cut back) gives
 * the slot back. So uploads that never send a byte cannot keep honest ones out; what an
 * attacker can still hold is bounded in SECURITY.md §8.5.
 *
 * <p>Bounded in every other way too: each envelope is at most {@code maxEnvelopeBytes}, each
 * piece at most {@code maxPieceBytes}. Uploads must make progress: an uncommitted upload that
 * has received no byte for {@code stall} (a pending one: since it was created) is released (an
 * empty piece, or bytes of a piece that broke off and were cut back, do not count as progress),
 * an upload still uncommitted {@code maxAge} after it opened is released, and a committed result
 * is kept (so that a repeated commit is answered the same) for {@code idle}. Each circuit
 * ({@link CurrentCircuit}) may hold its share of open uploads, pending or active, and of bytes
 * ({@link Circuit#openUpload}, {@link Circuit#reserveUploadBytes}); beyond it, 429. How many
 * uploads a circuit may create per hour is charged before the request is served
 * ({@code CircuitFilter}). Nothing about the client is recorded; the files' modification times
 * are set to the epoch, and the last-activity time lives only in memory. All uploads are
 * deleted when the server starts (keys are never kept, so a client cannot resume across a
 * restart anyway; it starts again).
 *
 * <p>Locking: a piece holds its upload's lock while its body arrives; the service's own lock is
 * held only briefly, for the counts, and never waits for an upload's lock (expiry and eviction
 * skip an upload whose piece is arriving), so a slow piece never holds up another client. No
 * request ever waits for an upload's lock either (SECURITY.md §8.5, F0 of the 2026-12 review):
 * {@link #status} reads volatile fields and takes no lock (while a piece arrives it tells the
 * offset before that piece, which is what the piece is appended to whole or not at all), and
 * another piece, a commit or a delete of an upload whose piece is arriving is answered at once
 * with 503 and Retry-After ({@link ServiceBusyException}), never parked on a worker thread.
 */
public final class UploadService {
  /** The state of one upload, for the client. */
  public record Status(String id, long offset, boolean committed) {}

  /**
   * The service's bounds: active uploads (moving data) at once, pending (byteless) uploads kept,
   * bytes of uncommitted uploads on disk (stored plus reserved for pieces arriving), the size of
   * an envelope and of a piece, how long a committed result is kept ({@code idle}), how long an
   * upload may go without a byte ({@code stall}) and stay uncommitted ({@code maxAge}), and the
   * Retry-After of a 429 or 503.
   */
  public record Bounds(int maxActive, int maxPending, long maxDiskBytes, long maxEnvelopeBytes,
      int maxPieceBytes, Duration idle, Duration stall, Duration maxAge, int retryAfterSeconds) {}

  private static final class Upload {
    final String id;
    final Path file;
    final Circuit owner;
    final Instant opened;
    /** Held while a piece arrives or the upload is committed or deleted. */
    final ReentrantLock lock = new ReentrantLock();
    /** Written under the lock, when a piece has arrived whole; read without it (status). */
    volatile long size;
    /**
     * When a byte last arrived (or the upload opened, or committed, or a piece of this pending
     * upload was turned away with 503 for want of a slot): read without the lock.
     */
    volatile Instant lastProgress;
    volatile StoredEnvelope committed;
    volatile boolean released;
    /** Holds a server-wide slot (the service's lock guards it). */
    boolean active;

    Upload(String id, Path file, Circuit owner, Instant now) {
      this.id = id;
      this.file = file;
      this.owner = owner;
      this.opened = now;
      this.lastProgress = now;
    }

    /** Gives the owner's share (its place and its bytes) back once, when the upload is committed or deleted. */
    void releaseShare() {
      if (!released) {
        released = true;
        if (owner != null) {
          owner.closeUpload(size);
        }
      }
    }
  }

  private final Path dir;
  private final SubmissionService submissions;
  private final Bounds bounds;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  /** Pending uploads in the order they were created (the service's lock guards it and the counts). */
  private final Map<String, Upload> pending = new LinkedHashMap<>();
  private int active;
  private long diskBytes;
  private long evicted;

  public UploadService(Path dir, SubmissionService submissions, Bounds bounds, Clock clock, SecureRandom random)
      throws IOException {
    this.dir = dir;
    this.submissions = submissions;
    this.bounds = bounds;
    this.clock = clock;
    this.random = random;
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : (Iterable<Path>) old::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  public long maxEnvelopeBytes() {
    return bounds.maxEnvelopeBytes();
  }

  public int maxPieceBytes() {
    return bounds.maxPieceBytes();
  }

  /**
   * Opens a new, empty (pending) upload: 429 when the caller's circuit holds its share of open
   * uploads. When {@code maxPending} pending uploads exist, the oldest one whose piece is not
   * arriving right now is released to make room; 503 only when every one of them has a piece
   * arriving.
   */
  public Status create() throws IOException {
    expire();
    Circuit owner = CurrentCircuit.get();
    if (owner != null && !owner.openUpload()) {
      throw new TooManyRequestsException(bounds.retryAfterSeconds());
    }
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String id = HexFormat.of().formatHex(raw);
    Path file = dir.resolve(id + ".part");
    Upload u = new Upload(id, file, owner, clock.instant());
    try {
      synchronized (this) {
        while (pending.size() >= bounds.maxPending()) {
          if (!evictOldestPending()) {
            throw new ServiceBusyException(bounds.retryAfterSeconds());
          }
        }
        Files.createFile(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        pending.put(id, u);
        uploads.put(id, u);
      }
    } catch (IOException | RuntimeException e) {
      if (owner != null) {
        owner.closeUpload(0);
      }
      Files.deleteIfExists(file);
      throw e;
    }
    return new Status(id, 0, false);
  }

  /** Releases the oldest pending upload not locked by an arriving piece; false when none is free. */
  private boolean evictOldestPending() {
    for (Upload u : pending.values()) {
      if (u.lock.tryLock()) {
        try {
          releaseLocked(u);
        } finally {
          u.lock.unlock();
        }
        evicted++;
        return true;
      }
    }
    return false;
  }

  /** Pending uploads released so far to make room for newer ones (a figure for tests and benchmarks). */
  public synchronized long evictedCount() {
    return evicted;
  }

  /** Uploads holding a server-wide slot now. */
  public synchronized int activeCount() {
    return active;
  }

  /** Pending (byteless) uploads now. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /**
   * The upload's current offset, without its lock: answered at once even while a slow piece
   * arrives (the offset then is the one before that piece).
   */
  public Status status(String id) {
    Upload u = find(id);
    StoredEnvelope committed = u.committed;
    long size = u.size;
    if (u.released && committed == null) {
      throw new UnknownUploadException();
    }
    return new Status(id, size, committed != null);
  }

  /**
   * Takes {@code u}'s lock if no other request holds it; otherwise 503 with Retry-After at once
   * (a piece is arriving, or a commit is running): a request never waits for another's body.
   */
  private void lockOrBusy(Upload u) {
    if (!u.lock.tryLock()) {
      throw new ServiceBusyException(bounds.retryAfterSeconds());
    }
  }

  /**
   * Appends {@code body} at {@code offset}. Returns the new size, or throws
   * {@link OffsetMismatchException} (with the current size) when offset is not the current size.
   * A pending upload first takes a server-wide slot (503 when none is free, nothing read).
   */
  public Status append(String id, long offset, Long contentLength, InputStream body) throws IOException {
    Upload u = find(id);
    lockOrBusy(u);
    try {
      if (u.released && u.committed == null) {
        throw new UnknownUploadException(); // evicted or expired before this piece took the lock
      }
      if (u.committed != null || offset != u.size) {
        throw new OffsetMismatchException(u.size);
      }
      if ((contentLength != null && (contentLength > bounds.maxPieceBytes()
          || u.size + contentLength > bounds.maxEnvelopeBytes()))) {
        throw new PayloadTooLargeException();
      }
      long limit = Math.min(bounds.maxPieceBytes(), bounds.maxEnvelopeBytes() - u.size);
      long reserved = contentLength != null ? contentLength : limit;
      if (u.owner != null && !u.owner.reserveUploadBytes(reserved)) {
        throw new TooManyRequestsException(bounds.retryAfterSeconds());
      }
      try {
        admit(u, reserved);
      } catch (RuntimeException e) {
        if (u.owner != null) {
          u.owner.releaseUploadBytes(reserved);
        }
        throw e;
      }
      long written = 0;
      Instant progressBefore = u.lastProgress;
      try (FileChannel ch = FileChannel.open(u.file, StandardOpenOption.WRITE)) {
        ch.position(u.size);
        try {
          OutputStream out = Channels.newOutputStream(ch);
          written = new Progress(new LimitedInputStream(body, limit), u, clock).transferTo(out);
          out.flush();
        } catch (IOException | RuntimeException e) {
          ch.truncate(u.size);
          written = 0;
          // Bytes cut back are no progress: a piece that sends a byte and breaks off must not
          // keep the upload alive.
          u.lastProgress = progressBefore;
          throw e;
        }
        u.size += written;
      } finally {
        if (u.owner != null) {
          u.owner.releaseUploadBytes(reserved - written);
        }
        settle(u, reserved - written);
      }
      Files.setLastModifiedTime(u.file, FileTime.fromMillis(0));
      return new Status(id, u.size, false);
    } finally {
      u.lock.unlock();
    }
  }

  /**
   * Makes room for a piece of {@code reserved} bytes: takes a server-wide slot if the upload is
   * pending, and reserves the bytes; 503 (nothing taken) when either is not free.
   */
  private synchronized void admit(Upload u, long reserved) {
    boolean slot = !u.active;
    if (slot && active >= bounds.maxActive() || diskBytes + reserved > bounds.maxDiskBytes()) {
      if (slot) {
        // A pending upload turned away for want of a slot or room is waiting, not abandoned: its
        // stall clock starts again, so an honest client retrying behind a full house is not
        // released after the stall time (F1 of the 2026-12 review). maxAge still bounds it, and
        // maxPending with eviction of the oldest bounds how many such uploads exist.
        u.lastProgress = clock.instant();
      }
      throw new ServiceBusyException(bounds.retryAfterSeconds());
    }
    if (slot) {
      u.active = true;
      active++;
      pending.remove(u.id);
    }
    diskBytes += reserved;
  }

  /**
   * After a piece: gives back the {@code unused} reserved bytes, and the slot if the upload
   * still holds no byte (it is pending again, in its place by creation time).
   */
  private synchronized void settle(Upload u, long unused) {
    diskBytes -= unused;
    if (u.active && u.size == 0 && !u.released) {
      u.active = false;
      active--;
      pending.put(u.id, u);
      reorderPending();
    }
  }

  /** Keeps {@link #pending} in creation order after an upload came back to it. */
  private void reorderPending() {
    List<Upload> all = new ArrayList<>(pending.values());
    all.sort(java.util.Comparator.comparing(x -> x.opened));
    pending.clear();
    for (Upload x : all) {
      pending.put(x.id, x);
    }
  }

  /** Notes the time of each byte that arrives: an upload receiving bytes is not stalled. */
  private static final class Progress extends java.io.FilterInputStream {
    private final Upload upload;
    private final Clock clock;

    Progress(InputStream in, Upload upload, Clock clock) {
      super(in);
      this.upload = upload;
      this.clock = clock;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        upload.lastProgress = clock.instant();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        upload.lastProgress = clock.instant();
      }
      return n;
    }
  }

  /**
   * Stores the uploaded envelope (checked by {@link SubmissionService#submit}); idempotent: a
   * repeated commit of the same upload returns the same envelope. A rejected envelope deletes
   * the upload.
   */
  public StoredEnvelope commit(String id, Optional<byte[]> lookupKey) throws IOException {
    Upload u = find(id);
    StoredEnvelope done = u.committed;
    if (done != null) {
      return done; // a repeated commit is answered the same, without the lock
    }
    lockOrBusy(u);
    try {
      if (u.committed != null) {
        return u.committed;
      }
      if (u.released) {
        throw new UnknownUploadException();
      }
      StoredEnvelope stored;
      try (InputStream in = Files.newInputStream(u.file)) {
        stored = submissions.submitArrived(in, lookupKey).envelope();
      } catch (InvalidInputException | PayloadTooLargeException e) {
        releaseLocked(u);
        throw e;
      } catch (IOException | RuntimeException e) {
        // The server could not store it now (busy, database down): the client will commit
        // again, and a whole upload waiting for that is not a stalled one.
        u.lastProgress = clock.instant();
        throw e;
      }
      // committed before released: status(), which takes no lock, must never see a committed
      // upload as released and answer 404.
      u.committed = stored;
      u.releaseShare();
      freeLocked(u);
      u.lastProgress = clock.instant();
      Files.deleteIfExists(u.file);
      return stored;
    } finally {
      u.lock.unlock();
    }
  }

  public void delete(String id) {
    Upload u = uploads.get(id);
    if (u != null) {
      lockOrBusy(u);
      try {
        releaseLocked(u);
      } finally {
        u.lock.unlock();
      }
    }
  }

  /**
   * Forgets {@code u} (its lock held by the caller): gives back its circuit's share, its slot or
   * pending place and its bytes, and deletes its file.
   */
  private void releaseLocked(Upload u) {
    uploads.remove(u.id, u);
    if (u.committed == null) {
      u.releaseShare();
      freeLocked(u);
    }
    u.released = true;
    try {
      Files.deleteIfExists(u.file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives back the slot or pending place and the stored bytes of an upload that ends (once). */
  private synchronized void freeLocked(Upload u) {
    if (pending.remove(u.id, u)) {
      return;
    }
    if (u.active) {
      u.active = false;
      active--;
      diskBytes -= u.size;
    }
  }

  /**
   * Releases uncommitted uploads that received no byte for the stall time, and forgets
   * committed results after the idle time. An upload whose piece is arriving right now is
   * never released (its bytes count as progress as they arrive; a piece that sends nothing is
   * cut off by the connector's idle timeout, and the next sweep finds the upload stalled).
   */
  public synchronized void expire() {
    Instant now = clock.instant();
    Instant stalled = now.minus(bounds.stall());
    Instant forgotten = now.minus(bounds.idle());
    Instant tooOld = now.minus(bounds.maxAge());
    for (Upload u : uploads.values()) {
      if (u.lastProgress.isBefore(u.committed == null ? stalled : forgotten)
          || u.committed == null && u.opened.isBefore(tooOld)) {
        if (u.lock.tryLock()) {
          try {
            releaseLocked(u);
          } finally {
            u.lock.unlock();
          }
        }
      }
    }
  }

  private Upload find(String id) {
    Upload u = EnvelopeId.isCanonical(id) ? uploads.get(id) : null;
    if (u == null) {
      throw new UnknownUploadException();
    }
    return u;
  }

  /** No such upload: never created, expired, deleted, or the server restarted (404). */
  public static final class UnknownUploadException extends RuntimeException {
    public UnknownUploadException() {
      super(null, null, false, false);
    }
  }

  /** The client named an offset other than the upload's current size (409). */
  public static final class OffsetMismatchException extends RuntimeException {
    private final long current;

    public OffsetMismatchException(long current) {
      super(null, null, false, false);
      this.current = current;
    }

    public long current() {
      return current;
    }
  }
}

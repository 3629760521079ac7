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
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Bounded: at most {@code maxOpen} uncommitted uploads exist at once (a committed one
 * keeps only its result, in memory, so that a repeated commit is answered the same), each at most
 * {@code maxEnvelopeBytes}, each piece at most {@code maxPieceBytes}. Uploads must make progress:
 * an uncommitted upload that has received no byte for {@code stall} is released (an empty piece,
 * or bytes of a piece that broke off and were cut back, do not count as progress), an upload
 * still uncommitted {@code maxAge} after it opened is released, and a committed result is
 * forgotten after {@code idle}. Each
 * circuit ({@link CurrentCircuit}) may hold its share of open uploads and bytes
 * ({@link Circuit#openUpload}, {@link Circuit#reserveUploadBytes}); beyond it, 429. Nothing about the client is recorded; the files' modification
 * times are set to the epoch, and the last-activity time lives only in memory. All uploads
 * are deleted when the server starts (keys are never kept, so a client cannot resume across
 * a restart anyway; it starts again).
 */
public final class UploadService {
  /** The state of one upload, for the client. */
  public record Status(String id, long offset, boolean committed) {}

  private static final class Upload {
    final Path file;
    final Circuit owner;
    final Instant opened;
    long size;
    /** When a byte last arrived (or the upload opened, or committed): read without the lock. */
    volatile Instant lastProgress;
    StoredEnvelope committed;
    boolean released;

    Upload(Path file, Circuit owner, Instant now) {
      this.file = file;
      this.owner = owner;
      this.opened = now;
      this.lastProgress = now;
    }

    /** Gives the owner's share back once, when the upload is committed or deleted. */
    void releaseShare() {
      if (!released) {
        released = true;
        if (owner != null) {
          owner.closeUpload(committed == null ? size : 0);
        }
      }
    }
  }

  private final Path dir;
  private final SubmissionService submissions;
  private final int maxOpen;
  private final long maxEnvelopeBytes;
  private final int maxPieceBytes;
  private final Duration idle;
  private final Duration stall;
  private final Duration maxAge;
  private final Clock clock;
  private final SecureRandom random;
  private final int retryAfterSeconds;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  public UploadService(Path dir, SubmissionService submissions, int maxOpen, long maxEnvelopeBytes,
      int maxPieceBytes, Duration idle, Duration stall, Duration maxAge, int retryAfterSeconds, Clock clock,
      SecureRandom random) throws IOException {
    this.maxAge = maxAge;
    this.dir = dir;
    this.submissions = submissions;
    this.maxOpen = maxOpen;
    this.maxEnvelopeBytes = maxEnvelopeBytes;
    this.maxPieceBytes = maxPieceBytes;
    this.idle = idle;
    this.stall = stall;
    this.retryAfterSeconds = retryAfterSeconds;
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
    return maxEnvelopeBytes;
  }

  public int maxPieceBytes() {
    return maxPieceBytes;
  }

  /**
   * Opens a new, empty upload: 429 when the caller's circuit holds its share of open uploads,
   * 503 when {@code maxOpen} are open in all.
   */
  public synchronized Status create() throws IOException {
    expire();
    if (uploads.values().stream().filter(u -> u.committed == null).count() >= maxOpen) {
      throw new ServiceBusyException(retryAfterSeconds);
    }
    Circuit owner = CurrentCircuit.get();
    if (owner != null && !owner.openUpload()) {
      throw new TooManyRequestsException(retryAfterSeconds);
    }
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String id = HexFormat.of().formatHex(raw);
    Path file = dir.resolve(id + ".part");
    try {
      Files.createFile(file);
      Files.setLastModifiedTime(file, FileTime.fromMillis(0));
    } catch (IOException | RuntimeException e) {
      if (owner != null) {
        owner.closeUpload(0);
      }
      throw e;
    }
    uploads.put(id, new Upload(file, owner, clock.instant()));
    return new Status(id, 0, false);
  }

  public Status status(String id) {
    Upload u = find(id);
    synchronized (u) {
      return new Status(id, u.size, u.committed != null);
    }
  }

  /**
   * Appends {@code body} at {@code offset}. Returns the new size, or throws
   * {@link OffsetMismatchException} (with the current size) when offset is not the current size.
   */
  public Status append(String id, long offset, Long contentLength, InputStream body) throws IOException {
    Upload u = find(id);
    synchronized (u) {
      if (u.committed != null || u.released || offset != u.size) {
        throw new OffsetMismatchException(u.size);
      }
      if ((contentLength != null && (contentLength > maxPieceBytes || u.size + contentLength > maxEnvelopeBytes))) {
        throw new PayloadTooLargeException();
      }
      long limit = Math.min(maxPieceBytes, maxEnvelopeBytes - u.size);
      long reserved = contentLength != null ? contentLength : limit;
      if (u.owner != null && !u.owner.reserveUploadBytes(reserved)) {
        throw new TooManyRequestsException(retryAfterSeconds);
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
      }
      Files.setLastModifiedTime(u.file, FileTime.fromMillis(0));
      return new Status(id, u.size, false);
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
    synchronized (u) {
      if (u.committed != null) {
        return u.committed;
      }
      StoredEnvelope stored;
      try (InputStream in = Files.newInputStream(u.file)) {
        stored = submissions.submitArrived(in, lookupKey).envelope();
      } catch (InvalidInputException | PayloadTooLargeException e) {
        delete(id);
        throw e;
      } catch (IOException | RuntimeException e) {
        // The server could not store it now (busy, database down): the client will commit
        // again, and a whole upload waiting for that is not a stalled one.
        u.lastProgress = clock.instant();
        throw e;
      }
      u.releaseShare();
      u.committed = stored;
      u.lastProgress = clock.instant();
      Files.deleteIfExists(u.file);
      return stored;
    }
  }

  public void delete(String id) {
    Upload u = uploads.remove(id);
    if (u != null) {
      synchronized (u) {
        u.releaseShare();
        try {
          Files.deleteIfExists(u.file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * Releases uncommitted uploads that received no byte for the stall time, and forgets
   * committed results after the idle time. An upload whose piece is arriving right now is
   * never released: its bytes count as progress as they arrive.
   */
  public synchronized void expire() {
    Instant now = clock.instant();
    Instant stalled = now.minus(stall);
    Instant forgotten = now.minus(idle);
    Instant tooOld = now.minus(maxAge);
    for (Map.Entry<String, Upload> e : uploads.entrySet()) {
      Upload u = e.getValue();
      if (u.lastProgress.isBefore(u.committed == null ? stalled : forgotten)
          || u.committed == null && u.opened.isBefore(tooOld)) {
        delete(e.getKey());
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

package org.testigo.server.storage;

import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.storage.EnvelopeStore.MailboxLink;

/**
 * Group commit (docs/decisions/0008-group-commit.md): the envelopes that concurrent requests hold in memory are
 * stored by a few writer threads, each taking whatever is queued (up to a count and a byte
 * limit) into ONE transaction: the envelope rows (a one-chunk envelope's bytes inline in its
 * row, §21.5), the chunks of larger ones and the pending log leaves as batched statements,
 * and one commit. A request waits for the commit of its batch and is acknowledged only after
 * it, exactly as when it stores alone.
 *
 * <p>Why: a report stored alone costs a transaction (switching autocommit, three statements,
 * a commit and its log flush) whose cost is mostly per transaction, not per byte. Under load
 * the batches grow by themselves (requests queue while a batch commits), so the per-report
 * cost falls as the load rises; under light load a batch is one envelope and nothing waits.
 *
 * <p>Each writer keeps its own connection between batches, in manual-commit mode (SECURITY.md
 * §21): a batch of one-chunk envelopes costs two statements and the commit, three round trips
 * to the database.
 *
 * <p>What does not change: every envelope is idempotent by its id. A batch inserts without
 * reading first; when an id already has a row (a client's retry, a transaction retried after a
 * commit nobody saw) that insert fails, and the batch runs once more, first reading which ids
 * have a row. Those envelopes are handed back to be stored alone, where the existing row is
 * compared; the others still commit together.
 * A batch that fails for a reason that is not transient (a duplicate id that raced in, a
 * mailbox link that no longer holds) is handed back whole: each envelope is then stored alone
 * and gets its own answer. Transient failures retry the whole batch (it is idempotent) within
 * the transaction runner's attempts and budget, then answer 503 to all of its requests.
 *
 * <p>Bounded: at most {@code maxQueued} envelopes wait; beyond that a request gets 503 with
 * Retry-After at once. Before {@link #start} and after {@link #stop} every envelope is stored
 * alone.
 */
public final class GroupCommit implements ReportWriter, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  /**
   * A safety net only: a batch's transaction is bounded by the runner's retry budget and the
   * socket timeout (§15), far below this; past it the request gets 503 (its envelope may still
   * commit, and a resend with the same submission id then finds it).
   */
  private static final long MAX_WAIT_MINUTES = 5;
  private static final Entry STOP = new Entry(null, null, null, 0, new byte[0], 0, null, Optional.empty(), null);

  /** No writers: every envelope is stored alone. */
  public static final Settings OFF = new Settings(0, 1, 1, 0, 1);

  /** Sizes of the group commit; {@code writers} 0 turns it off. */
  public record Settings(int writers, int maxBatchEnvelopes, long maxBatchBytes, int maxEnvelopeBytes,
      int maxQueued) {
    public Settings {
      if (writers < 0 || maxBatchEnvelopes < 1 || maxBatchBytes < 1 || maxEnvelopeBytes < 0 || maxQueued < 1) {
        throw new IllegalArgumentException("group commit sizes must be positive");
      }
    }
  }

  /** One envelope held in memory, whole, with what its row and leaf record. */
  static final class Entry {
    final EnvelopeId id;
    final String context;
    final LocalDate day;
    final long sizeBucket;
    final byte[] bytes;
    final int chunkCount;
    final byte[] sha256;
    final Optional<MailboxLink> link;
    final LogLeaf leaf;
    final CompletableFuture<Boolean> stored = new CompletableFuture<>();
    /** {@link System#nanoTime} when it was queued. */
    long queuedAt;

    Entry(EnvelopeId id, String context, LocalDate day, long sizeBucket, byte[] bytes, int chunkCount,
        byte[] sha256, Optional<MailboxLink> link, LogLeaf leaf) {
      this.id = id;
      this.context = context;
      this.day = day;
      this.sizeBucket = sizeBucket;
      this.bytes = bytes;
      this.chunkCount = chunkCount;
      this.sha256 = sha256;
      this.link = link;
      this.leaf = leaf;
    }
  }

  private final TransactionRunner transactions;
  private final TransparencyLog log;
  private final int chunkBytes;
  private final Settings settings;
  private final int retryAfterSeconds;
  private final ReportWriter alone;
  private final BlockingQueue<Entry> queue;
  private final List<Thread> writers = new ArrayList<>();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batched = new LongAdder();
  private final LongAdder handedBack = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Timer queueTime = new Timer();
  private final Timer batchTime = new Timer();
  private volatile boolean running;

  /**
   * A group commit with these sizes; an envelope it does not take (too large, not running) or
   * hands back is stored {@code alone}. A full queue answers 503 with {@code retryAfterSeconds}.
   */
  public GroupCommit(TransactionRunner transactions, TransparencyLog log, int chunkBytes, Settings settings,
      int retryAfterSeconds, ReportWriter alone) {
    this.alone = alone;
    this.transactions = transactions;
    this.log = log;
    this.chunkBytes = chunkBytes;
    this.settings = settings;
    this.retryAfterSeconds = retryAfterSeconds;
    this.queue = new ArrayBlockingQueue<>(settings.maxQueued());
  }

  /**
   * Stores the envelope in a batch while running and if it is small enough, else (or when the
   * batch hands it back) alone; returns after the commit.
   */
  @Override
  public EnvelopeStore.Stored write(HeldEnvelope h) {
    if (accepts(h.bytes().length) && store(new Entry(h.id(), h.context(), h.day(), h.sizeBucket(), h.bytes(),
        h.chunkCount(), h.sha256(), h.link(), h.leaf()))) {
      return new EnvelopeStore.Stored(new StoredEnvelope(h.id(), h.day(), h.sizeBucket(), h.chunkCount(),
          StoredEnvelope.NOT_SEQUENCED), false);
    }
    return alone.write(h);
  }

  /** Whether an envelope of this many bytes may be stored in a batch (while running). */
  boolean accepts(int envelopeBytes) {
    return running && envelopeBytes <= settings.maxEnvelopeBytes();
  }

  /**
   * Queues the envelope and waits for the commit of its batch: true once it is committed,
   * false when it must be stored alone (its id has a row already, the batch failed for a
   * reason of one of its envelopes, or the group commit is stopping).
   *
   * @throws ServiceBusyException at once when {@code maxQueued} envelopes are waiting
   * @throws StorageUnavailableException when the database failed its batch for good
   */
  boolean store(Entry entry) {
    if (!running) {
      return false;
    }
    entry.queuedAt = System.nanoTime();
    if (!queue.offer(entry)) {
      throw new ServiceBusyException(retryAfterSeconds);
    }
    if (!running && queue.remove(entry)) {
      return false; // stopped after the check above, and no writer or drain took it
    }
    try {
      return entry.stored.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException(e);
    } catch (TimeoutException e) {
      throw new StorageUnavailableException(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StorageUnavailableException(e.getCause());
    }
  }

  @Override
  public synchronized void start() {
    if (running || settings.writers() == 0) {
      return;
    }
    running = true;
    for (int i = 0; i < settings.writers(); i++) {
      Thread t = new Thread(this::writeLoop, "group-commit-" + (i + 1));
      t.setDaemon(true);
      writers.add(t);
      t.start();
    }
  }

  /** Stops taking envelopes, lets each writer finish its batch, and hands back what still waits. */
  @Override
  public synchronized void stop() throws InterruptedException {
    if (!running) {
      return;
    }
    running = false;
    for (int i = 0; i < writers.size(); i++) {
      queue.put(STOP);
    }
    for (Thread t : writers) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    writers.clear();
    for (Entry e; (e = queue.poll()) != null; ) {
      e.stored.complete(false);
    }
  }

  /** Batches committed so far. */
  public long batches() {
    return batches.sum();
  }

  /** Envelopes committed in batches so far. */
  public long batchedEnvelopes() {
    return batched.sum();
  }

  /** Envelopes handed back to be stored alone so far. */
  public long handedBack() {
    return handedBack.sum();
  }

  /** Envelopes waiting for a writer now. */
  public int queued() {
    return queue.size();
  }

  /** Envelopes in a batch being written now. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * How long each envelope waited in the queue before a writer took it into a batch (the
   * wait for the writer to finish its previous batch, under load).
   */
  public Timer queueTime() {
    return queueTime;
  }

  /**
   * How long each batch took, from the writer taking it to its envelopes' answers: its
   * statements, the commit and any retry.
   */
  public Timer batchTime() {
    return batchTime;
  }

  private void writeLoop() {
    try (TransactionRunner.HeldConnection held = transactions.holdConnection()) {
      writeLoop(held);
    }
  }

  private void writeLoop(TransactionRunner.HeldConnection held) {
    List<Entry> batch = new ArrayList<>();
    Entry carried = null;
    while (true) {
      Entry first;
      try {
        first = carried != null ? carried : queue.take();
      } catch (InterruptedException e) {
        return;
      }
      carried = null;
      if (first == STOP) {
        return;
      }
      batch.add(first);
      long bytes = first.bytes.length;
      boolean stop = false;
      for (Entry next; batch.size() < settings.maxBatchEnvelopes() && (next = queue.poll()) != null; ) {
        if (next == STOP) {
          stop = true;
          break;
        }
        if (bytes + next.bytes.length > settings.maxBatchBytes()) {
          carried = next;
          break;
        }
        batch.add(next);
        bytes += next.bytes.length;
      }
      long taken = System.nanoTime();
      for (Entry e : batch) {
        queueTime.update(taken - e.queuedAt, TimeUnit.NANOSECONDS);
      }
      commit(batch, held);
      batch.clear();
      if (stop) {
        if (carried != null) {
          carried.stored.complete(false);
        }
        return;
      }
    }
  }

  /** Commits one batch and completes its entries (package-private for tests of a given batch). */
  void commit(List<Entry> batch) {
    try (TransactionRunner.HeldConnection held = transactions.holdConnection()) {
      commit(batch, held);
    }
  }

  private void commit(List<Entry> batch, TransactionRunner.HeldConnection held) {
    long taken = System.nanoTime();
    inFlight.addAndGet(batch.size());
    try {
      Set<Entry> present;
      try {
        present = transactions.inTransaction(held, TransactionRunner.Idempotence.IDEMPOTENT,
            handle -> write(handle, batch, false));
      } catch (RuntimeException e) {
        if (!Storage.isConstraintViolation(e)) {
          throw e;
        }
        // Some id has a row already (a client's resend, or this batch committed unseen before
        // a retry): once more, reading first which ids are present.
        present = transactions.inTransaction(held, TransactionRunner.Idempotence.IDEMPOTENT,
            handle -> write(handle, batch, true));
      }
      batches.increment();
      for (Entry e : batch) {
        if (present.contains(e)) {
          handedBack.increment();
        } else {
          batched.increment();
        }
        e.stored.complete(!present.contains(e));
      }
    } catch (ErasedIdInBatch e) {
      handedBack.add(batch.size());
      batch.forEach(x -> x.stored.complete(false));
    } catch (StorageUnavailableException e) {
      batch.forEach(x -> x.stored.completeExceptionally(e));
    } catch (RuntimeException e) {
      // Not transient: one envelope's fault (or a race on its id). Each is stored alone and
      // gets its own answer. Only the exception's class is logged: its message may quote
      // SQL values.
      LOG.warn("a group commit of {} envelopes failed ({}); storing them one by one", batch.size(),
          e.getClass().getSimpleName());
      handedBack.add(batch.size());
      batch.forEach(x -> x.stored.complete(false));
    } catch (Throwable e) {
      // An Error (out of memory, say) must not kill the writer: requests would wait for ever.
      LOG.error("a group commit of {} envelopes failed ({})", batch.size(), e.getClass().getSimpleName());
      batch.forEach(x -> x.stored.completeExceptionally(new StorageUnavailableException(e)));
    } finally {
      inFlight.addAndGet(-batch.size());
      batchTime.update(System.nanoTime() - taken, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * One attempt of a batch's transaction; returns the entries whose id already has a row
   * (always none unless {@code checkExisting}: then an id with a row fails the insert).
   * Plain JDBC batches on the handle's connection: JDBI's per-row argument binding cost more
   * than the statements themselves in a profile.
   */
  private Set<Entry> write(Handle handle, List<Entry> batch, boolean checkExisting) {
    try {
      Connection c = handle.getConnection();
      Set<ByteBuffer> existing = checkExisting ? existingIds(c, batch) : Set.of();
      Set<Entry> present = new HashSet<>();
      List<Entry> fresh = new ArrayList<>(batch.size());
      for (Entry e : batch) {
        (existing.contains(ByteBuffer.wrap(e.id.toBytes())) ? present : fresh).add(e);
      }
      if (fresh.isEmpty()) {
        return present;
      }
      try (PreparedStatement rows = c.prepareStatement(EnvelopeWrites.BATCH_INSERT_STORED);
          PreparedStatement chunks = c.prepareStatement(EnvelopeWrites.BATCH_INSERT_CHUNK)) {
        boolean anyChunkRows = false;
        for (Entry e : fresh) {
          byte[] id = e.id.toBytes();
          boolean inline = e.chunkCount == 1;
          rows.setBytes(1, id);
          rows.setString(2, e.context);
          rows.setObject(3, e.day);
          rows.setLong(4, e.sizeBucket);
          rows.setInt(5, e.chunkCount);
          rows.setBytes(6, e.sha256);
          rows.setBytes(7, inline ? e.bytes : null);
          rows.addBatch();
          if (!inline) {
            addChunks(chunks, id, e.bytes);
            anyChunkRows = true;
          }
        }
        rows.executeBatch();
        if (anyChunkRows) {
          chunks.executeBatch();
        }
      }
      if (anyErased(c, fresh)) {
        throw new ErasedIdInBatch(); // rolls the batch back; each is stored alone, the erased one refused
      }
      List<TransparencyLog.EnvelopeLeaf> leaves = new ArrayList<>(fresh.size());
      for (Entry e : fresh) {
        if (e.link.isPresent()) {
          EnvelopeStore.link(handle, e.id, e.link.get(), e.day);
        }
        leaves.add(new TransparencyLog.EnvelopeLeaf(e.leaf, e.id));
      }
      log.appendEnvelopes(leaves, handle);
      return present;
    } catch (SQLException e) {
      // As a JDBI statement failure, so the runner classifies and retries it like any other.
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** Adds the chunk rows of an envelope of more than one chunk to the chunks' batch. */
  private void addChunks(PreparedStatement chunks, byte[] id, byte[] bytes) throws SQLException {
    for (int i = 0, from = 0; from < bytes.length; i++, from += chunkBytes) {
      chunks.setBytes(1, id);
      chunks.setInt(2, i);
      chunks.setBytes(3, Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes)));
      chunks.addBatch();
    }
  }

  /** A batch holds an erased case's id (a hostile or confused client): no warning, no retry. */
  private static final class ErasedIdInBatch extends RuntimeException {
    ErasedIdInBatch() {
      super("an id of the batch was erased", null, false, false);
    }
  }

  private static boolean anyErased(Connection c, List<Entry> fresh) throws SQLException {
    return !ids(c, EnvelopeWrites.ERASED_IDS_PREFIX, fresh, EnvelopeWrites.LATEST).isEmpty();
  }

  private static Set<ByteBuffer> existingIds(Connection c, List<Entry> batch) throws SQLException {
    return ids(c, EnvelopeWrites.EXISTING_IDS_PREFIX, batch, "");
  }

  /** The ids of {@code batch} the query {@code prefix} ("... WHERE id IN (") then {@code suffix} finds. */
  private static Set<ByteBuffer> ids(Connection c, String prefix, List<Entry> batch, String suffix)
      throws SQLException {
    StringBuilder sql = new StringBuilder(prefix);
    for (int i = 0; i < batch.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    Set<ByteBuffer> existing = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql.append(')').append(suffix).toString())) {
      for (int i = 0; i < batch.size(); i++) {
        ps.setBytes(i + 1, batch.get(i).id.toBytes());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.add(ByteBuffer.wrap(rs.getBytes(1)));
        }
      }
    }
    return existing;
  }
}

package org.testigo.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.SizeBuckets;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.domain.SubmissionIdConflictException;

/**
 * Stores envelopes as a row plus chunks of at most {@code chunkBytes}, streamed: only one
 * chunk is ever held in memory. Storing runs in one transaction, so an envelope is visible
 * (and may be acknowledged) only once it is complete and committed; any exception while
 * writing rolls everything back.
 *
 * <p>Every stored envelope is a leaf of the transparency log, recorded (pending) in the storing
 * transaction: an acknowledged envelope is always in the log, and gets its index from the
 * log's sequencer a moment after the commit.
 *
 * <p>What it records: a random id, the context, the day of arrival (UTC), the Padmé-rounded
 * size, the chunk count and a SHA-256 of the bytes. Nothing about the sender.
 */
public final class EnvelopeStore {
  /** Writes the envelope's bytes into the given stream; must not close it. */
  @FunctionalInterface
  public interface EnvelopeWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * An optional link of the new envelope to a mailbox (report, follow-up or reply). With a
   * non-null {@code createWithReplyKey} the mailbox is created in the same transaction.
   * {@code caseId}: for a reply, the report it answers (the case it belongs to); null for a
   * report (its own case) and for a follow-up, which joins the mailbox's first report still
   * stored (as does a reply that names no case). The case is fixed when the link is stored.
   */
  public record MailboxLink(MailboxId mailbox, String kind, RecipientPublicKey createWithReplyKey, EnvelopeId caseId) {
    public MailboxLink(MailboxId mailbox, String kind, RecipientPublicKey createWithReplyKey) {
      this(mailbox, kind, createWithReplyKey, null);
    }

    public static MailboxLink existing(MailboxId mailbox, String kind) {
      return new MailboxLink(mailbox, kind, null, null);
    }

    /** A reply to report {@code caseId}, whose mailbox is {@code mailbox}. */
    public static MailboxLink reply(MailboxId mailbox, EnvelopeId caseId) {
      return new MailboxLink(mailbox, MailboxStore.KIND_REPLY, null, caseId);
    }
  }

  /**
   * The report a reply was sent to, or every report a follow-up could join, is no longer stored
   * with that mailbox (erased while the envelope arrived): nothing is stored.
   */
  public static final class CaseGoneException extends RuntimeException {
    public CaseGoneException() {
      super("the case this envelope answers is no longer stored");
    }
  }

  /** What a store did: stored now, or found the same envelope already stored under its id. */
  public record Stored(StoredEnvelope envelope, boolean alreadyStored) {}

  /** 73 + 64 (context) + 1201 * 64 (stanzas): the largest v1 header. */
  public static final int MAX_HEADER = 73 + 64 + 1201 * 64;
  /** Default bytes of ciphertext held in memory so a transaction can be run again. */
  public static final int DEFAULT_REPLAY_BUFFER_BYTES = 4 * 1024 * 1024;
  private static final byte[] NO_HASH = new byte[32];
  private final Jdbi jdbi;
  private final int chunkBytes;
  private final int replayBufferBytes;
  private final Clock clock;
  private final SecureRandom random;
  private final TransparencyLog log;
  private final ReportWriter writer;

  /** A store that tries each transaction once (a single database, tests). */
  public EnvelopeStore(Jdbi jdbi, int chunkBytes, Clock clock, SecureRandom random, TransparencyLog log) {
    this(TransactionRunner.singleAttempt(jdbi), chunkBytes, DEFAULT_REPLAY_BUFFER_BYTES, clock, random, log);
  }

  /**
   * A store whose transactions are retried by {@code transactions} (Galera). Envelopes of at
   * most {@code replayBufferBytes} are spooled in memory first (ciphertext only) so the
   * whole transaction can run again, one transaction each ({@link TransactionWriter}); larger
   * ones stream in one attempt.
   */
  public EnvelopeStore(TransactionRunner transactions, int chunkBytes, int replayBufferBytes, Clock clock,
      SecureRandom random, TransparencyLog log) {
    this(transactions, chunkBytes, replayBufferBytes, clock, random, log,
        new TransactionWriter(transactions, log, chunkBytes));
  }

  /**
   * As above, writing the envelopes held in memory through {@code writer}, the write path the
   * application chose at start (a {@link GroupCommit}, or one {@link TransactionWriter}
   * transaction per envelope).
   */
  public EnvelopeStore(TransactionRunner transactions, int chunkBytes, int replayBufferBytes, Clock clock,
      SecureRandom random, TransparencyLog log, ReportWriter writer) {
    this.jdbi = transactions.jdbi();
    this.chunkBytes = chunkBytes;
    this.replayBufferBytes = replayBufferBytes;
    this.clock = clock;
    this.random = random;
    this.log = log;
    this.writer = writer;
  }

  /** A fresh random envelope id (128 bits). */
  public EnvelopeId randomId() {
    return EnvelopeId.random(random);
  }

  /**
   * Stores an envelope under a fresh random id, as {@link #store(EnvelopeId, String, Optional,
   * EnvelopeWriter)}; returns only after the commit.
   */
  public StoredEnvelope store(String context, Optional<MailboxLink> link, EnvelopeWriter writer)
      throws IOException {
    return store(EnvelopeId.random(random), context, link, writer).envelope();
  }

  /**
   * Stores an envelope under {@code id} (chosen once, before the first attempt), appends its
   * transparency-log leaf (SHA-256 of the envelope; a submission for reports and follow-ups,
   * a reply for replies) and the mailbox link in the same transaction, and commits; returns
   * only after the commit.
   *
   * <p>Idempotent by id: the transaction first inserts the envelope row only if the id is
   * absent ({@code INSERT IGNORE}); if it exists, nothing is written and the stored envelope
   * is returned with {@code alreadyStored} — provided it has the same context and SHA-256 as
   * the bytes written now. So a transaction whose commit was not seen (the node died) can run
   * again without a duplicate, and so can a client that re-sends after a lost response.
   *
   * <p>The writer runs once, before any transaction, into a memory spool of at most the replay
   * buffer; the envelope is then stored by the {@link ReportWriter} of this store, which retries
   * from the spool. A larger envelope streams into one transaction that is not retried (a
   * failure is a 503; the client re-sends with the same id).
   *
   * @throws SubmissionIdConflictException if {@code id} is stored with other bytes or context
   * @throws IllegalArgumentException for a context the log has no entry type for
   */
  public Stored store(EnvelopeId id, String context, Optional<MailboxLink> link, EnvelopeWriter writer)
      throws IOException {
    TransparencyLog.entryTypeOf(context); // refuses a context the log has no entry type for
    Attempt attempt = new Attempt(id, context, link, clock.instant());
    Spool spool = new Spool(attempt);
    try {
      writer.writeTo(spool);
    } catch (IOException | RuntimeException | Error e) {
      spool.abort();
      throw e;
    }
    if (spool.opened) {
      return spool.finishStreaming();
    }
    byte[] bytes = spool.memory.toByteArray();
    byte[] sha256 = sha256(bytes);
    long bucket = SizeBuckets.padme(bytes.length);
    int chunks = bytes.length == 0 ? 1 : (int) ((bytes.length + (long) chunkBytes - 1) / chunkBytes);
    return this.writer.write(new HeldEnvelope(id, context, attempt.day, bucket, bytes, chunks, sha256, link));
  }

  /** The facts of one store, shared by its attempts. */
  private final class Attempt {
    final EnvelopeId id;
    final String context;
    final Optional<MailboxLink> link;
    final LocalDate day;

    Attempt(EnvelopeId id, String context, Optional<MailboxLink> link, Instant now) {
      this.id = id;
      this.context = context;
      this.link = link;
      this.day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    int beginIfAbsent(EnvelopeDao dao) {
      return dao.beginIfAbsent(id.toBytes(), context, day, NO_HASH);
    }

    Stored existing(Handle handle, byte[] sha256) {
      return EnvelopeStore.existing(handle, log, id, context, sha256);
    }

    Stored complete(Handle handle, EnvelopeDao dao, ChunkOutputStream out) {
      long bucket = SizeBuckets.padme(out.total());
      byte[] sha256 = out.sha256();
      if (dao.finish(id.toBytes(), bucket, out.chunks(), sha256) != 1) {
        throw new IllegalStateException("envelope row vanished during store");
      }
      return linkAndLog(handle, bucket, out.chunks(), sha256);
    }

    Stored linkAndLog(Handle handle, long bucket, int chunks, byte[] sha256) {
      return EnvelopeStore.linkAndLog(handle, log, id, context, link, day, bucket, chunks, sha256);
    }
  }

  /**
   * The envelope already stored under {@code id}, in the storing transaction: the same one if
   * it has this context and SHA-256.
   *
   * @throws SubmissionIdConflictException if it is stored with other bytes or context
   */
  static Stored existing(Handle handle, TransparencyLog log, EnvelopeId id, String context, byte[] sha256) {
    EnvelopeRecord r = handle.attach(EnvelopeDao.class).find(id.toBytes())
        .orElseThrow(() -> new IllegalStateException("envelope row vanished during store"));
    if (!EnvelopeDao.STATE_STORED.equals(r.state()) || !context.equals(r.context())
        || !MessageDigest.isEqual(sha256, r.sha256())) {
      throw new SubmissionIdConflictException();
    }
    long logIndex = log.indexOfEnvelope(r, handle).orElse(StoredEnvelope.NOT_SEQUENCED);
    return new Stored(new StoredEnvelope(id, r.receivedDay(), r.sizeBucket(), r.chunkCount(), logIndex), true);
  }

  /** Links the new envelope to its mailbox (if any) and records its log leaf, in the store's transaction. */
  static Stored linkAndLog(Handle handle, TransparencyLog log, EnvelopeId id, String context,
      Optional<MailboxLink> link, LocalDate day, long bucket, int chunks, byte[] sha256) {
    refuseErasedId(handle, id);
    if (link.isPresent()) {
      EnvelopeStore.link(handle, id, link.get(), day);
    }
    log.appendEnvelope(TransparencyLog.envelopeLeaf(context, day, sha256), id, handle);
    return new Stored(new StoredEnvelope(id, day, bucket, chunks, StoredEnvelope.NOT_SEQUENCED), false);
  }

  /**
   * Refuses the id of an erased case, in the storing transaction after the envelope row is
   * inserted (so the transaction rolls back). A source chooses its report's id: a report stored
   * under an erased case's id reached reviewers as a case that answered 410 to every event and
   * erasure, so it could be neither triaged nor erased (found by an outside attack).
   *
   * @throws SubmissionIdConflictException if {@code id} is the case id of an erasure
   */
  static void refuseErasedId(Handle handle, EnvelopeId id) {
    if (handle.createQuery(EnvelopeWrites.ERASED_IDS_PREFIX + ":id)" + EnvelopeWrites.LATEST).bind("id", id.toBytes())
        .mapTo(byte[].class).findFirst().isPresent()) {
      throw new SubmissionIdConflictException();
    }
  }

  /** Links a new envelope to its mailbox (creating the mailbox if asked), in the storing transaction. */
  static void link(Handle handle, EnvelopeId id, MailboxLink link, LocalDate day) {
    MailboxDao mailboxes = handle.attach(MailboxDao.class);
    if (link.createWithReplyKey() != null) {
      mailboxes.insert(link.mailbox().toBytes(), link.createWithReplyKey().toBytes(), day);
    }
    byte[] caseId = null;
    if (!MailboxStore.KIND_REPORT.equals(link.kind())) {
      // the mailbox row is locked as an erasure locks it: a follow-up or reply and the erasure
      // of its case are one after the other, never interleaved (the case_id foreign key, V52,
      // refuses the rest, e.g. across Galera nodes)
      if (mailboxes.lock(link.mailbox().toBytes()).isEmpty()) {
        throw new CaseGoneException(); // its last case was erased meanwhile, and the mailbox with it
      }
      if (link.caseId() != null) {
        if (mailboxes.storedReportOf(link.caseId().toBytes(), link.mailbox().toBytes()) != 1) {
          throw new CaseGoneException();
        }
        caseId = link.caseId().toBytes();
      } else {
        caseId = mailboxes.firstReport(link.mailbox().toBytes()).stream().findFirst()
            .orElseThrow(CaseGoneException::new); // no report left to follow up on
      }
    }
    mailboxes.link(id.toBytes(), link.mailbox().toBytes(), link.kind(), caseId);
  }

  /**
   * Holds the writer's bytes in memory up to the replay buffer; beyond it, opens one
   * transaction and streams the rest into it (or, if the id is already stored, only hashes
   * the rest to compare).
   */
  private final class Spool extends OutputStream {
    final Attempt attempt;
    final java.io.ByteArrayOutputStream memory = new java.io.ByteArrayOutputStream();
    Handle streaming;
    ChunkOutputStream chunks;
    /** Past the replay buffer: the rest goes to {@link #chunks} (stored, or only hashed). */
    boolean opened;
    boolean exists;

    Spool(Attempt attempt) {
      this.attempt = attempt;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (!opened && memory.size() + (long) len <= replayBufferBytes) {
        memory.write(b, off, len);
        return;
      }
      if (!opened) {
        open();
      }
      chunks.write(b, off, len);
    }

    private void open() {
      try {
        streaming = jdbi.open();
        streaming.begin();
        EnvelopeDao dao = streaming.attach(EnvelopeDao.class);
        exists = attempt.beginIfAbsent(dao) == 0;
        if (exists) {
          // Nothing will be written: end the transaction now. Its INSERT IGNORE met the stored
          // row and holds a lock on it, which a slow sender (256 bytes/s for up to the envelope
          // limit) must not keep: an erasure of that case would wait on it (outside attack).
          abort();
        }
        opened = true;
        chunks = new ChunkOutputStream(exists ? null : dao, attempt.id.toBytes(), chunkBytes);
        byte[] head = memory.toByteArray();
        memory.reset();
        chunks.write(head, 0, head.length);
      } catch (JdbiException e) {
        abort();
        throw Storage.translate(e);
      }
    }

    Stored finishStreaming() {
      try {
        chunks.finishChunks();
        if (exists) {
          byte[] sha256 = chunks.sha256();
          return jdbi.withHandle(h -> {
            if (h.attach(EnvelopeDao.class).find(attempt.id.toBytes()).isEmpty()) {
              throw new SubmissionIdConflictException(); // stored when this upload began, erased since
            }
            return attempt.existing(h, sha256);
          });
        }
        Stored stored = attempt.complete(streaming, streaming.attach(EnvelopeDao.class), chunks);
        streaming.commit();
        return stored;
      } catch (JdbiException e) {
        throw Storage.translate(e);
      } finally {
        abort();
      }
    }

    void abort() {
      if (streaming != null) {
        try {
          if (streaming.isInTransaction()) {
            streaming.rollback();
          }
        } catch (JdbiException ignored) {
          // the connection is gone; the transaction with it
        } finally {
          try {
            streaming.close();
          } catch (JdbiException ignored) {
            // closing a connection that died fails too; the pool discards it
          }
          streaming = null;
        }
      }
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<EnvelopeRecord> find(EnvelopeId id) {
    try {
      return jdbi.withExtension(EnvelopeDao.class, dao -> dao.find(id.toBytes()))
          .filter(r -> EnvelopeDao.STATE_STORED.equals(r.state()));
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** Stored envelopes received on or after {@code from}, by day. */
  public java.util.List<EnvelopeRecord> storedSince(LocalDate from) {
    try {
      return jdbi.withExtension(EnvelopeDao.class, dao -> dao.storedSince(from));
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** The report stored last, in transparency-log order (a pending leaf counts as last). */
  public java.util.Optional<EnvelopeRecord> latestReport() {
    try {
      return jdbi.withExtension(EnvelopeDao.class, EnvelopeDao::latestReport);
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** The newest rewrap of an envelope ({@code envelope_rewraps}), if it was ever rewrapped. */
  public Optional<RewrapDao.Row> latestRewrap(EnvelopeId id) {
    try {
      return jdbi.withExtension(RewrapDao.class, d -> d.latest(id.toBytes()));
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** Streams a stored envelope's bytes to {@code out}, one chunk at a time. */
  public void copyTo(EnvelopeRecord record, OutputStream out) throws IOException {
    byte[] id = record.id().toBytes();
    try (Handle handle = jdbi.open()) {
      EnvelopeDao dao = handle.attach(EnvelopeDao.class);
      for (int i = 0; i < record.chunkCount(); i++) {
        byte[] chunk = dao.chunk(id, i)
            .orElseThrow(() -> new IllegalStateException("stored envelope is missing a chunk"));
        out.write(chunk);
      }
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /**
   * The first bytes of a stored envelope, at most {@code maxBytes} (enough for its header),
   * read chunk by chunk.
   */
  public byte[] readHead(EnvelopeRecord record, int maxBytes) {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    byte[] id = record.id().toBytes();
    try (Handle handle = jdbi.open()) {
      EnvelopeDao dao = handle.attach(EnvelopeDao.class);
      for (int i = 0; i < record.chunkCount() && head.size() < maxBytes; i++) {
        byte[] chunk = dao.chunk(id, i)
            .orElseThrow(() -> new IllegalStateException("stored envelope is missing a chunk"));
        head.write(chunk, 0, Math.min(chunk.length, maxBytes - head.size()));
      }
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
    return head.toByteArray();
  }

  /**
   * The header of a stored envelope as first stored: exactly its bytes, nothing after (read
   * chunk by chunk, at most {@link #MAX_HEADER} bytes).
   */
  public byte[] originalHeader(EnvelopeRecord record) {
    byte[] head = readHead(record, MAX_HEADER);
    try {
      EnvelopeInfo info = Envelope.inspectHeader(new java.io.ByteArrayInputStream(head));
      return Arrays.copyOf(head, Math.toIntExact(info.headerLength()));
    } catch (CryptoException | IOException e) {
      throw new IllegalStateException("a stored envelope has no valid header");
    }
  }

  /** Buffers one chunk and inserts it when full; hashes everything written. */
  static final class ChunkOutputStream extends OutputStream {
    private final EnvelopeWrites dao;
    private final byte[] id;
    private final byte[] buffer;
    private final MessageDigest digest;
    private int fill;
    private int chunks;
    private long total;

    ChunkOutputStream(EnvelopeWrites dao, byte[] id, int chunkBytes) {
      this.dao = dao;
      this.id = id;
      this.buffer = new byte[chunkBytes];
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
      total += len;
      while (len > 0) {
        int n = Math.min(len, buffer.length - fill);
        System.arraycopy(b, off, buffer, fill, n);
        fill += n;
        off += n;
        len -= n;
        if (fill == buffer.length) {
          emit();
        }
      }
    }

    private void emit() {
      if (dao == null) { // the id is stored already: only hash, to compare
        chunks++;
        fill = 0;
        return;
      }
      dao.insertChunk(id, chunks++, fill == buffer.length ? buffer : Arrays.copyOf(buffer, fill));
      fill = 0;
    }

    void finishChunks() {
      if (fill > 0 || chunks == 0) {
        emit();
      }
    }

    int chunks() {
      return chunks;
    }

    long total() {
      return total;
    }

    byte[] sha256() {
      return digest.digest();
    }
  }
}

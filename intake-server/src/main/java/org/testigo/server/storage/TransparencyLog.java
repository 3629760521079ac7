package org.testigo.server.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.domain.EnvelopeRecord;

/**
 * The server's transparency log (docs/spec/merkle-log-and-proofs.md, docs/spec/merkle-log-and-proofs.md §6.1): an append-only
 * list of {@link LogLeaf} v1 entries in the database, RFC 9162 roots and proofs over them,
 * and the signed tree heads.
 *
 * <p>Guarantees: {@link #append} runs inside the caller's transaction and records the leaf as
 * pending there, so an object and its leaf commit together or not at all, without any lock
 * shared with other storing transactions. {@link #sequence} (run every few hundred
 * milliseconds by {@code log.LogSequencer} on every instance, and on demand before a tree head is
 * signed or the index of a pending envelope is asked for) gives committed pending leaves the
 * next indices in its own short transaction under the counter row ({@code SELECT ... FOR
 * UPDATE}): indices are dense and gap-free, assigned only to committed leaves, and the log
 * only ever grows at its end, also with several instances (and sequencers) on one database or
 * a Galera cluster. A committed leaf is never changed or removed by this class. Holds no
 * private key: signing goes through {@link TreeHeadSigning} (the log key).
 *
 * <p>WARNING: a leaf has no index until it is sequenced; code that needs the index of a leaf
 * it just stored asks for it after the commit ({@link #indexOfEnvelope(EnvelopeId)} sequences
 * on demand).
 */
public final class TransparencyLog {
  /** Leaves fetched per query when filling the cache. */
  private static final int PAGE = 10_000;
  /** Pending leaves moved into the log per sequencing transaction. */
  static final int SEQUENCE_BATCH = 1_000;
  private final TransactionRunner transactions;
  private final Jdbi jdbi;
  private final LeafHashCache cache = new LeafHashCache();
  /** One sequencing transaction at a time from this instance (others wait here, not on the row lock). */
  private final Object sequencing = new Object();

  public TransparencyLog(Jdbi jdbi) {
    this(TransactionRunner.singleAttempt(jdbi));
  }

  /** A log whose own transactions (manifests, sequencing, tree heads, signer lease) are retried (Galera). */
  public TransparencyLog(TransactionRunner transactions) {
    this.transactions = transactions;
    this.jdbi = transactions.jdbi();
  }

  /** An inclusion proof of the leaf at {@code leafIndex} in the tree of {@code treeSize}. */
  public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {}

  /**
   * The entry type an envelope of {@code context} is logged as: reports and follow-ups from
   * sources are submissions, replies are replies.
   *
   * @throws IllegalArgumentException for any other context (its owner must log it itself)
   */
  public static LogLeaf.EntryType entryTypeOf(String context) {
    return switch (context) {
      case Envelope.CONTEXT_REPORT, Envelope.CONTEXT_FOLLOW_UP -> LogLeaf.EntryType.SUBMISSION;
      case Envelope.CONTEXT_REPLY -> LogLeaf.EntryType.REPLY;
      default -> throw new IllegalArgumentException("no log entry type for this envelope context");
    };
  }

  /**
   * Records {@code leaf} as pending inside the transaction open on {@code handle}. It gets its
   * index from the sequencer once that transaction has committed (within a moment; see the
   * class comment); if the transaction rolls back, the leaf is gone and never had an index.
   * Takes no lock shared with other storing transactions.
   *
   * @throws IllegalStateException if {@code handle} has no open transaction
   */
  public void append(LogLeaf leaf, Handle handle) {
    insert(leaf, null, handle);
  }

  /** As {@link #append}, for a stored envelope (remembered so its header can be served). */
  public void appendEnvelope(LogLeaf leaf, EnvelopeId envelope, Handle handle) {
    insert(leaf, envelope.toBytes(), handle);
  }

  /** A stored envelope and its leaf, for {@link #appendEnvelopes}. */
  public record EnvelopeLeaf(LogLeaf leaf, EnvelopeId envelope) {}

  /**
   * As {@link #appendEnvelope} for several envelopes stored in one transaction (a group
   * commit), as one JDBC batch; their pending keys follow the list order.
   */
  public void appendEnvelopes(List<EnvelopeLeaf> leaves, Handle handle) throws SQLException {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("log leaves are appended only inside the storing transaction");
    }
    try (PreparedStatement ps = handle.getConnection().prepareStatement(PendingLeafDao.BATCH_INSERT)) {
      for (EnvelopeLeaf e : leaves) {
        ps.setBytes(1, e.leaf().encoded());
        ps.setBytes(2, e.leaf().leafHash());
        ps.setInt(3, e.leaf().type().code());
        ps.setBytes(4, e.leaf().objectHash());
        ps.setBytes(5, e.envelope().toBytes());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insert(LogLeaf leaf, byte[] envelopeId, Handle handle) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("log leaves are appended only inside the storing transaction");
    }
    handle.attach(PendingLeafDao.class).insertPending(leaf.encoded(), leaf.leafHash(), leaf.type().code(),
        leaf.objectHash(), envelopeId);
  }

  /**
   * Gives every committed pending leaf the next index, oldest (by pending key) first, in
   * transactions of at most {@value #SEQUENCE_BATCH} leaves under the counter row; returns the
   * number of leaves sequenced. Safe to run concurrently from several threads and instances:
   * they take turns on the counter row (on Galera, a conflicting sequencer is rolled back and
   * retried), and a leaf is moved exactly once.
   */
  public int sequence() {
    if (jdbi.withExtension(LogDao.class, LogDao::anyPending) == 0) {
      return 0;
    }
    int total = 0;
    synchronized (sequencing) {
      while (true) {
        int moved = transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT,
            TransactionIsolationLevel.READ_COMMITTED, h -> {
              LogDao dao = h.attach(LogDao.class);
              return moveBatch(h, dao, dao.lockNextIndex());
            });
        total += moved;
        if (moved < SEQUENCE_BATCH) {
          return total;
        }
      }
    }
  }

  /**
   * Moves up to one batch of pending leaves into the log at {@code next}, {@code next + 1}, ...
   * and advances the counter. Call only with the counter row locked in this transaction.
   */
  private static int moveBatch(Handle h, LogDao dao, long next) {
    List<LogDao.PendingRow> rows = dao.pending(SEQUENCE_BATCH);
    if (rows.isEmpty()) {
      return 0;
    }
    List<Long> ids = new ArrayList<>(rows.size());
    try (PreparedStatement ps = h.getConnection().prepareStatement(LogDao.INSERT_LEAF)) {
      for (int i = 0; i < rows.size(); i++) {
        LogDao.PendingRow row = rows.get(i);
        ids.add(row.id());
        ps.setLong(1, next + i);
        ps.setBytes(2, row.leaf());
        ps.setBytes(3, row.leafHash());
        ps.setInt(4, row.entryType());
        ps.setBytes(5, row.objectHash());
        ps.setBytes(6, row.envelopeId());
        ps.setBytes(7, row.entryType() == LogLeaf.EntryType.MANIFEST.code() ? row.objectHash() : null);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
    if (dao.deletePending(ids) != ids.size()) {
      throw new IllegalStateException("a pending log leaf was sequenced twice");
    }
    if (dao.advanceNextIndex(next, next + rows.size()) != 1) {
      throw new IllegalStateException("the log counter row is missing or moved under its lock");
    }
    return rows.size();
  }

  /**
   * Logs every manifest of {@code chain} that is not in the log yet, pending or sequenced (by
   * its hash), in chain order, each in its own transaction that holds the counter row and
   * sequences what is pending, so concurrent starts of several instances (also on different
   * Galera nodes: the counter row is written) log each manifest exactly once. Returns the
   * number appended.
   */
  public int logManifests(List<SignedManifest> chain, Instant now) {
    int added = 0;
    for (SignedManifest m : chain) {
      byte[] hash = m.hash().toBytes();
      boolean appended = transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT, h -> {
        LogDao dao = h.attach(LogDao.class);
        long next = dao.lockNextIndex();
        int type = LogLeaf.EntryType.MANIFEST.code();
        if (dao.countManifest(hash) > 0 || dao.countPendingObject(type, hash) > 0) {
          return false;
        }
        append(LogLeaf.of(LogLeaf.EntryType.MANIFEST, now, hash), h);
        for (int moved; (moved = moveBatch(h, dao, next)) > 0; ) {
          next += moved;
        }
        return true;
      });
      added += appended ? 1 : 0;
    }
    return added;
  }

  /** The number of sequenced leaves (the log's size; pending leaves are not counted). */
  public long size() {
    return jdbi.withExtension(LogDao.class, LogDao::size);
  }

  /** Brings the cache up to the committed size and returns that size. */
  private long refresh() {
    synchronized (cache) {
      long committed = size();
      while (cache.size() < committed) {
        long from = cache.size();
        long to = Math.min(committed, from + PAGE);
        List<byte[]> page = jdbi.withExtension(LogDao.class, d -> d.leafHashes(from, to));
        if (page.size() != to - from) {
          throw new IllegalStateException("the log has a gap below its committed size");
        }
        page.forEach(cache::append);
      }
      return committed;
    }
  }

  /**
   * Sequences what is pending, then signs a tree head over all sequenced leaves at {@code timestampMillis} and stores it,
   * unless that exact (size, time) head exists already. Returns the head.
   */
  public SignedTreeHead signTreeHead(TreeHeadSigning key, long timestampMillis) {
    sequence();
    byte[] root;
    long n;
    synchronized (cache) {
      n = refresh();
      root = cache.root(); // refresh() left exactly n leaves in the cache
    }
    SignedTreeHead sth = key.sign(n, root, timestampMillis);
    // Stored under the signer row: heads are stored one at a time across all instances and
    // nodes (a Galera write conflict otherwise) and never go back in size or in time.
    boolean stored = transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT, h -> {
      LogDao dao = h.attach(LogDao.class);
      LogDao.SignerRow last = dao.lockSigner();
      if (n < last.lastSize() || timestampMillis < last.lastTimestampMillis()
          || dao.countTreeHead(n, timestampMillis) > 0) {
        return false;
      }
      dao.insertTreeHead(n, timestampMillis, sth.encoded());
      dao.recordSigned(n, timestampMillis);
      return true;
    });
    return stored ? treeHead(n).orElse(sth) : latestTreeHead().orElse(sth);
  }

  /**
   * Takes or renews the tree-head signer lease for {@code holder} until
   * {@code nowMillis + leaseMillis}; true if this holder has it now. Another holder gets it
   * only once it expired, so one instance signs while it is alive.
   */
  public boolean holdSignerLease(byte[] holder, long nowMillis, long leaseMillis) {
    return transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT,
        h -> h.attach(LogDao.class).takeLease(holder, nowMillis, nowMillis + leaseMillis) == 1);
  }

  public Optional<SignedTreeHead> latestTreeHead() {
    return parse(jdbi.withExtension(LogDao.class, LogDao::latestTreeHeadOrNull));
  }

  /** The most recent head signed for exactly {@code treeSize} leaves, if any. */
  public Optional<SignedTreeHead> treeHead(long treeSize) {
    return parse(jdbi.withExtension(LogDao.class, d -> d.treeHeadOrNull(treeSize)));
  }

  private static Optional<SignedTreeHead> parse(byte[] encoded) {
    if (encoded == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SignedTreeHead.parse(encoded));
    } catch (CryptoException e) {
      throw new IllegalStateException("a stored tree head does not parse");
    }
  }

  /**
   * The inclusion proof of the first leaf with hash {@code leafHash} in the tree of
   * {@code treeSize} leaves; empty if no such leaf is within that tree, or the size is not
   * 1..(committed size).
   */
  public Optional<InclusionProof> inclusionProof(byte[] leafHash, long treeSize) {
    long n = refresh();
    if (treeSize < 1 || treeSize > n) {
      return Optional.empty();
    }
    Optional<Long> index = jdbi.withExtension(LogDao.class, d -> d.firstIndexOfLeafHash(leafHash));
    if (index.isEmpty() || index.get() >= treeSize) {
      return Optional.empty();
    }
    return Optional.of(new InclusionProof(index.get(), treeSize,
        MerkleTree.inclusionProof(cache.view(treeSize), index.get(), treeSize)));
  }

  /** The consistency proof between trees of {@code from} and {@code to} leaves. */
  public Optional<List<byte[]>> consistencyProof(long from, long to) {
    long n = refresh();
    if (from < 1 || from > to || to > n) {
      return Optional.empty();
    }
    return Optional.of(MerkleTree.consistencyProof(cache.view(to), from, to));
  }

  /** The encoded leaves {@code start <= index < end}, within the committed size. */
  public List<byte[]> leaves(long start, long end) {
    return jdbi.withExtension(LogDao.class, d -> d.leaves(start, end));
  }

  /**
   * The index of the leaf of a stored envelope, if it was logged; a committed leaf that is still
   * pending is sequenced first, so the index of an acknowledged envelope is always found.
   */
  public Optional<Long> indexOfEnvelope(EnvelopeId envelope) {
    byte[] id = envelope.toBytes();
    // Pending first, then the log: a leaf moved in between is then found in the log.
    boolean pending = jdbi.withExtension(LogDao.class, d -> d.countPendingEnvelope(id)) > 0;
    Optional<Long> index = jdbi.withHandle(h -> indexOfEnvelope(envelope, h));
    if (index.isPresent() || !pending) {
      return index;
    }
    sequence();
    return jdbi.withHandle(h -> indexOfEnvelope(envelope, h));
  }

  /**
   * As {@link #indexOfEnvelope(EnvelopeId)}, inside the caller's transaction, without
   * sequencing: empty while the leaf is pending. The leaf is a function of the envelope's row
   * ({@link #envelopeLeaf}: entry type of its context, its UTC day, its SHA-256, the same function
   * the store uses), so it is found by its hash, through the index every inclusion proof
   * uses, and then by its envelope id among the leaves with that hash (two envelopes with the
   * same bytes, context and day have the same leaf hash, each at its own index); the log keeps
   * no index by envelope id (docs/decisions/0010-inline-chunks-and-fewer-indexes.md).
   */
  public Optional<Long> indexOfEnvelope(EnvelopeId envelope, Handle handle) {
    return handle.attach(EnvelopeDao.class).find(envelope.toBytes())
        .flatMap(record -> indexOfEnvelope(record, handle));
  }

  /** As {@link #indexOfEnvelope(EnvelopeId, Handle)}, for a row the caller has read already. */
  public Optional<Long> indexOfEnvelope(EnvelopeRecord record, Handle handle) {
    if (!EnvelopeDao.STATE_STORED.equals(record.state())) {
      return Optional.empty();
    }
    return handle.attach(LogDao.class).indexOfEnvelopeLeaf(
        envelopeLeaf(record.context(), record.receivedDay(), record.sha256()).leafHash(), record.id().toBytes());
  }

  /**
   * The leaf of an envelope stored on {@code day} (UTC) with this context and SHA-256: the one
   * definition, used when the envelope is stored and when its leaf is looked up.
   */
  public static LogLeaf envelopeLeaf(String context, LocalDate day, byte[] sha256) {
    return LogLeaf.of(entryTypeOf(context), day.atStartOfDay(ZoneOffset.UTC).toInstant(), sha256);
  }

  /** The envelope behind a submission leaf (reports and follow-ups only). */
  public Optional<EnvelopeId> submissionEnvelope(long index) {
    byte[] id = jdbi.withExtension(LogDao.class,
        d -> d.envelopeOfOrNull(index, LogLeaf.EntryType.SUBMISSION.code()));
    return id == null ? Optional.empty() : Optional.of(EnvelopeId.fromBytes(id));
  }

  /**
   * The proof of filing (FilingProof v1) of leaf {@code index} against the tree head signed
   * for {@code treeSize} leaves, or the latest one if {@code treeSize} is empty. Empty if
   * that head does not exist or does not include the leaf yet.
   */
  public Optional<FilingProof> filingProof(long index, Optional<Long> treeSize, SigningPublicKey logKey) {
    Optional<SignedTreeHead> sth = treeSize.isPresent() ? treeHead(treeSize.get()) : latestTreeHead();
    if (sth.isEmpty() || index < 0 || index >= sth.get().treeSize()) {
      return Optional.empty();
    }
    refresh();
    List<byte[]> encoded = leaves(index, index + 1);
    if (encoded.size() != 1) {
      return Optional.empty();
    }
    LogLeaf leaf;
    try {
      leaf = LogLeaf.parse(encoded.get(0));
    } catch (CryptoException e) {
      throw new IllegalStateException("a stored log leaf does not parse");
    }
    LeafHashSource source = cache.view(sth.get().treeSize());
    return Optional.of(FilingProof.build(source, leaf, index, sth.get(), logKey));
  }
}

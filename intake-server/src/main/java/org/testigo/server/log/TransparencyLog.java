package org.testigo.server.log;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.core.EnvelopeId;

/**
 * The server's transparency log (SECURITY-translog.md): an append-only list of
 * {@link LogLeaf} v1 entries in the database, RFC 9162 roots and proofs over them, and the
 * signed tree heads.
 *
 * <p>Guarantees: {@link #append} runs inside the caller's transaction, so an object and its
 * leaf commit together or not at all; indices are dense and commit in index order (a
 * counter row locked with {@code SELECT ... FOR UPDATE} until commit), also with several
 * server instances on one database. A committed leaf is never changed or removed by this
 * class. Holds no private key: signing goes through {@link LogSigningKey}.
 */
public final class TransparencyLog {
  /** Leaves fetched per query when filling the cache. */
  private static final int PAGE = 10_000;
  private final Jdbi jdbi;
  private final LeafHashCache cache = new LeafHashCache();

  public TransparencyLog(Jdbi jdbi) {
    this.jdbi = jdbi;
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
   * Appends {@code leaf} inside the transaction open on {@code handle} and returns its index.
   * The counter row stays locked until that transaction ends, so call this as late as
   * possible in it (after streaming). If the transaction rolls back, the leaf and its index
   * are gone and the index is given to the next entry.
   *
   * @throws IllegalStateException if {@code handle} has no open transaction
   */
  public long append(LogLeaf leaf, Handle handle) {
    return insert(leaf, null, handle);
  }

  /** As {@link #append}, for a stored envelope (remembered so its header can be served). */
  public long appendEnvelope(LogLeaf leaf, EnvelopeId envelope, Handle handle) {
    return insert(leaf, envelope.toBytes(), handle);
  }

  private static long insert(LogLeaf leaf, byte[] envelopeId, Handle handle) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("log leaves are appended only inside the storing transaction");
    }
    LogDao dao = handle.attach(LogDao.class);
    long index = dao.lockNextIndex();
    dao.insertLeaf(index, leaf.encoded(), leaf.leafHash(), leaf.type().code(), leaf.objectHash(), envelopeId);
    if (dao.setNextIndex(index + 1) != 1) {
      throw new IllegalStateException("the log counter row is missing");
    }
    return index;
  }

  /**
   * Logs every manifest of {@code chain} that is not in the log yet (by its hash), in chain
   * order, each in its own transaction under the counter lock, so concurrent starts of
   * several instances log each manifest once. Returns the number appended.
   */
  public int logManifests(List<SignedManifest> chain, Instant now) {
    int added = 0;
    for (SignedManifest m : chain) {
      byte[] hash = m.hash().toBytes();
      boolean appended = jdbi.inTransaction(h -> {
        LogDao dao = h.attach(LogDao.class);
        dao.lockNextIndex();
        if (dao.countObject(LogLeaf.EntryType.MANIFEST.code(), hash) > 0) {
          return false;
        }
        append(LogLeaf.of(LogLeaf.EntryType.MANIFEST, now, hash), h);
        return true;
      });
      added += appended ? 1 : 0;
    }
    return added;
  }

  /** The number of committed leaves. */
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
   * Signs a tree head over all committed leaves at {@code timestampMillis} and stores it,
   * unless that exact (size, time) head exists already. Returns the head.
   */
  public SignedTreeHead signTreeHead(LogSigningKey key, long timestampMillis) {
    byte[] root;
    long n;
    synchronized (cache) {
      n = refresh();
      root = cache.root(); // refresh() left exactly n leaves in the cache
    }
    SignedTreeHead sth = key.sign(n, root, timestampMillis);
    jdbi.useTransaction(h -> {
      LogDao dao = h.attach(LogDao.class);
      if (dao.countTreeHead(n, timestampMillis) == 0) {
        dao.insertTreeHead(n, timestampMillis, sth.encoded());
      }
    });
    return treeHead(n).orElse(sth);
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

  /** The index of the leaf of a stored envelope, if it was logged. */
  public Optional<Long> indexOfEnvelope(EnvelopeId envelope) {
    return jdbi.withExtension(LogDao.class, d -> d.indexOfEnvelope(envelope.toBytes()));
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

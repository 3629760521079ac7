package org.testigo.server.review;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.RewrapItem;
import org.testigo.api.wire.RewrapLeaf;
import org.testigo.api.wire.RewrapStored;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.envelope.RewrapRecord;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.storage.CurrentEnvelopes;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.RewrapDao;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransparencyLog;

/**
 * Rewraps (docs/spec/reviewer-api-and-batches.md §5): a reviewer replaces the stanzas of a stored report or
 * follow-up so that it is sealed to the current manifest's reviewers, without touching the
 * payload. The server cannot open anything; it accepts a new header only if it is exactly
 * one v1 header with the same context and payload salt as the envelope's original header
 * ({@link Envelope#isRewrapOf}), its recipients are exactly the current manifest's
 * reviewers, and the request was signed by a reviewer or admin valid now whose encryption
 * key the header served now names (someone who can open the envelope). It stores the new
 * header as the next generation (never changing the stored envelope) and appends a
 * {@code rewrap} log leaf whose object is the {@link RewrapRecord} (original envelope hash,
 * replaced header hash, new header hash), both in one transaction.
 *
 * <p>WARNING: the server cannot check that the new stanzas wrap the envelope's file key. A
 * current reviewer who is a recipient can store a header that does not open; only
 * recipients find out.
 */
public final class RewrapService {
  private static final HexFormat HEX = HexFormat.of();
  private final TransactionRunner transactions;
  private final CurrentEnvelopes current;
  private final ReviewerService submissions;
  private final KeyState keys;
  private final TransparencyLog log;
  private final Clock clock;

  public RewrapService(TransactionRunner transactions, CurrentEnvelopes current, ReviewerService submissions,
      KeyState keys, TransparencyLog log, Clock clock) {
    this.transactions = transactions;
    this.current = current;
    this.submissions = submissions;
    this.keys = keys;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Stores {@code body} (a new header) as the header of submission {@code id}. Empty if the
   * submission is not one reviewers may read. Posting the header that is already stored for
   * this envelope (a retry) returns that generation with {@code created = false} and stores
   * nothing.
   *
   * @throws InvalidInputException if the header is malformed, not for this payload, or not
   *     sealed to exactly the current reviewers; nothing is stored
   * @throws PayloadTooLargeException if the body is longer than the largest v1 header
   * @throws NotARecipientException if the signer's key is not a recipient of the header served now
   */
  public Optional<RewrapStored> rewrap(EnvelopeId id, ReviewerPrincipal principal, VerifiedBody body) throws IOException {
    byte[] header = body.readNBytes(EnvelopeStore.MAX_HEADER + 1);
    if (header.length > EnvelopeStore.MAX_HEADER) {
      throw new PayloadTooLargeException();
    }
    body.finish();
    Optional<EnvelopeRecord> found = submissions.envelope(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    EnvelopeRecord record = found.get();
    byte[] headerSha = RewrapRecord.sha256(header);
    Optional<RewrapDao.Row> same = transactions.withHandle(
        h -> h.attach(RewrapDao.class).withHeader(id.toBytes(), headerSha));
    if (same.isPresent()) {
      return Optional.of(stored(same.get(), false));
    }
    byte[] original = current.originalHeader(record);
    byte[] served = current.latestRewrap(id).map(RewrapDao.Row::header).orElse(original);
    if (!recipientsOf(served).contains(principal.entry().encryptionKey().fingerprint())) {
      throw new NotARecipientException();
    }
    if (!Envelope.isRewrapOf(original, header)) {
      throw new InvalidInputException("error.rewrap_header");
    }
    if (!sealedToTheCurrentReviewers(header)) {
      throw new InvalidInputException("error.rewrap_recipients");
    }
    byte[] servedSha = current.sha256WithHeader(record, header);
    byte[] originalSha = RewrapRecord.sha256(original);
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    byte[] signer = principal.signingKeyFingerprint().toBytes();
    return Optional.of(transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT, h -> {
      RewrapDao dao = h.attach(RewrapDao.class);
      dao.lock();
      Optional<RewrapDao.Row> again = dao.withHeader(id.toBytes(), headerSha);
      if (again.isPresent()) {
        return stored(again.get(), false);
      }
      Optional<RewrapDao.Row> latest = dao.latest(id.toBytes());
      if (latest.isEmpty() && MessageDigest.isEqual(originalSha, headerSha)) {
        return new RewrapStored(0, id.hex(), 0, HEX.formatHex(headerSha), HEX.formatHex(record.sha256()), false);
      }
      int generation = latest.map(r -> r.generation() + 1).orElse(1);
      byte[] previous = latest.map(RewrapDao.Row::headerSha256).orElse(originalSha);
      RewrapRecord object = new RewrapRecord(record.sha256(), previous, headerSha);
      long seq = dao.nextSeq();
      dao.insert(seq, id.toBytes(), generation, header, headerSha, previous, servedSha, object.hash(), signer, day);
      if (dao.advance() != 1) {
        throw new IllegalStateException("the rewrap lock row is missing");
      }
      log.append(LogLeaf.of(LogLeaf.EntryType.REWRAP, now, object.hash()), h);
      return new RewrapStored(seq, id.hex(), generation, HEX.formatHex(headerSha), HEX.formatHex(servedSha), true);
    }));
  }

  /**
   * The signer's encryption key is not among the recipients of the header the envelope is
   * served with now, so the signer cannot have opened it: the server, which cannot check the
   * file key, accepts a new header only from someone who could.
   */
  public static final class NotARecipientException extends RuntimeException {
    public NotARecipientException() {
      super("Only a reviewer whose key the envelope's current header names can rewrap it: ask one of its"
          + " recipients to run testigo-reviewer rewrap.", null, false, false);
    }
  }

  private static Set<Fingerprint> recipientsOf(byte[] header) {
    try {
      return Set.copyOf(Envelope.inspectHeader(new ByteArrayInputStream(header)).recipients());
    } catch (CryptoException | IOException e) {
      throw new IllegalStateException("a stored header does not parse");
    }
  }

  private boolean sealedToTheCurrentReviewers(byte[] header) {
    try {
      EnvelopeInfo info = Envelope.inspectHeader(new ByteArrayInputStream(header));
      Set<Fingerprint> named = new HashSet<>(info.recipients());
      return info.headerLength() == header.length && info.recipients().size() == named.size()
          && named.equals(keys.recipientFingerprints());
    } catch (CryptoException | IOException e) {
      return false;
    }
  }

  private static RewrapStored stored(RewrapDao.Row r, boolean created) {
    return new RewrapStored(r.seq(), HEX.formatHex(r.envelopeId()), r.generation(), HEX.formatHex(r.headerSha256()),
        HEX.formatHex(r.servedSha256()), created);
  }

  /** Rewraps with a sequence number above {@code after}, oldest first. */
  public Page<RewrapItem> after(long after, int limit) {
    List<RewrapDao.Row> rows = transactions.withHandle(
        h -> h.attach(RewrapDao.class).after(after, limit + 1));
    List<RewrapItem> items = rows.stream().limit(limit).map(r -> new RewrapItem(r.seq(), HEX.formatHex(r.envelopeId()),
        r.generation(), HEX.formatHex(r.headerSha256()), HEX.formatHex(r.servedSha256()),
        r.receivedDay().toString(), HEX.formatHex(r.signerFingerprint()))).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(),
        rows.size() > limit);
  }

  /** The header of one generation of a readable submission (0 = the original). */
  public Optional<byte[]> header(EnvelopeId id, int generation) {
    Optional<EnvelopeRecord> record = submissions.envelope(id);
    if (record.isEmpty() || generation < 0) {
      return Optional.empty();
    }
    if (generation == 0) {
      return Optional.of(current.originalHeader(record.get()));
    }
    return Optional.ofNullable(transactions.withHandle(
        h -> h.attach(RewrapDao.class).headerOrNull(id.toBytes(), generation)));
  }

  /** The object of rewrap leaf {@code index}, for auditors; empty for any other leaf. */
  public Optional<RewrapLeaf> forLeaf(long index) {
    List<byte[]> leaves = log.leaves(index, index + 1);
    if (leaves.size() != 1) {
      return Optional.empty();
    }
    LogLeaf leaf;
    try {
      leaf = LogLeaf.parse(leaves.get(0));
    } catch (CryptoException e) {
      return Optional.empty();
    }
    if (leaf.type() != LogLeaf.EntryType.REWRAP) {
      return Optional.empty();
    }
    return transactions.withHandle(h -> h.attach(RewrapDao.class).byObjectHash(leaf.objectHash()))
        .map(r -> {
          byte[] envelopeSha = current.store().find(EnvelopeId.fromBytes(r.envelopeId()))
              .map(EnvelopeRecord::sha256).orElseThrow(() -> new IllegalStateException("a rewrap without its envelope"));
          return new RewrapLeaf(index, HEX.formatHex(envelopeSha), HEX.formatHex(r.previousHeaderSha256()),
              HEX.formatHex(r.header()));
        });
  }
}

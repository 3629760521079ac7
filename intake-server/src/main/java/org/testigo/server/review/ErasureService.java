package org.testigo.server.review;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.AuditErasure;
import org.testigo.api.wire.CaseObjects;
import org.testigo.api.wire.ErasureApplied;
import org.testigo.api.wire.ErasureItem;
import org.testigo.api.wire.Page;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.erasure.ErasureRules;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.storage.ErasureDao;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransparencyLog;

/**
 * Erasure on the server (docs/spec/retention-and-erasure.md §3): lists a case's stored
 * envelopes, checks a signed erasure decision (§3.2) and applies it in ONE transaction on the
 * eraser's connection (§3.3): deletes the case's envelope rows (with inline data), chunks,
 * rewrapped headers, mailbox links, mailbox (with its last report) and reviewer-feed rows,
 * empties the sealed content of its case events except the one that carries the statistical
 * record, clears the envelope link of their log leaves, stores the decision and appends an
 * {@code erasure} leaf whose object hash is the decision hash. Posting the same decision again
 * changes nothing and answers as the first time (a retry after a lost answer, or after a
 * Galera node failure).
 *
 * <p>WARNING: the server cannot check that a case is closed, not held or past its date under
 * the policy (it cannot read case state); reviewers check that at sync. What it checks is that
 * the signers were allowed to decide, that there are enough of them for the basis and reason,
 * that the decision is recent, and that it names exactly the case's stored envelopes.
 */
public final class ErasureService {
  /** The largest body accepted: a decision is at most {@link ErasureDecision#MAX_LENGTH} bytes. */
  public static final int MAX_BODY_BYTES = 256 * 1024;
  /** A decision dated further ahead of the server clock is refused. */
  public static final Duration MAX_AHEAD = Duration.ofMinutes(10);
  /** A decision older than this is refused (an old signed decision cannot be replayed later). */
  public static final Duration MAX_AGE = Duration.ofDays(30);

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] EMPTY = new byte[0];

  /** The case was erased: its objects and events are gone (410). */
  public static final class GoneException extends RuntimeException {
    public GoneException() {
      super("This case was erased by a signed erasure decision: nothing of it is served any more and no event"
          + " may be added. Run testigo-reviewer sync to apply the erasure to your cache.", null, false, false);
    }
  }

  /** A decision that parses but is refused: {@code status} 403 or 409, a fixed English reason. */
  public static final class RefusedException extends RuntimeException {
    private final int status;

    public RefusedException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The decision's objects are not exactly the case's stored envelopes (409). */
  public static final class MismatchException extends RuntimeException {
    private final List<String> missing;
    private final List<String> unlisted;

    public MismatchException(List<String> missing, List<String> unlisted) {
      super("The decision does not list exactly the case's stored envelopes: 'missing' are stored and not listed,"
          + " 'unlisted' are listed and not stored. Fetch GET /api/v1/reviewer/cases/{id}/objects, sync, and sign"
          + " a new decision.", null, false, false);
      this.missing = List.copyOf(missing);
      this.unlisted = List.copyOf(unlisted);
    }

    public List<String> missing() {
      return missing;
    }

    public List<String> unlisted() {
      return unlisted;
    }
  }

  /** An applied decision: new ({@code created}) or found already applied. */
  public record Applied(ErasureApplied answer, boolean created) {}

  private final TransactionRunner reads;
  private final TransactionRunner eraser;
  private final TransparencyLog log;
  private final KeyState keys;
  private final ReviewerService submissions;
  private final Clock clock;

  /**
   * {@code reads} runs on the application's account; {@code eraser} on the eraser account, the
   * only one allowed to delete (the same one on the embedded H2 database).
   */
  public ErasureService(TransactionRunner reads, TransactionRunner eraser, TransparencyLog log, KeyState keys,
      ReviewerService submissions, Clock clock) {
    this.reads = reads;
    this.eraser = eraser;
    this.log = log;
    this.keys = keys;
    this.submissions = submissions;
    this.clock = clock;
  }

  /** Whether a case was erased. */
  public boolean erased(EnvelopeId caseId) {
    return reads.withHandle(h -> h.attach(ErasureDao.class).countByCase(caseId.toBytes())) > 0;
  }

  /**
   * Every stored envelope of a case (report, follow-ups, replies) ordered by SHA-256; empty if
   * the case is not a report reviewers may read.
   *
   * @throws GoneException if the case was erased
   */
  public Optional<CaseObjects> objects(EnvelopeId caseId) {
    if (erased(caseId)) {
      throw new GoneException();
    }
    if (submissions.envelope(caseId).filter(r -> Envelope.CONTEXT_REPORT.equals(r.context())).isEmpty()) {
      return Optional.empty();
    }
    List<ErasureDao.CaseObject> objects = reads.withHandle(h -> objectsOf(h.attach(ErasureDao.class),
        caseId.toBytes(), false));
    return Optional.of(new CaseObjects(caseId.hex(), objects.stream().map(o -> new CaseObjects.CaseObject(
        HEX.formatHex(o.sha256()), o.context(), o.receivedDay().toString())).toList()));
  }

  /**
   * The stored envelopes of case {@code caseId} in SHA-256 order: the report, and the
   * follow-ups and replies stored as this case's (the reviewer feed's caseId; fixed when each
   * was stored). Empty if no such report. With {@code lock}, the mailbox row is locked first,
   * so no follow-up or reply joins it before the transaction ends.
   */
  static List<ErasureDao.CaseObject> objectsOf(ErasureDao dao, byte[] caseId, boolean lock) {
    List<ErasureDao.CaseObject> all = new ArrayList<>(dao.report(caseId));
    if (all.isEmpty()) {
      return all;
    }
    List<byte[]> mailbox = dao.mailboxOf(caseId);
    if (mailbox.size() == 1) {
      if (lock) {
        dao.lockMailbox(mailbox.get(0));
      }
      all.addAll(dao.followUpsAndReplies(caseId));
    }
    all.sort((a, b) -> Arrays.compareUnsigned(a.sha256(), b.sha256()));
    return all;
  }

  /**
   * Checks and applies the decision in {@code body}. Empty if its case is not a stored report.
   *
   * @throws InvalidInputException if the body is not an erasure decision v1 whose signatures verify
   * @throws PayloadTooLargeException above {@link #MAX_BODY_BYTES}
   * @throws RefusedException 403 (signers, signatures, date) or 409 (no policy, erased by
   *     another decision, record event not of this case)
   * @throws MismatchException if the objects are not exactly the case's stored envelopes
   */
  public Optional<Applied> apply(VerifiedBody body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new PayloadTooLargeException();
    }
    body.finish();
    ErasureDecision decision;
    try {
      decision = ErasureDecision.parse(bytes);
    } catch (CryptoException e) {
      throw new InvalidInputException("error.erasure_decision");
    }
    byte[] caseId = decision.caseId().toBytes();
    byte[] hash = decision.hash();
    Optional<ErasureDao.Row> applied = reads.withHandle(h -> h.attach(ErasureDao.class).byDecisionHash(hash));
    if (applied.isPresent()) {
      return Optional.of(new Applied(answer(applied.get()), false));
    }
    if (reads.withHandle(h -> h.attach(ErasureDao.class).countByCase(caseId)) > 0) {
      throw erasedByAnother();
    }
    Optional<ErasureDao.CaseObject> report = reads.withHandle(h -> h.attach(ErasureDao.class).report(caseId))
        .stream().findFirst();
    if (report.isEmpty()) {
      return Optional.empty();
    }
    check(decision, report.get().receivedDay());
    List<byte[]> eventCase = reads.withHandle(h -> h.attach(ErasureDao.class)
        .caseOfEvent(decision.body().recordEvent().toBytes()));
    if (eventCase.size() != 1 || !Arrays.equals(eventCase.get(0), caseId)) {
      throw new RefusedException(409, "The decision's record_event is not a stored case event of this case: post the"
          + " erasure event (with the statistical record) to this case first, then sign the decision naming it.");
    }
    Instant now = clock.instant();
    // Read committed: once the mailbox row is locked, the reads that follow see every follow-up
    // and reply committed before, and none can join it until this transaction ends.
    return Optional.of(eraser.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT,
        TransactionIsolationLevel.READ_COMMITTED, h -> erase(h, decision, now, log)));
  }

  private void check(ErasureDecision decision, LocalDate receivedDay) {
    Instant now = clock.instant();
    Instant decidedAt = decision.body().decidedAt();
    if (decidedAt.isAfter(now.plus(MAX_AHEAD))) {
      throw new RefusedException(403, "The decision is dated more than 10 minutes after the server's clock: check"
          + " the signing computer's clock and sign it again.");
    }
    if (decidedAt.isBefore(now.minus(MAX_AGE))) {
      throw new RefusedException(403, "The decision was signed more than 30 days ago; an old decision is not applied."
          + " Sign a new one (and collect its co-signatures within 30 days).");
    }
    KeyManifest inForce = ErasureRules.inForce(keys.chain(), decidedAt);
    if (inForce != null && inForce.retentionPolicy().isEmpty()) {
      throw new RefusedException(409, "No retention policy is in force in the key manifest at the decision's date:"
          + " nothing may be erased until the custodians set one (testigo-reviewer manifest set-retention).");
    }
    try {
      ErasureRules.check(decision, keys.chain(), receivedDay);
    } catch (ErasureRules.Refused e) {
      throw new RefusedException(403, "The erasure decision is refused: " + e.getMessage() + ".");
    }
    // A decision is dated by its signers: every signer must also be a reviewer now.
    try {
      ErasureRules.checkSignersAt(decision, keys.chain(), now);
    } catch (ErasureRules.Refused e) {
      throw new RefusedException(403, "The erasure decision is refused: " + e.getMessage()
          + "; ask a current reviewer to sign a new decision.");
    }
  }

  private static RefusedException erasedByAnother() {
    return new RefusedException(409, "This case was already erased by another decision; nothing more to do. Run"
        + " testigo-reviewer sync.");
  }

  /**
   * The transaction of one erasure, on the eraser's connection (read committed): the decision
   * has passed every check but the objects, which are compared here under the locks.
   */
  static Applied erase(Handle h, ErasureDecision decision, Instant now, TransparencyLog log) {
    ErasureDao dao = h.attach(ErasureDao.class);
    byte[] caseId = decision.caseId().toBytes();
    byte[] hash = decision.hash();
    dao.lockEvents();
    dao.lock();
    Optional<ErasureDao.Row> again = dao.byDecisionHash(hash);
    if (again.isPresent()) {
      return new Applied(answer(again.get()), false);
    }
    if (dao.countByCase(caseId) > 0) {
      throw erasedByAnother();
    }
    List<ErasureDao.CaseObject> objects = objectsOf(dao, caseId, true);
    if (objects.isEmpty()) {
      throw new IllegalStateException("the report vanished without an erasure");
    }
    mismatch(decision.objectHashes(), objects);
    List<byte[]> ids = objects.stream().map(ErasureDao.CaseObject::id).toList();
    long bytes = dao.storedBytes(ids);
    List<byte[]> mailbox = dao.mailboxOf(caseId);
    dao.deleteRewraps(ids);
    dao.deleteChunks(ids);
    dao.deleteFeedRows(ids);
    dao.deleteMailboxLinks(ids);
    if (dao.deleteEnvelopes(ids) != ids.size()) {
      throw new IllegalStateException("an envelope of the case was not deleted");
    }
    if (mailbox.size() == 1 && dao.linksOfMailbox(mailbox.get(0)) == 0) {
      dao.deleteMailbox(mailbox.get(0));
    }
    dao.emptyEventContents(caseId, decision.body().recordEvent().toBytes(), EMPTY);
    for (ErasureDao.CaseObject o : objects) {
      dao.unlinkLeaf(TransparencyLog.envelopeLeaf(o.context(), o.receivedDay(), o.sha256()).leafHash(), o.id());
    }
    dao.unlinkPending(ids);
    long seq = dao.nextSeq();
    dao.insert(seq, caseId, decision.encoded(), hash, LocalDate.ofInstant(now, ZoneOffset.UTC), objects.size(), bytes);
    if (dao.advance() != 1) {
      throw new IllegalStateException("the erasure lock row is missing");
    }
    log.append(LogLeaf.of(LogLeaf.EntryType.ERASURE, now, hash), h);
    return new Applied(new ErasureApplied(seq, HEX.formatHex(hash), objects.size()), true);
  }

  /** Throws unless the listed hashes are exactly the stored ones. */
  private static void mismatch(List<byte[]> listed, List<ErasureDao.CaseObject> stored) {
    TreeMap<String, Boolean> listedHex = new TreeMap<>();
    listed.forEach(b -> listedHex.put(HEX.formatHex(b), true));
    TreeMap<String, Boolean> storedHex = new TreeMap<>();
    stored.forEach(o -> storedHex.put(HEX.formatHex(o.sha256()), true));
    List<String> missing = storedHex.keySet().stream().filter(k -> !listedHex.containsKey(k)).toList();
    List<String> unlisted = listedHex.keySet().stream().filter(k -> !storedHex.containsKey(k)).toList();
    if (!missing.isEmpty() || !unlisted.isEmpty()) {
      throw new MismatchException(missing, unlisted);
    }
  }

  private static ErasureApplied answer(ErasureDao.Row r) {
    return new ErasureApplied(r.seq(), HEX.formatHex(r.decisionHash()), r.objectCount());
  }

  /** Applied erasures after {@code after}, for reviewers. */
  public Page<ErasureItem> after(long after, int limit) {
    List<ErasureDao.Row> rows = reads.withHandle(h -> h.attach(ErasureDao.class).after(after, limit + 1));
    Base64.Encoder b64 = Base64.getEncoder();
    List<ErasureItem> items = rows.stream().limit(limit).map(r -> new ErasureItem(r.seq(), HEX.formatHex(r.caseId()),
        b64.encodeToString(r.decision()))).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(), rows.size() > limit);
  }

  /** Applied erasures after {@code after}, for auditors (public: the decision names its case). */
  public Page<AuditErasure> auditAfter(long after, int limit) {
    List<ErasureDao.Row> rows = reads.withHandle(h -> h.attach(ErasureDao.class).after(after, limit + 1));
    Base64.Encoder b64 = Base64.getEncoder();
    List<AuditErasure> items = rows.stream().limit(limit).map(r -> new AuditErasure(r.seq(),
        b64.encodeToString(r.decision()))).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(), rows.size() > limit);
  }
}

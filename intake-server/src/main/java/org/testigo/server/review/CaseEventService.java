package org.testigo.server.review;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.CaseEventItem;
import org.testigo.api.wire.Page;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.storage.CaseEventDao;
import org.testigo.server.storage.ErasureDao;
import org.testigo.server.storage.TransparencyLog;

/**
 * Case events: checked without reading them, stored append-only, listed after a cursor.
 * The body of a post is {@code u16 n || SignedCaseEvent (n bytes) || sealed content
 * envelope}. Accepted only if the event is for the case in the path (an existing report),
 * is signed by the same reviewer who signed the request (listed and valid now in the
 * current manifest, role reviewer or admin), its claimed time is within
 * {@link #MAX_CLAIM_SKEW} of the server clock, and the content is a v1 {@code case-event}
 * envelope whose SHA-256 is the one the event signs and whose recipients are exactly the
 * manifest's current reviewers. The same event posted twice is stored once.
 *
 * <p>A new event is logged in the transparency log in the transaction that stores it: a
 * {@code CASE_EVENT} leaf whose object hash is SHA-256 of the stored SignedCaseEvent v1
 * encoding ({@code body || signature}, exactly the {@code event_bytes} column; not the
 * sealed content, which the event binds by its own content hash). A repost of a stored
 * event appends nothing. docs/spec/merkle-log-and-proofs.md §5.1.
 *
 * <p>Events for an erased case are refused ({@link ErasureService.GoneException}, 410): the
 * check is repeated under the case-event lock, which an erasure also takes.
 */
public final class CaseEventService {
  public static final Duration MAX_CLAIM_SKEW = Duration.ofMinutes(10);

  /** The outcome of a post: the event's sequence number, and whether it was new. */
  public record Stored(long seq, String eventId, boolean created) {}

  private final Jdbi jdbi;
  private final TransparencyLog log;
  private final KeyState keys;
  private final ReviewerService submissions;
  private final Clock clock;
  private final int maxEventBytes;

  public CaseEventService(Jdbi jdbi, TransparencyLog log, KeyState keys, ReviewerService submissions,
      int maxEventBytes, Clock clock) {
    this.maxEventBytes = maxEventBytes;
    this.jdbi = jdbi;
    this.log = log;
    this.keys = keys;
    this.submissions = submissions;
    this.clock = clock;
  }

  /** Empty if the case is not a known report. */
  public Optional<Stored> post(EnvelopeId caseId, ReviewerPrincipal principal, VerifiedBody body)
      throws IOException {
    byte[] all = body.readNBytes(maxEventBytes + 1);
    if (all.length > maxEventBytes) {
      throw new org.testigo.server.domain.PayloadTooLargeException();
    }
    body.finish();
    if (jdbi.withExtension(ErasureDao.class, d -> d.countByCase(caseId.toBytes())) > 0) {
      throw new ErasureService.GoneException();
    }
    if (submissions.envelope(caseId).filter(r -> Envelope.CONTEXT_REPORT.equals(r.context())).isEmpty()) {
      return Optional.empty();
    }
    if (!principal.mayWrite()) {
      throw new InvalidInputException("error.form");
    }
    byte[] encoded;
    byte[] content;
    SignedCaseEvent event;
    try {
      LengthPrefixed.Parts parts = LengthPrefixed.split(all);
      encoded = parts.first();
      content = parts.second();
      event = SignedCaseEvent.parse(encoded);
    } catch (CryptoException e) {
      throw new InvalidInputException("error.form");
    }
    Instant now = clock.instant();
    if (!java.util.Arrays.equals(event.caseId().toBytes(), caseId.toBytes())
        || !event.author().equals(principal.entry().signingKey())
        || !event.verify(principal.entry().signingKey())
        || !event.matchesContent(content)
        || Duration.between(event.createdAt(), now).abs().compareTo(MAX_CLAIM_SKEW) > 0
        || !sealedToTheTeam(content)) {
      throw new InvalidInputException("error.form");
    }
    byte[] eventId = event.eventId().toBytes();
    Fingerprint author = principal.signingKeyFingerprint();
    return Optional.of(jdbi.inTransaction(h -> {
      CaseEventDao dao = h.attach(CaseEventDao.class);
      dao.lock();
      if (h.attach(ErasureDao.class).countByCase(caseId.toBytes()) > 0) {
        throw new ErasureService.GoneException(); // erased after the check above: the erasure holds this lock too
      }
      Optional<Long> existing = dao.seqOf(eventId);
      if (existing.isPresent()) {
        return new Stored(existing.get(), event.eventId().hex(), false);
      }
      dao.insert(eventId, caseId.toBytes(), author.toBytes(), now.getEpochSecond(), encoded.length,
          content.length, encoded, content);
      long seq = dao.seqOf(eventId).orElseThrow();
      log.append(LogLeaf.of(LogLeaf.EntryType.CASE_EVENT, now, logObjectHash(encoded)), h);
      return new Stored(seq, event.eventId().hex(), true);
    }));
  }

  /** The object hash of a case event's log leaf: SHA-256 of its stored v1 encoding. */
  public static byte[] logObjectHash(byte[] signedEventEncoding) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(signedEventEncoding);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  private boolean sealedToTheTeam(byte[] content) {
    try {
      EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(content), OutputStream.nullOutputStream());
      Set<Fingerprint> named = new HashSet<>(info.recipients());
      return info.version() == Envelope.VERSION && Envelope.CONTEXT_CASE_EVENT.equals(info.context())
          && info.recipients().size() == named.size() && named.equals(keys.recipientFingerprints());
    } catch (CryptoException | IOException e) {
      return false;
    }
  }

  public Page<CaseEventItem> after(long after, int limit) {
    List<CaseEventDao.Row> rows = jdbi.withExtension(CaseEventDao.class, dao -> dao.after(after, limit + 1));
    HexFormat hex = HexFormat.of();
    Base64.Encoder b64 = Base64.getEncoder();
    List<CaseEventItem> items = rows.stream().limit(limit).map(r -> new CaseEventItem(r.seq(), hex.formatHex(r.eventId()),
        hex.formatHex(r.caseId()), hex.formatHex(r.authorFingerprint()),
        Instant.ofEpochSecond(r.receivedEpochSecond()).toString(), b64.encodeToString(r.eventBytes()),
        b64.encodeToString(r.content()))).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(),
        rows.size() > limit);
  }

}

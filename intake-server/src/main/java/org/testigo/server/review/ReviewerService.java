package org.testigo.server.review;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.Submission;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.LimitedInputStream;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.storage.CurrentEnvelopes;
import org.testigo.server.storage.EnvelopeDao;
import org.testigo.server.storage.EnvelopeStore.MailboxLink;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.MailboxStore;
import org.testigo.server.storage.ReviewerDao;
import org.testigo.server.storage.TransactionRunner;

/**
 * What reviewers do through the API: page through submissions by a server sequence, fetch an
 * envelope's ciphertext, fetch a source's reply public key, and store a reply sealed to it
 * where the source's status page reads replies. The server learns nothing it did not already
 * hold: it never sees a plaintext, and checks replies only structurally.
 */
public final class ReviewerService {
  /** At most this many bytes of envelopes (by size bucket) are read by one query of {@link #batch}. */
  static final long GROUP_BYTES = 4L * 1024 * 1024;
  private final TransactionRunner transactions;
  private final Jdbi jdbi;
  private final EnvelopeStore envelopes;
  private final MailboxStore mailboxes;
  private final long maxEnvelopeBytes;
  private final CurrentEnvelopes current;

  public ReviewerService(TransactionRunner transactions, EnvelopeStore envelopes, MailboxStore mailboxes,
      long maxEnvelopeBytes) {
    this.transactions = transactions;
    this.jdbi = transactions.jdbi();
    this.envelopes = envelopes;
    this.mailboxes = mailboxes;
    this.maxEnvelopeBytes = maxEnvelopeBytes;
    this.current = new CurrentEnvelopes(envelopes);
  }

  /**
   * Submissions with a sequence number above {@code after}, oldest first. Newly committed
   * envelopes are first given sequence numbers under the feed lock, so a sequence number
   * that a reader has seen is never followed by a smaller one committed later.
   */
  public Page<Submission> submissions(long after, int limit) {
    // A page that does not reach the end of the feed needs no sequencing: whatever commits now
    // is sequenced later, after every number this reader will see on the way. Only a page near
    // the end runs the sequencer (an anti-join over the envelopes), so a sync of N reports
    // costs one or two scans, not one per page (the reviewer benchmark: sync time grew with
    // the square of N).
    List<ReviewerDao.FeedRow> ahead = transactions.withHandle(
        h -> h.attach(ReviewerDao.class).feedAfter(after, limit + 1));
    if (ahead.size() > limit) {
      return page(ahead, after, limit);
    }
    sequence();
    List<ReviewerDao.FeedRow> rows = transactions.withHandle(h -> h.attach(ReviewerDao.class).feedAfter(after, limit + 1));
    return page(rows, after, limit);
  }

  private static Page<Submission> page(List<ReviewerDao.FeedRow> rows, long after, int limit) {
    boolean more = rows.size() > limit;
    List<Submission> items = rows.stream().limit(limit).map(ReviewerService::submission).toList();
    long next = items.isEmpty() ? after : items.get(items.size() - 1).seq();
    return new Page<>(items, next, more);
  }

  /** Gives newly committed envelopes the next sequence numbers, under the feed lock. */
  private void sequence() {
    // Galera: concurrent sequencers on different nodes conflict on the lock row; the loser is
    // rolled back and run again (idempotent: it sequences what is not in the feed yet).
    transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT,
        TransactionIsolationLevel.READ_COMMITTED, h -> {
          ReviewerDao dao = h.attach(ReviewerDao.class);
          dao.lockFeed();
          int added = dao.sequenceNewEnvelopes();
          if (added > 0) {
            dao.advanceFeed(added);
          }
          return added;
        });
  }

  private static Submission submission(ReviewerDao.FeedRow r) {
    HexFormat hex = HexFormat.of();
    String id = hex.formatHex(r.id());
    // a report is its own case (case_id is null for it, decision 0029), whatever shares its receipt
    String caseId = r.caseId() == null ? id : hex.formatHex(r.caseId());
    return new Submission(r.seq(), id, r.context(), r.receivedDay().toString(), r.sizeBucket(),
        hex.formatHex(r.sha256()), r.hasMailbox(), caseId, hex.formatHex(r.currentSha256()), r.rewraps());
  }

  /**
   * One page of the feed with every envelope inline ({@link EnvelopeBatch}), streamed to
   * {@code out}: the same items, order and {@code more} as {@link #submissions}, each
   * envelope in its served form (the newest rewrapped header, as {@link #copyTo}).
   */
  public void batch(long after, int limit, OutputStream out) throws IOException {
    Page<Submission> page = submissions(after, limit);
    List<Submission> items = page.items();
    EnvelopeBatch batch = new EnvelopeBatch(out);
    // One handle (one pooled connection) for the whole page, and one query for the rows and
    // inline bytes of many envelopes at a time: a query (or two) per envelope cost the server
    // more CPU than the reviewer's decryption of it (issue #22, profiled with JFR).
    try (Handle handle = jdbi.open()) {
      ReviewerDao feed = handle.attach(ReviewerDao.class);
      EnvelopeDao dao = handle.attach(EnvelopeDao.class);
      long from = after;
      int start = 0;
      while (start < items.size()) {
        int end = groupEnd(items, start);
        long last = items.get(end - 1).seq();
        Map<EnvelopeId, ReviewerDao.ListedEnvelope> rows = new HashMap<>();
        for (ReviewerDao.ListedEnvelope row : feed.listedEnvelopes(from, last)) {
          rows.put(row.record().id(), row);
        }
        for (Submission s : items.subList(start, end)) {
          serve(s, rows.get(EnvelopeId.parse(s.id())), dao, batch);
        }
        from = last;
        start = end;
      }
    }
    batch.end(page.more());
  }

  /**
   * The end (exclusive) of the run of items from {@code start} that one query reads: at least
   * one item, and no more than {@link #GROUP_BYTES} by size bucket (which bounds the inline
   * bytes; a chunked envelope's chunks are read one at a time, not by this query).
   */
  private static int groupEnd(List<Submission> items, int start) {
    long bytes = items.get(start).size();
    int end = start + 1;
    while (end < items.size() && bytes + items.get(end).size() <= GROUP_BYTES) {
      bytes += items.get(end).size();
      end++;
    }
    return end;
  }

  /** Writes one item of a batch: the envelope as {@link #copyTo} serves it. */
  private void serve(Submission s, ReviewerDao.ListedEnvelope row, EnvelopeDao dao, EnvelopeBatch batch)
      throws IOException {
    if (row == null || !EnvelopeDao.STATE_STORED.equals(row.record().state())) {
      throw new IOException("a listed envelope is missing");
    }
    EnvelopeRecord record = row.record();
    if (s.rewraps() > 0) {
      // Rewrapped: the newest header in front of the original payload, as copyTo serves it.
      batch.item(s, o -> current.copyTo(record, o));
      return;
    }
    byte[] id = record.id().toBytes();
    byte[] inline = row.inlineData();
    batch.item(s, o -> {
      // Chunk 0 of an envelope stored inline is its row's bytes (V48; never also a chunk row).
      for (int i = 0; i < record.chunkCount(); i++) {
        o.write(i == 0 && inline != null ? inline
            : dao.chunk(id, i).orElseThrow(() -> new IOException("a stored envelope is missing a chunk")));
      }
    });
  }

  /** A submission's stored envelope, if it is one reviewers may read (in the feed). */
  public Optional<EnvelopeRecord> envelope(EnvelopeId id) {
    boolean listed = transactions.withHandle(h -> h.attach(ReviewerDao.class).inFeed(id.toBytes())) > 0;
    return listed ? envelopes.find(id) : Optional.empty();
  }

  /** Streams the envelope as served: the newest rewrapped header, if any, and the original payload. */
  public void copyTo(EnvelopeRecord record, OutputStream out) throws IOException {
    current.copyTo(record, out);
  }

  /** SHA-256 of what {@link #copyTo} streams. */
  public byte[] currentSha256(EnvelopeRecord record) {
    return current.currentSha256(record);
  }

  /** The reply public key of the mailbox a report is linked to. */
  public Optional<RecipientPublicKey> replyKey(EnvelopeId reportId) {
    return reportMailbox(reportId).flatMap(mailboxes::replyKey);
  }

  private Optional<MailboxId> reportMailbox(EnvelopeId reportId) {
    if (envelope(reportId).filter(r -> Envelope.CONTEXT_REPORT.equals(r.context())).isEmpty()) {
      return Optional.empty();
    }
    List<byte[]> ids = transactions.withHandle(h -> h.attach(ReviewerDao.class).reportMailbox(reportId.toBytes()));
    return ids.size() == 1 ? Optional.of(MailboxId.fromBytes(ids.get(0))) : Optional.empty();
  }

  /**
   * Stores a reply to the source of a report, streamed. It must be a v1 envelope of context
   * {@code reply} with exactly one recipient, the mailbox's reply key; the body must match
   * its signed digest. Everything happens in the store's transaction: any failure stores
   * nothing. Empty when the report does not exist or has no mailbox, or was erased while the
   * reply arrived (the link is written under the mailbox's lock, after checking again that the
   * report is stored; the case_id foreign key refuses the rest).
   */
  public Optional<StoredEnvelope> storeReply(EnvelopeId reportId, VerifiedBody body, Long contentLength)
      throws IOException {
    if (contentLength != null && contentLength > maxEnvelopeBytes) {
      throw new PayloadTooLargeException();
    }
    Optional<MailboxId> mailbox = reportMailbox(reportId);
    Optional<RecipientPublicKey> key = mailbox.flatMap(mailboxes::replyKey);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Fingerprint expected = key.get().fingerprint();
    try {
      return Optional.of(storeReply(reportId, body, mailbox.get(), expected));
    } catch (EnvelopeStore.CaseGoneException e) {
      return Optional.empty(); // the case was erased while the reply arrived: nothing stored
    }
  }

  private StoredEnvelope storeReply(EnvelopeId reportId, VerifiedBody body, MailboxId mailbox, Fingerprint expected)
      throws IOException {
    return envelopes.store(Envelope.CONTEXT_REPLY, Optional.of(MailboxLink.reply(mailbox, reportId)), out -> {
      EnvelopeInfo info;
      try {
        info = Envelope.inspect(new LimitedInputStream(body, maxEnvelopeBytes), out);
      } catch (CryptoException e) {
        body.finish();
        throw new InvalidInputException("error.envelope");
      }
      if (body.finish() != 0 || info.version() != Envelope.VERSION
          || !Envelope.CONTEXT_REPLY.equals(info.context())
          || !info.recipients().equals(List.of(expected))) {
        throw new InvalidInputException("error.envelope");
      }
    });
  }
}

package org.testigo.server.storage;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.MailboxId;

/**
 * Mailboxes: a keyed hash of a receipt-derived lookup key, mapped to the source's reply
 * public key. Registration is idempotent for the same key and refused for a different one.
 */
public final class MailboxStore {
  public static final String KIND_REPORT = "report";
  public static final String KIND_FOLLOW_UP = "follow-up";
  public static final String KIND_REPLY = "reply";

  /** The outcome of a registration. */
  public enum Registration { CREATED, ALREADY_PRESENT, CONFLICT }

  private final TransactionRunner transactions;
  private final Jdbi jdbi;
  private final Clock clock;

  public MailboxStore(Jdbi jdbi, Clock clock) {
    this(TransactionRunner.singleAttempt(jdbi), clock);
  }

  /**
   * Registration runs through {@code transactions}: it is idempotent (the mailbox id is a
   * keyed hash of the lookup key), so after a commit nobody saw it answers ALREADY_PRESENT.
   */
  public MailboxStore(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.jdbi = transactions.jdbi();
    this.clock = clock;
  }

  public Registration register(MailboxId id, RecipientPublicKey replyKey) {
    try {
      return transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT, handle -> {
        MailboxDao dao = handle.attach(MailboxDao.class);
        Optional<byte[]> existing = dao.replyKey(id.toBytes());
        if (existing.isPresent()) {
          return compare(existing.get(), replyKey);
        }
        dao.insert(id.toBytes(), replyKey.toBytes(), LocalDate.now(clock));
        return Registration.CREATED;
      });
    } catch (JdbiException e) {
      if (Storage.isConstraintViolation(e)) {
        // the same receipt registered by two requests at once: the other one committed first
        Optional<byte[]> winner = jdbi.withExtension(MailboxDao.class, dao -> dao.replyKey(id.toBytes()));
        if (winner.isPresent()) {
          return compare(winner.get(), replyKey);
        }
      }
      throw Storage.translate(e);
    }
  }

  private static Registration compare(byte[] stored, RecipientPublicKey replyKey) {
    return java.security.MessageDigest.isEqual(stored, replyKey.toBytes())
        ? Registration.ALREADY_PRESENT : Registration.CONFLICT;
  }

  public Optional<RecipientPublicKey> replyKey(MailboxId id) {
    try {
      return jdbi.withExtension(MailboxDao.class, dao -> dao.replyKey(id.toBytes()))
          .map(RecipientPublicKey::fromBytes);
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  public List<EnvelopeId> envelopes(MailboxId id, String kind) {
    try {
      return jdbi.withExtension(MailboxDao.class, dao -> dao.envelopes(id.toBytes(), kind))
          .stream().map(EnvelopeId::fromBytes).toList();
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** The source's own envelopes of a mailbox (reports, then follow-ups) with their days, in one query. */
  public List<org.testigo.server.domain.FiledEnvelope> filed(MailboxId id) {
    try {
      return jdbi.withExtension(MailboxDao.class, dao -> dao.filed(id.toBytes())).stream()
          .map(f -> new org.testigo.server.domain.FiledEnvelope(EnvelopeId.fromBytes(f.id()),
              KIND_FOLLOW_UP.equals(f.kind()), f.receivedDay()))
          .toList();
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }
}

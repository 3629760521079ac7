package org.testigo.server.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Mailboxes (keyed-hash id → a source's reply public key) and the envelopes linked to them. */
public interface MailboxDao {
  @SqlUpdate("INSERT INTO mailboxes (id, reply_public_key, created_day) VALUES (:id, :key, :day)")
  void insert(@Bind("id") byte[] id, @Bind("key") byte[] replyPublicKey, @Bind("day") LocalDate day);

  @SqlQuery("SELECT reply_public_key FROM mailboxes WHERE id = :id")
  @SingleValue
  byte[] replyKeyOrNull(@Bind("id") byte[] id);

  default Optional<byte[]> replyKey(byte[] id) {
    return Optional.ofNullable(replyKeyOrNull(id));
  }

  /** Links an envelope to a mailbox; {@code caseId}: the case of a follow-up or reply, null for a report. */
  @SqlUpdate("INSERT INTO mailbox_envelopes (envelope_id, mailbox_id, kind, case_id)"
      + " VALUES (:envelope, :mailbox, :kind, :case)")
  void link(@Bind("envelope") byte[] envelopeId, @Bind("mailbox") byte[] mailboxId, @Bind("kind") String kind,
      @Bind("case") byte[] caseId);

  /** Locks a mailbox row until the transaction ends (as the erasure of one of its cases does). */
  @SqlQuery("SELECT id FROM mailboxes WHERE id = :id FOR UPDATE")
  List<byte[]> lock(@Bind("id") byte[] mailboxId);

  /** 1 if {@code reportId} is a stored report linked to this mailbox, else 0. */
  @SqlQuery("SELECT COUNT(*) FROM mailbox_envelopes me JOIN envelopes e ON e.id = me.envelope_id"
      + " WHERE me.envelope_id = :report AND me.mailbox_id = :mailbox AND me.kind = 'report' AND e.state = 'stored'")
  int storedReportOf(@Bind("report") byte[] reportId, @Bind("mailbox") byte[] mailboxId);

  /**
   * The mailbox's first report still stored, by arrival (the envelopes' internal sequence, V50):
   * the case a new follow-up joins. A report sent later with the same receipt never precedes it.
   */
  @SqlQuery("SELECT me.envelope_id FROM mailbox_envelopes me JOIN envelopes e ON e.id = me.envelope_id"
      + " WHERE me.mailbox_id = :mailbox AND me.kind = 'report' AND e.state = 'stored' ORDER BY e.seq LIMIT 1")
  List<byte[]> firstReport(@Bind("mailbox") byte[] mailboxId);

  @SqlQuery("SELECT me.envelope_id FROM mailbox_envelopes me JOIN envelopes e ON e.id = me.envelope_id"
      + " WHERE me.mailbox_id = :mailbox AND me.kind = :kind AND e.state = 'stored'"
      + " ORDER BY e.received_day, me.envelope_id")
  List<byte[]> envelopes(@Bind("mailbox") byte[] mailboxId, @Bind("kind") String kind);

  /** A stored envelope of a mailbox with its kind and day (the status page's proofs of filing). */
  record Filed(@ColumnName("envelope_id") byte[] id, @ColumnName("kind") String kind,
      @ColumnName("received_day") LocalDate receivedDay) {}

  /** The mailbox's stored reports, then its follow-ups, each by day then id, as {@link #envelopes} orders them. */
  @SqlQuery("SELECT me.envelope_id, me.kind, e.received_day FROM mailbox_envelopes me JOIN envelopes e"
      + " ON e.id = me.envelope_id WHERE me.mailbox_id = :mailbox AND me.kind IN ('report', 'follow-up')"
      + " AND e.state = 'stored' ORDER BY CASE me.kind WHEN 'report' THEN 0 ELSE 1 END, e.received_day, me.envelope_id")
  @RegisterConstructorMapper(Filed.class)
  List<Filed> filed(@Bind("mailbox") byte[] mailboxId);

  @SqlQuery("SELECT COUNT(*) FROM mailboxes")
  long countMailboxes();
}

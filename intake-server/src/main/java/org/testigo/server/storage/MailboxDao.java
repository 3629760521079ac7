package org.testigo.server.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.SingleValue;
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

  @SqlUpdate("INSERT INTO mailbox_envelopes (envelope_id, mailbox_id, kind) VALUES (:envelope, :mailbox, :kind)")
  void link(@Bind("envelope") byte[] envelopeId, @Bind("mailbox") byte[] mailboxId, @Bind("kind") String kind);

  @SqlQuery("SELECT me.envelope_id FROM mailbox_envelopes me JOIN envelopes e ON e.id = me.envelope_id"
      + " WHERE me.mailbox_id = :mailbox AND me.kind = :kind AND e.state = 'stored'"
      + " ORDER BY e.received_day, me.envelope_id")
  List<byte[]> envelopes(@Bind("mailbox") byte[] mailboxId, @Bind("kind") String kind);

  @SqlQuery("SELECT COUNT(*) FROM mailboxes")
  long countMailboxes();
}

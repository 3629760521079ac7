package org.testigo.server.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Erasures (V51, docs/spec/retention-and-erasure.md §3): the stored envelopes of a case, and
 * the deletions of one erasure. The deleting statements run only in the eraser's transaction,
 * on the eraser account's connection (the application account has no DELETE right); the
 * reading ones run on either.
 */
@RegisterConstructorMapper(ErasureDao.Row.class)
public interface ErasureDao {
  /** One applied erasure. */
  record Row(@ColumnName("seq") long seq, @ColumnName("case_id") byte[] caseId,
      @ColumnName("decision") byte[] decision, @ColumnName("decision_hash") byte[] decisionHash,
      @ColumnName("erased_day") LocalDate erasedDay, @ColumnName("object_count") int objectCount,
      @ColumnName("erased_bytes") long erasedBytes) {}

  /** One stored envelope of a case. */
  record CaseObject(@ColumnName("id") byte[] id, @ColumnName("context") String context,
      @ColumnName("received_day") LocalDate receivedDay, @ColumnName("sha256") byte[] sha256) {}

  String COLUMNS = "seq, case_id, decision, decision_hash, erased_day, object_count, erased_bytes";

  /** Takes the erasure lock (row 5; a row lock held to commit, a write conflict under Galera). */
  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 5")
  int lock();

  /** Takes the case-event lock (row 2), which every event insert takes first. */
  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 2")
  int lockEvents();

  @SqlQuery("SELECT next_seq FROM reviewer_feed_lock WHERE id = 5")
  long nextSeq();

  @SqlUpdate("UPDATE reviewer_feed_lock SET next_seq = next_seq + 1 WHERE id = 5")
  int advance();

  @SqlQuery("SELECT " + COLUMNS + " FROM erasures WHERE decision_hash = :hash")
  Optional<Row> byDecisionHash(@Bind("hash") byte[] decisionHash);

  @SqlQuery("SELECT " + COLUMNS + " FROM erasures WHERE case_id = :case")
  Optional<Row> byCase(@Bind("case") byte[] caseId);

  @SqlQuery("SELECT COUNT(*) FROM erasures WHERE case_id = :case")
  int countByCase(@Bind("case") byte[] caseId);

  @SqlQuery("SELECT " + COLUMNS + " FROM erasures WHERE seq > :after ORDER BY seq LIMIT :limit")
  List<Row> after(@Bind("after") long after, @Bind("limit") int limit);

  @SqlUpdate("INSERT INTO erasures (" + COLUMNS + ") VALUES (:seq, :case, :decision, :hash, :day, :objects, :bytes)")
  void insert(@Bind("seq") long seq, @Bind("case") byte[] caseId, @Bind("decision") byte[] decision,
      @Bind("hash") byte[] decisionHash, @Bind("day") LocalDate day, @Bind("objects") int objectCount,
      @Bind("bytes") long erasedBytes);

  /** The stored report {@code id}, as a one-element list (empty if it is not a stored report). */
  @SqlQuery("SELECT id, context, received_day, sha256 FROM envelopes WHERE id = :id AND context = 'report'"
      + " AND state = 'stored'")
  @RegisterConstructorMapper(CaseObject.class)
  List<CaseObject> report(@Bind("id") byte[] reportId);

  /** The mailbox a report is linked to, if any (at most one). */
  @SqlQuery("SELECT mailbox_id FROM mailbox_envelopes WHERE envelope_id = :id AND kind = 'report'")
  List<byte[]> mailboxOf(@Bind("id") byte[] reportId);

  /** Locks a mailbox row until commit: no follow-up or reply is linked to it meanwhile. */
  @SqlQuery("SELECT id FROM mailboxes WHERE id = :id FOR UPDATE")
  List<byte[]> lockMailbox(@Bind("id") byte[] mailboxId);

  /** The stored follow-ups and replies of a case (the case each was given when stored, V52). */
  @SqlQuery("SELECT e.id, e.context, e.received_day, e.sha256 FROM mailbox_envelopes me"
      + " JOIN envelopes e ON e.id = me.envelope_id WHERE me.case_id = :case"
      + " AND me.kind IN ('follow-up', 'reply') AND e.state = 'stored'")
  @RegisterConstructorMapper(CaseObject.class)
  List<CaseObject> followUpsAndReplies(@Bind("case") byte[] caseId);

  /** The bytes stored for these envelopes (chunks and inline data). */
  @SqlQuery("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM " + EnvelopeDao.PARTS + " p WHERE p.envelope_id IN (<ids>)")
  long storedBytes(@BindList("ids") List<byte[]> envelopeIds);

  /** The case a stored event belongs to (empty if no such event). */
  @SqlQuery("SELECT case_id FROM case_events WHERE event_id = :event")
  List<byte[]> caseOfEvent(@Bind("event") byte[] eventId);

  @SqlUpdate("DELETE FROM envelope_rewraps WHERE envelope_id IN (<ids>)")
  int deleteRewraps(@BindList("ids") List<byte[]> envelopeIds);

  @SqlUpdate("DELETE FROM envelope_chunks WHERE envelope_id IN (<ids>)")
  int deleteChunks(@BindList("ids") List<byte[]> envelopeIds);

  @SqlUpdate("DELETE FROM reviewer_feed WHERE envelope_id IN (<ids>)")
  int deleteFeedRows(@BindList("ids") List<byte[]> envelopeIds);

  @SqlUpdate("DELETE FROM mailbox_envelopes WHERE envelope_id IN (<ids>)")
  int deleteMailboxLinks(@BindList("ids") List<byte[]> envelopeIds);

  @SqlUpdate("DELETE FROM envelopes WHERE id IN (<ids>)")
  int deleteEnvelopes(@BindList("ids") List<byte[]> envelopeIds);

  @SqlQuery("SELECT COUNT(*) FROM mailbox_envelopes WHERE mailbox_id = :id")
  int linksOfMailbox(@Bind("id") byte[] mailboxId);

  @SqlUpdate("DELETE FROM mailboxes WHERE id = :id")
  int deleteMailbox(@Bind("id") byte[] mailboxId);

  /** Empties the sealed content of a case's events, except the one that carries its record. */
  @SqlUpdate("UPDATE case_events SET content = :empty WHERE case_id = :case AND event_id <> :keep")
  int emptyEventContents(@Bind("case") byte[] caseId, @Bind("keep") byte[] recordEvent, @Bind("empty") byte[] empty);

  /** Clears the envelope link of a sequenced leaf, found by its (indexed) leaf hash. */
  @SqlUpdate("UPDATE log_leaves SET envelope_id = NULL WHERE leaf_hash = :hash AND envelope_id = :id")
  int unlinkLeaf(@Bind("hash") byte[] leafHash, @Bind("id") byte[] envelopeId);

  /** Clears the envelope link of leaves not sequenced yet (log_pending is small and unindexed). */
  @SqlUpdate("UPDATE log_pending SET envelope_id = NULL WHERE envelope_id IN (<ids>)")
  int unlinkPending(@BindList("ids") List<byte[]> envelopeIds);

  @SqlQuery("SELECT COUNT(*) FROM erasures")
  long count();
}

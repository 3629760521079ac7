package org.testigo.server.storage;

import java.time.LocalDate;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The writes of a submission's storing transaction, apart from {@link EnvelopeDao} so the hot
 * path attaches a small SqlObject: even with its metadata built once ({@link Daos}), JDBI
 * makes a handler with its own configuration copy for every method of an interface at each
 * {@code Handle.attach}. A group commit (docs/decisions/0008-group-commit.md) uses the plain-JDBC statements
 * below instead.
 */
public interface EnvelopeWrites {
  /**
   * As {@link EnvelopeDao#beginIfAbsent}, for an envelope whose bytes are all known already (held in
   * memory): the row is inserted complete, in state {@code stored}, and its chunks follow in
   * the same transaction; one statement less than {@code beginIfAbsent} plus {@link EnvelopeDao#finish}.
   */
  @SqlUpdate("INSERT IGNORE INTO envelopes (id, context, received_day, size_bucket, chunk_count, sha256, state)"
      + " VALUES (:id, :context, :day, :size, :chunks, :sha, 'stored')")
  int insertStoredIfAbsent(@Bind("id") byte[] id, @Bind("context") String context, @Bind("day") LocalDate day,
      @Bind("size") long sizeBucket, @Bind("chunks") int chunks, @Bind("sha") byte[] sha256);

  @SqlUpdate("INSERT INTO envelope_chunks (envelope_id, idx, data) VALUES (:id, :idx, :data)")
  void insertChunk(@Bind("id") byte[] id, @Bind("idx") int idx, @Bind("data") byte[] data);

  /**
   * The group commit's plain-JDBC statements (positional parameters; docs/decisions/0008-group-commit.md): an
   * envelope row, complete, with its bytes inline when they are one chunk (else NULL), not
   * {@code IGNORE} (an id that already has a row fails the batch, which then runs again reading
   * the ids first, §21.2).
   */
  String BATCH_INSERT_STORED = "INSERT INTO envelopes (id, context, received_day, size_bucket, chunk_count,"
      + " sha256, state, inline_data) VALUES (?, ?, ?, ?, ?, ?, 'stored', ?)";
  /** One chunk, positional (id, index, data). */
  String BATCH_INSERT_CHUNK = "INSERT INTO envelope_chunks (envelope_id, idx, data) VALUES (?, ?, ?)";
  /**
   * Which of some ids are the case id of an erasure; append the placeholders, ")" and
   * {@link #LATEST}. Only a report's id can be chosen by a client (follow-ups and replies get
   * fresh random ids), and an erased report's id is its case id, kept in its erasure row. Read
   * after the envelope rows are inserted: an erasure that deleted a row of the same id meanwhile
   * has committed by then (the insert waited for its row lock), so its row is seen.
   */
  String ERASED_IDS_PREFIX = "SELECT case_id FROM erasures WHERE case_id IN (";
  /**
   * A locking read: it sees the latest committed rows even when the transaction read something
   * before (a repeatable-read snapshot, e.g. a group commit's retry that reads which ids exist).
   */
  String LATEST = " FOR UPDATE";
  /** Which of some ids have an envelope row (in any state); append the placeholders and ")". */
  String EXISTING_IDS_PREFIX = "SELECT id FROM envelopes WHERE id IN (";
}

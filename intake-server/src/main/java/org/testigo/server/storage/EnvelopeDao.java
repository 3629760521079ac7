package org.testigo.server.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.EnvelopeRecord;

/** Envelope rows and their chunks. Chunks are written and read one at a time. */
@RegisterRowMapper(EnvelopeDao.EnvelopeMapper.class)
public interface EnvelopeDao extends EnvelopeWrites {
  String STATE_RECEIVING = "receiving";
  String STATE_STORED = "stored";

  @SqlUpdate("INSERT INTO envelopes (id, context, received_day, size_bucket, chunk_count, sha256, state)"
      + " VALUES (:id, :context, :day, 0, 0, :sha, 'receiving')")
  void begin(@Bind("id") byte[] id, @Bind("context") String context, @Bind("day") LocalDate day,
      @Bind("sha") byte[] placeholderSha);

  /**
   * Inserts the row of a new envelope unless its id exists; 0 means it exists (committed, or
   * the insert waited for a concurrent one to commit). Under Galera a concurrent insert of the
   * same id on another node is a certification conflict, retried by the caller.
   */
  @SqlUpdate("INSERT IGNORE INTO envelopes (id, context, received_day, size_bucket, chunk_count, sha256, state)"
      + " VALUES (:id, :context, :day, 0, 0, :sha, 'receiving')")
  int beginIfAbsent(@Bind("id") byte[] id, @Bind("context") String context, @Bind("day") LocalDate day,
      @Bind("sha") byte[] placeholderSha);

  @SqlUpdate("UPDATE envelopes SET size_bucket = :size, chunk_count = :chunks, sha256 = :sha,"
      + " state = 'stored' WHERE id = :id AND state = 'receiving'")
  int finish(@Bind("id") byte[] id, @Bind("size") long sizeBucket, @Bind("chunks") int chunks,
      @Bind("sha") byte[] sha256);

  @SqlQuery("SELECT id, context, received_day, size_bucket, chunk_count, sha256, state"
      + " FROM envelopes WHERE id = :id")
  Optional<EnvelopeRecord> find(@Bind("id") byte[] id);

  /**
   * Every stored part of every envelope as one table expression (envelope_id, idx, data):
   * the rows of envelope_chunks and the inline bytes of one-chunk envelopes (V48), for tools
   * and tests that read stored bytes in SQL: {@code SELECT data FROM " + PARTS + " p WHERE ...}.
   */
  String PARTS = "(SELECT envelope_id, idx, data FROM envelope_chunks UNION ALL SELECT id AS envelope_id,"
      + " 0 AS idx, inline_data AS data FROM envelopes WHERE inline_data IS NOT NULL)";

  /**
   * Chunk {@code idx} of an envelope: a row of envelope_chunks, or for chunk 0 of a one-chunk
   * envelope stored by the group commit, the row's inline bytes (V48; never both).
   */
  @SqlQuery("SELECT data FROM envelope_chunks WHERE envelope_id = :id AND idx = :idx"
      + " UNION ALL SELECT inline_data FROM envelopes WHERE id = :id AND :idx = 0 AND inline_data IS NOT NULL")
  @SingleValue
  byte[] chunkOrNull(@Bind("id") byte[] id, @Bind("idx") int idx);

  default Optional<byte[]> chunk(byte[] id, int idx) {
    return Optional.ofNullable(chunkOrNull(id, idx));
  }

  @SqlQuery("SELECT id, context, received_day, size_bucket, chunk_count, sha256, state FROM envelopes"
      + " WHERE state = 'stored' AND received_day >= :from ORDER BY received_day, id")
  List<EnvelopeRecord> storedSince(@Bind("from") LocalDate from);

  /**
   * The report stored last, by its transparency-log index (the server's only total order); a
   * report whose leaf is still pending (V40) comes after every sequenced one, in the order the
   * sequencer will give them.
   */
  @SqlQuery("SELECT e.id, e.context, e.received_day, e.size_bucket, e.chunk_count, e.sha256, e.state"
      + " FROM envelopes e JOIN (SELECT envelope_id, 0 AS pending, idx AS ord FROM log_leaves"
      + " UNION ALL SELECT envelope_id, 1 AS pending, id AS ord FROM log_pending) l ON l.envelope_id = e.id"
      + " WHERE e.state = 'stored' AND e.context = 'report' ORDER BY l.pending DESC, l.ord DESC LIMIT 1")
  Optional<EnvelopeRecord> latestReport();

  @SqlQuery("SELECT COUNT(*) FROM envelopes")
  long countEnvelopes();

  @SqlQuery("SELECT COUNT(*) FROM envelope_chunks")
  long countChunks();

  /** Maps a row of {@code envelopes}. */
  final class EnvelopeMapper implements RowMapper<EnvelopeRecord> {
    @Override
    public EnvelopeRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new EnvelopeRecord(EnvelopeId.fromBytes(rs.getBytes("id")), rs.getString("context"),
          rs.getObject("received_day", LocalDate.class), rs.getLong("size_bucket"),
          rs.getInt("chunk_count"), rs.getBytes("sha256"), rs.getString("state"));
    }
  }
}

package org.testigo.server.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.testigo.server.domain.EnvelopeRecord;

/**
 * Reviewer API storage: the submission feed (a sequence over committed envelopes), the
 * replay store of request nonces, and the lookups that link an envelope to its mailbox.
 */
@RegisterConstructorMapper(ReviewerDao.FeedRow.class)
public interface ReviewerDao {
  /** One submission as listed to reviewers. {@code caseId} is the report a follow-up belongs to. */
  record FeedRow(@ColumnName("seq") long seq, @ColumnName("id") byte[] id,
      @ColumnName("context") String context, @ColumnName("received_day") LocalDate receivedDay,
      @ColumnName("size_bucket") long sizeBucket, @ColumnName("sha256") byte[] sha256,
      @ColumnName("has_mailbox") boolean hasMailbox, @ColumnName("case_id") byte[] caseId,
      @ColumnName("current_sha256") byte[] currentSha256, @ColumnName("rewraps") int rewraps) {}

  /** Takes the sequencer's lock (a row lock held to commit; a write conflict under Galera). */
  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 1")
  int lockFeed();

  /**
   * Gives every stored report and follow-up not yet in the feed the next sequence numbers of
   * the counter row, in (day, arrival) order (arrival: the envelopes' internal sequence, V50;
   * reviewers' lists show a day's reports in this order). Call only after {@link #lockFeed()}
   * in the same transaction, then advance the counter with {@link #advanceFeed(int)}.
   */
  @SqlUpdate("INSERT INTO reviewer_feed (seq, envelope_id)"
      + " SELECT l.next_seq - 1 + ROW_NUMBER() OVER (ORDER BY e.received_day, e.seq), e.id"
      + " FROM envelopes e JOIN reviewer_feed_lock l ON l.id = 1"
      + " LEFT JOIN reviewer_feed f ON f.envelope_id = e.id"
      + " WHERE f.envelope_id IS NULL AND e.state = 'stored' AND e.context IN ('report', 'follow-up')")
  int sequenceNewEnvelopes();

  @SqlUpdate("UPDATE reviewer_feed_lock SET next_seq = next_seq + :n WHERE id = 1")
  int advanceFeed(@Bind("n") int sequenced);

  @SqlQuery("SELECT f.seq, e.id, e.context, e.received_day, e.size_bucket, e.sha256,"
      + " (me.mailbox_id IS NOT NULL) AS has_mailbox,"
      + " me.case_id AS case_id,"
      + " COALESCE((SELECT w.served_sha256 FROM envelope_rewraps w WHERE w.envelope_id = e.id AND w.generation ="
      + "   (SELECT MAX(w2.generation) FROM envelope_rewraps w2 WHERE w2.envelope_id = e.id)), e.sha256) AS current_sha256,"
      + " (SELECT COUNT(*) FROM envelope_rewraps w3 WHERE w3.envelope_id = e.id) AS rewraps"
      + " FROM reviewer_feed f JOIN envelopes e ON e.id = f.envelope_id"
      + " LEFT JOIN mailbox_envelopes me ON me.envelope_id = e.id"
      + " WHERE f.seq > :after ORDER BY f.seq LIMIT :limit")
  List<FeedRow> feedAfter(@Bind("after") long after, @Bind("limit") int limit);

  /**
   * A listed envelope's row and, when it is stored inline (a one-chunk envelope of the group
   * commit, V48), its bytes; {@code inlineData} is null when its bytes are in envelope_chunks.
   */
  record ListedEnvelope(EnvelopeRecord record, byte[] inlineData) {}

  /**
   * The envelopes of the feed entries with {@code after < seq <= last}, with their inline
   * bytes, by seq: a page of the envelope batch in one query instead of two or more per
   * envelope. The caller bounds the bytes by choosing the range (the rows are held in memory on
   * MariaDB). The ORDER BY is also for the plan: without it H2 scans every envelope and looks
   * each up in the feed, instead of reading the seq range and each envelope by id.
   */
  @SqlQuery("SELECT e.id, e.context, e.received_day, e.size_bucket, e.chunk_count, e.sha256, e.state,"
      + " e.inline_data FROM reviewer_feed f JOIN envelopes e ON e.id = f.envelope_id"
      + " WHERE f.seq > :after AND f.seq <= :last ORDER BY f.seq")
  @RegisterRowMapper(ListedEnvelopeMapper.class)
  List<ListedEnvelope> listedEnvelopes(@Bind("after") long after, @Bind("last") long last);

  /** Maps a row of {@link #listedEnvelopes}. */
  final class ListedEnvelopeMapper implements RowMapper<ListedEnvelope> {
    private final EnvelopeDao.EnvelopeMapper envelopes = new EnvelopeDao.EnvelopeMapper();

    @Override
    public ListedEnvelope map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new ListedEnvelope(envelopes.map(rs, ctx), rs.getBytes("inline_data"));
    }
  }

  @SqlQuery("SELECT COUNT(*) FROM reviewer_feed f WHERE f.envelope_id = :id")
  int inFeed(@Bind("id") byte[] envelopeId);

  /** The mailbox a report envelope is linked to (kind report), if any. */
  @SqlQuery("SELECT mailbox_id FROM mailbox_envelopes WHERE envelope_id = :id AND kind = 'report'")
  List<byte[]> reportMailbox(@Bind("id") byte[] envelopeId);

  @SqlUpdate("INSERT INTO reviewer_nonces (nonce_hash, expires_epoch) VALUES (:hash, :expires)")
  void insertNonce(@Bind("hash") byte[] hash, @Bind("expires") long expiresEpochSecond);

  @SqlUpdate("DELETE FROM reviewer_nonces WHERE expires_epoch < :before")
  int purgeNonces(@Bind("before") long beforeEpochSecond);
}

package org.testigo.server.storage;

import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The append-only table of answered possession challenges (migration V44). */
@RegisterConstructorMapper(ChallengeDao.Row.class)
public interface ChallengeDao {
  /** One answered challenge, as stored. */
  record Row(@ColumnName("seq") long seq, @ColumnName("challenge") byte[] challenge,
      @ColumnName("answer") byte[] answer) {}

  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 4")
  int lock();

  @SqlQuery("SELECT COUNT(*) FROM possession_challenges WHERE challenge_id = :id")
  long countId(@Bind("id") byte[] challengeId);

  @SqlUpdate("INSERT INTO possession_challenges (challenge_id, reviewer_fingerprint, received_epoch_second,"
      + " challenge, answer) VALUES (:id, :reviewer, :received, :challenge, :answer)")
  void insert(@Bind("id") byte[] challengeId, @Bind("reviewer") byte[] reviewerFingerprint,
      @Bind("received") long receivedEpochSecond, @Bind("challenge") byte[] challenge, @Bind("answer") byte[] answer);

  @SqlQuery("SELECT seq FROM possession_challenges WHERE challenge_id = :id")
  long seqOf(@Bind("id") byte[] challengeId);

  @SqlQuery("SELECT seq, challenge, answer FROM possession_challenges WHERE seq > :after ORDER BY seq LIMIT :limit")
  List<Row> after(@Bind("after") long after, @Bind("limit") int limit);

  @SqlQuery("SELECT COUNT(*) FROM possession_challenges")
  long count();
}

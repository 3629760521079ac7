package org.testigo.server.log;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Rows of the transparency log (migration V20). Leaves are only ever inserted. */
public interface LogDao {
  /** Locks the counter row until the end of the transaction and returns the next index. */
  @SqlQuery("SELECT next_index FROM log_counter WHERE id = 1 FOR UPDATE")
  long lockNextIndex();

  @SqlUpdate("UPDATE log_counter SET next_index = :next WHERE id = 1")
  int setNextIndex(@Bind("next") long next);

  /** The number of committed leaves. */
  @SqlQuery("SELECT next_index FROM log_counter WHERE id = 1")
  long size();

  @SqlUpdate("INSERT INTO log_leaves (idx, leaf, leaf_hash, entry_type, object_hash, envelope_id)"
      + " VALUES (:idx, :leaf, :hash, :type, :object, :envelope)")
  void insertLeaf(@Bind("idx") long idx, @Bind("leaf") byte[] leaf, @Bind("hash") byte[] leafHash,
      @Bind("type") int type, @Bind("object") byte[] objectHash, @Bind("envelope") byte[] envelopeId);

  @SqlQuery("SELECT leaf_hash FROM log_leaves WHERE idx >= :start AND idx < :end ORDER BY idx")
  List<byte[]> leafHashes(@Bind("start") long start, @Bind("end") long end);

  @SqlQuery("SELECT leaf FROM log_leaves WHERE idx >= :start AND idx < :end ORDER BY idx")
  List<byte[]> leaves(@Bind("start") long start, @Bind("end") long end);

  @SqlQuery("SELECT MIN(idx) FROM log_leaves WHERE leaf_hash = :hash")
  Optional<Long> firstIndexOfLeafHash(@Bind("hash") byte[] leafHash);

  @SqlQuery("SELECT COUNT(*) FROM log_leaves WHERE entry_type = :type AND object_hash = :object")
  long countObject(@Bind("type") int type, @Bind("object") byte[] objectHash);

  @SqlQuery("SELECT envelope_id FROM log_leaves WHERE idx = :idx AND entry_type = :type")
  @SingleValue
  byte[] envelopeOfOrNull(@Bind("idx") long idx, @Bind("type") int type);

  @SqlQuery("SELECT idx FROM log_leaves WHERE envelope_id = :envelope")
  Optional<Long> indexOfEnvelope(@Bind("envelope") byte[] envelopeId);

  @SqlUpdate("INSERT INTO log_tree_heads (tree_size, timestamp_millis, sth) VALUES (:size, :ts, :sth)")
  void insertTreeHead(@Bind("size") long size, @Bind("ts") long timestampMillis, @Bind("sth") byte[] sth);

  @SqlQuery("SELECT COUNT(*) FROM log_tree_heads WHERE tree_size = :size AND timestamp_millis = :ts")
  long countTreeHead(@Bind("size") long size, @Bind("ts") long timestampMillis);

  @SqlQuery("SELECT sth FROM log_tree_heads ORDER BY tree_size DESC, timestamp_millis DESC LIMIT 1")
  @SingleValue
  byte[] latestTreeHeadOrNull();

  @SqlQuery("SELECT sth FROM log_tree_heads WHERE tree_size = :size ORDER BY timestamp_millis DESC LIMIT 1")
  @SingleValue
  byte[] treeHeadOrNull(@Bind("size") long size);
}

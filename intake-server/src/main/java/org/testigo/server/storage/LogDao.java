package org.testigo.server.storage;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Rows of the transparency log (migrations V20, V40). Leaves are only ever inserted; pending
 * leaves are inserted by storing transactions ({@link PendingLeafDao}) and moved into the log
 * by the sequencer.
 */
public interface LogDao {
  /** A committed leaf waiting for its index (migration V40). */
  record PendingRow(@ColumnName("id") long id, @ColumnName("leaf") byte[] leaf,
      @ColumnName("leaf_hash") byte[] leafHash, @ColumnName("entry_type") int entryType,
      @ColumnName("object_hash") byte[] objectHash, @ColumnName("envelope_id") byte[] envelopeId) {}

  /** The oldest pending leaves (by key), at most {@code limit}. */
  @SqlQuery("SELECT id, leaf, leaf_hash, entry_type, object_hash, envelope_id FROM log_pending"
      + " ORDER BY id LIMIT :limit")
  @RegisterConstructorMapper(PendingRow.class)
  List<PendingRow> pending(@Bind("limit") int limit);

  /** Whether any leaf is pending (no lock taken). */
  @SqlQuery("SELECT COUNT(*) FROM (SELECT id FROM log_pending LIMIT 1) p")
  int anyPending();

  /**
   * A leaf at its index, positional (idx, leaf, leaf_hash, entry_type, object_hash,
   * envelope_id, manifest_hash): the sequencer inserts its batch as one plain JDBC batch,
   * because JDBI's per-row binding of a record cost more CPU than the statement (SECURITY.md
   * §20). manifest_hash is the object hash of a manifest leaf and NULL for any other
   * (docs/decisions/0010-inline-chunks-and-fewer-indexes.md).
   */
  String INSERT_LEAF = "INSERT INTO log_leaves (idx, leaf, leaf_hash, entry_type, object_hash, envelope_id,"
      + " manifest_hash) VALUES (?, ?, ?, ?, ?, ?, ?)";

  @SqlUpdate("DELETE FROM log_pending WHERE id IN (<ids>)")
  int deletePending(@BindList("ids") List<Long> ids);

  @SqlQuery("SELECT COUNT(*) FROM log_pending WHERE envelope_id = :envelope")
  int countPendingEnvelope(@Bind("envelope") byte[] envelopeId);

  @SqlQuery("SELECT COUNT(*) FROM log_pending WHERE entry_type = :type AND object_hash = :object")
  long countPendingObject(@Bind("type") int type, @Bind("object") byte[] objectHash);

  /** Advances the counter from {@code expected} to {@code next}; 1 if it still was {@code expected}. */
  @SqlUpdate("UPDATE log_counter SET next_index = :next WHERE id = 1 AND next_index = :expected")
  int advanceNextIndex(@Bind("expected") long expected, @Bind("next") long next);

  /** Locks the counter row until the end of the transaction and returns the next index. */
  @SqlQuery("SELECT next_index FROM log_counter WHERE id = 1 FOR UPDATE")
  long lockNextIndex();

  @SqlUpdate("UPDATE log_counter SET next_index = :next WHERE id = 1")
  int setNextIndex(@Bind("next") long next);

  /** The number of committed leaves. */
  @SqlQuery("SELECT next_index FROM log_counter WHERE id = 1")
  long size();

  @SqlQuery("SELECT leaf_hash FROM log_leaves WHERE idx >= :start AND idx < :end ORDER BY idx")
  List<byte[]> leafHashes(@Bind("start") long start, @Bind("end") long end);

  @SqlQuery("SELECT leaf FROM log_leaves WHERE idx >= :start AND idx < :end ORDER BY idx")
  List<byte[]> leaves(@Bind("start") long start, @Bind("end") long end);

  @SqlQuery("SELECT MIN(idx) FROM log_leaves WHERE leaf_hash = :hash")
  Optional<Long> firstIndexOfLeafHash(@Bind("hash") byte[] leafHash);

  /** Sequenced manifest leaves with this object hash (the manifest's hash). */
  @SqlQuery("SELECT COUNT(*) FROM log_leaves WHERE manifest_hash = :hash")
  long countManifest(@Bind("hash") byte[] manifestHash);

  @SqlQuery("SELECT envelope_id FROM log_leaves WHERE idx = :idx AND entry_type = :type")
  @SingleValue
  byte[] envelopeOfOrNull(@Bind("idx") long idx, @Bind("type") int type);

  /** The index of an envelope's leaf, found by the leaf's hash (indexed), then its envelope. */
  @SqlQuery("SELECT idx FROM log_leaves WHERE leaf_hash = :hash AND envelope_id = :envelope")
  Optional<Long> indexOfEnvelopeLeaf(@Bind("hash") byte[] leafHash, @Bind("envelope") byte[] envelopeId);

  /** The tree-head signer row (migration V31). */
  record SignerRow(@ColumnName("last_size") long lastSize,
      @ColumnName("last_timestamp_millis") long lastTimestampMillis) {}

  /** Locks the signer row until the end of the transaction; the last head stored. */
  @SqlQuery("SELECT last_size, last_timestamp_millis FROM log_signer WHERE id = 1 FOR UPDATE")
  @RegisterConstructorMapper(SignerRow.class)
  SignerRow lockSigner();

  @SqlUpdate("UPDATE log_signer SET last_size = :size, last_timestamp_millis = :ts WHERE id = 1")
  int recordSigned(@Bind("size") long size, @Bind("ts") long timestampMillis);

  @SqlUpdate("UPDATE log_signer SET holder = :holder, lease_until_millis = :until WHERE id = 1"
      + " AND (holder IS NULL OR holder = :holder OR lease_until_millis < :now)")
  int takeLease(@Bind("holder") byte[] holder, @Bind("now") long nowMillis, @Bind("until") long untilMillis);

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

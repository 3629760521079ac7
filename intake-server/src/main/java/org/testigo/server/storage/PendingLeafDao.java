package org.testigo.server.storage;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The one write a storing transaction makes to the log (migration V40): a pending leaf. Kept
 * apart from {@link LogDao} because JDBI makes a handler for every method of an interface at
 * each {@code Handle.attach}, and this runs once per envelope stored alone.
 */
public interface PendingLeafDao {
  @SqlUpdate("INSERT INTO log_pending (leaf, leaf_hash, entry_type, object_hash, envelope_id)"
      + " VALUES (:leaf, :hash, :type, :object, :envelope)")
  void insertPending(@Bind("leaf") byte[] leaf, @Bind("hash") byte[] leafHash, @Bind("type") int type,
      @Bind("object") byte[] objectHash, @Bind("envelope") byte[] envelopeId);

  /** The same insert with positional parameters, for the group commit's JDBC batch. */
  String BATCH_INSERT = "INSERT INTO log_pending (leaf, leaf_hash, entry_type, object_hash, envelope_id)"
      + " VALUES (?, ?, ?, ?, ?)";
}

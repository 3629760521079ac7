package org.testigo.server.storage;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The append-only table of signed case events and their sealed contents. */
@RegisterConstructorMapper(CaseEventDao.Row.class)
public interface CaseEventDao {
  /** One stored event. */
  record Row(@ColumnName("seq") long seq, @ColumnName("event_id") byte[] eventId,
      @ColumnName("case_id") byte[] caseId, @ColumnName("author_fingerprint") byte[] authorFingerprint,
      @ColumnName("received_epoch_second") long receivedEpochSecond,
      @ColumnName("event_bytes") byte[] eventBytes, @ColumnName("content") byte[] content) {}

  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 2")
  int lock();

  @SqlUpdate("INSERT INTO case_events (event_id, case_id, author_fingerprint, received_epoch_second,"
      + " event_size, content_size, event_bytes, content) VALUES (:eventId, :caseId, :author, :received,"
      + " :eventSize, :contentSize, :event, :content)")
  void insert(@Bind("eventId") byte[] eventId, @Bind("caseId") byte[] caseId, @Bind("author") byte[] author,
      @Bind("received") long receivedEpochSecond, @Bind("eventSize") int eventSize,
      @Bind("contentSize") int contentSize, @Bind("event") byte[] event, @Bind("content") byte[] content);

  @SqlQuery("SELECT seq FROM case_events WHERE event_id = :eventId")
  Optional<Long> seqOf(@Bind("eventId") byte[] eventId);

  @SqlQuery("SELECT seq, event_id, case_id, author_fingerprint, received_epoch_second, event_bytes, content"
      + " FROM case_events WHERE seq > :after ORDER BY seq LIMIT :limit")
  List<Row> after(@Bind("after") long after, @Bind("limit") int limit);

  /** One stored event without its content: what an auditor may read (docs/spec/merkle-log-and-proofs.md §5.1). */
  record SignedRow(@ColumnName("seq") long seq, @ColumnName("event_bytes") byte[] eventBytes) {}

  @SqlQuery("SELECT seq, event_bytes FROM case_events WHERE seq > :after ORDER BY seq LIMIT :limit")
  @RegisterConstructorMapper(SignedRow.class)
  List<SignedRow> signedAfter(@Bind("after") long after, @Bind("limit") int limit);

  @SqlQuery("SELECT COUNT(*) FROM case_events")
  long count();
}

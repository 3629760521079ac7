package org.testigo.server.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Rewrapped headers ({@code envelope_rewraps}, V41). Append-only: rows are inserted under
 * lock row 3 of {@code reviewer_feed_lock} and never updated or deleted.
 */
@RegisterConstructorMapper(RewrapDao.Row.class)
public interface RewrapDao {
  /** One rewrap of an envelope: generation 1 replaces the original header, n+1 replaces n. */
  record Row(@ColumnName("seq") long seq, @ColumnName("envelope_id") byte[] envelopeId,
      @ColumnName("generation") int generation, @ColumnName("header") byte[] header,
      @ColumnName("header_sha256") byte[] headerSha256,
      @ColumnName("previous_header_sha256") byte[] previousHeaderSha256,
      @ColumnName("served_sha256") byte[] servedSha256, @ColumnName("object_hash") byte[] objectHash,
      @ColumnName("signer_fingerprint") byte[] signerFingerprint,
      @ColumnName("received_day") LocalDate receivedDay) {}

  String COLUMNS = "seq, envelope_id, generation, header, header_sha256, previous_header_sha256,"
      + " served_sha256, object_hash, signer_fingerprint, received_day";

  /** Takes the rewrap lock (a row lock held to commit; a write conflict under Galera). */
  @SqlUpdate("UPDATE reviewer_feed_lock SET generation = generation + 1 WHERE id = 3")
  int lock();

  @SqlQuery("SELECT next_seq FROM reviewer_feed_lock WHERE id = 3")
  long nextSeq();

  @SqlUpdate("UPDATE reviewer_feed_lock SET next_seq = next_seq + 1 WHERE id = 3")
  int advance();

  @SqlUpdate("INSERT INTO envelope_rewraps (" + COLUMNS + ") VALUES (:seq, :envelope, :generation, :header,"
      + " :headerSha, :previousSha, :servedSha, :objectHash, :signer, :day)")
  void insert(@Bind("seq") long seq, @Bind("envelope") byte[] envelopeId, @Bind("generation") int generation,
      @Bind("header") byte[] header, @Bind("headerSha") byte[] headerSha256,
      @Bind("previousSha") byte[] previousHeaderSha256, @Bind("servedSha") byte[] servedSha256,
      @Bind("objectHash") byte[] objectHash, @Bind("signer") byte[] signerFingerprint,
      @Bind("day") LocalDate day);

  /** The newest rewrap of an envelope, if any. */
  @SqlQuery("SELECT " + COLUMNS + " FROM envelope_rewraps WHERE envelope_id = :id"
      + " ORDER BY generation DESC LIMIT 1")
  Optional<Row> latest(@Bind("id") byte[] envelopeId);

  /** The rewrap of an envelope to exactly this header, if one was stored. */
  @SqlQuery("SELECT " + COLUMNS + " FROM envelope_rewraps WHERE envelope_id = :id AND header_sha256 = :sha"
      + " ORDER BY generation DESC LIMIT 1")
  Optional<Row> withHeader(@Bind("id") byte[] envelopeId, @Bind("sha") byte[] headerSha256);

  @SqlQuery("SELECT header FROM envelope_rewraps WHERE envelope_id = :id AND generation = :generation")
  @SingleValue
  byte[] headerOrNull(@Bind("id") byte[] envelopeId, @Bind("generation") int generation);

  @SqlQuery("SELECT " + COLUMNS + " FROM envelope_rewraps WHERE object_hash = :hash")
  Optional<Row> byObjectHash(@Bind("hash") byte[] objectHash);

  @SqlQuery("SELECT " + COLUMNS + " FROM envelope_rewraps WHERE seq > :after ORDER BY seq LIMIT :limit")
  List<Row> after(@Bind("after") long after, @Bind("limit") int limit);

  @SqlQuery("SELECT COUNT(*) FROM envelope_rewraps")
  long count();
}

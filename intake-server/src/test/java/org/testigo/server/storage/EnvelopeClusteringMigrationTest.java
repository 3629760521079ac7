package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V50 (docs/decisions/0011-envelopes-clustered-by-arrival.md) on a database that already holds envelopes, chunks and a
 * reviewer feed: nothing is lost or changed, the primary key is the arrival sequence, the
 * random id stays unique, and the five foreign keys to it still hold, cascades included.
 * On H2 and the real MariaDB, each from an empty database migrated to V49 first.
 */
class EnvelopeClusteringMigrationTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @ValueSource(strings = {"H2", "MariaDB"})
  void envelopesKeepTheirRowsAndLinksAndAreClusteredByArrival(String kind) throws Exception {
    try (EmptyDatabase db = new EmptyDatabase(kind).migrateTo("49");
        Connection c = db.dataSource.getConnection()) {
      List<byte[]> ids = List.of(random(16), random(16), random(16));
      byte[] chunk = random(1000);
      for (byte[] id : ids) {
        insertEnvelope(c, id);
      }
      execute(c, "INSERT INTO envelope_chunks (envelope_id, idx, data) VALUES (?, 0, ?)", ids.get(0), chunk);
      execute(c, "INSERT INTO reviewer_feed (envelope_id) VALUES (?)", ids.get(0));

      assertThat(Migrations.migrate(db.dataSource)).as("V50 and later").isGreaterThanOrEqualTo(1);

      assertThat(primaryKey(c)).containsExactly("seq");
      List<Long> before = new ArrayList<>();
      for (byte[] id : ids) {
        before.add(seqOf(c, id));
      }
      assertThat(before).doesNotContainNull().doesNotHaveDuplicates();
      byte[] later = random(16);
      insertEnvelope(c, later);
      long highest = before.stream().mapToLong(x -> x).max().getAsLong();
      assertThat(seqOf(c, later)).as("a new envelope is appended").isGreaterThan(highest);
      try (PreparedStatement ps = c.prepareStatement("SELECT data FROM envelope_chunks WHERE envelope_id = ?")) {
        ps.setBytes(1, ids.get(0));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getBytes(1)).isEqualTo(chunk);
        }
      }

      assertThatThrownBy(() -> insertEnvelope(c, ids.get(1))).as("the id is still unique")
          .isInstanceOf(SQLException.class).matches(e -> ((SQLException) e).getSQLState().startsWith("23"));
      assertThatThrownBy(() -> execute(c, "INSERT INTO envelope_chunks (envelope_id, idx, data) VALUES (?, 0, ?)",
          random(16), chunk)).as("chunks need their envelope")
          .isInstanceOf(SQLException.class).matches(e -> ((SQLException) e).getSQLState().startsWith("23"));
      // case_events_case, added back by V50, is dropped by V51: an erased case's signed events outlive its report;
      // mailbox_envelopes_case (V52): a follow-up or reply names a report that exists
      assertThat(foreignKeysTo(c)).containsExactlyInAnyOrder("chunks_envelope", "mailbox_envelopes_envelope",
          "reviewer_feed_envelope", "envelope_rewraps_envelope", "mailbox_envelopes_case");

      execute(c, "DELETE FROM envelopes WHERE id = ?", ids.get(0));
      assertThat(count(c, "SELECT COUNT(*) FROM envelope_chunks")).as("chunks cascade").isZero();
      assertThat(count(c, "SELECT COUNT(*) FROM reviewer_feed")).as("the feed cascades").isZero();
      assertThat(count(c, "SELECT COUNT(*) FROM envelopes")).isEqualTo(3);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void insertEnvelope(Connection c, byte[] id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO envelopes (id, context, received_day, size_bucket,"
        + " chunk_count, sha256, state) VALUES (?, 'testigo/v1/report', ?, 16384, 1, ?, 'stored')")) {
      ps.setBytes(1, id);
      ps.setObject(2, LocalDate.of(2026, 11, 29));
      ps.setBytes(3, random(32));
      ps.executeUpdate();
    }
  }

  private static void execute(Connection c, String sql, byte[]... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setBytes(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  private static long seqOf(Connection c, byte[] id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM envelopes WHERE id = ?")) {
      ps.setBytes(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> primaryKey(Connection c) throws SQLException {
    return names(c.getMetaData().getPrimaryKeys(c.getCatalog(), null, "envelopes"), "COLUMN_NAME");
  }

  private static List<String> foreignKeysTo(Connection c) throws SQLException {
    return names(c.getMetaData().getExportedKeys(c.getCatalog(), null, "envelopes"), "FK_NAME");
  }

  /** One column of a metadata result, lower case; closes the result. */
  private static List<String> names(ResultSet rs, String column) throws SQLException {
    List<String> names = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        names.add(rs.getString(column).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}

package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * Migrations V45 to V49 (docs/decisions/0008-group-commit.md) on a log that already has leaves: V46 copies the
 * object hash of manifest leaves, and only of them, into manifest_hash, and the lookup
 * indexes are the new ones (none by day on envelopes, none by envelope on log leaves). On H2
 * and the real MariaDB, each from an empty database migrated to V44 first.
 */
class LookupIndexMigrationTest {
  private static final int MANIFEST = LogLeaf.EntryType.MANIFEST.code();

  @ParameterizedTest
  @ValueSource(strings = {"H2", "MariaDB"})
  void existingManifestLeavesGetTheirLookupHashAndOtherLeavesDoNot(String kind) throws Exception {
    try (EmptyDatabase db = new EmptyDatabase(kind).migrateTo("44")) {
      DataSource ds = db.dataSource;
      byte[] manifestHash = filled(1);
      byte[] reportHash = filled(2);
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO log_leaves (idx, leaf, leaf_hash, entry_type,"
              + " object_hash, envelope_id) VALUES (?, ?, ?, ?, ?, NULL)")) {
        insert(ps, 0, MANIFEST, manifestHash);
        insert(ps, 1, LogLeaf.EntryType.SUBMISSION.code(), reportHash);
      }
      assertThat(Migrations.migrate(ds)).as("V45 and later").isGreaterThanOrEqualTo(3);
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT idx, manifest_hash FROM log_leaves ORDER BY idx")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(2)).isEqualTo(manifestHash);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(2)).as("not a manifest: no lookup hash").isNull();
      }
      List<String> indexes = indexes(ds);
      assertThat(indexes).contains("log_leaves_by_manifest_hash", "log_leaves_by_leaf_hash")
          .doesNotContain("log_leaves_by_object_hash", "log_leaves_by_envelope", "log_pending_by_envelope",
              "log_pending_by_object_hash");
      assertThat(indexes(ds, "envelopes")).doesNotContain("envelopes_by_day");
    }
  }

  private static byte[] filled(int b) {
    byte[] x = new byte[32];
    Arrays.fill(x, (byte) b);
    return x;
  }

  private static void insert(PreparedStatement ps, long idx, int type, byte[] objectHash) throws Exception {
    ps.setLong(1, idx);
    ps.setBytes(2, new byte[38]);
    ps.setBytes(3, filled((int) idx + 10));
    ps.setInt(4, type);
    ps.setBytes(5, objectHash);
    ps.executeUpdate();
  }

  private static List<String> indexes(DataSource ds, String... tables) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      for (String table : tables.length > 0 ? List.of(tables) : List.of("log_leaves", "log_pending")) {
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
          while (rs.next()) {
            if (rs.getString("INDEX_NAME") != null) {
              names.add(rs.getString("INDEX_NAME").toLowerCase(java.util.Locale.ROOT));
            }
          }
        }
      }
    }
    return names;
  }
}

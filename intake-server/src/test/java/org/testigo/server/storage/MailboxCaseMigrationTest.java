package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V52 (docs/decisions/0029-follow-ups-keep-the-case-they-were-filed-under.md) on a
 * database that already holds a receipt used for two reports, with a follow-up and a reply:
 * each follow-up and reply keeps the case reviewers were shown before (the smallest report id of
 * its mailbox, the rule until V51), a report has no case of its own in the column, a link to
 * another mailbox is untouched, and afterwards a link cannot name a report that does not exist.
 * On H2 and the real MariaDB, each from an empty database migrated to V51 first.
 */
class MailboxCaseMigrationTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @ValueSource(strings = {"H2", "MariaDB"})
  void followUpsAndRepliesKeepTheCaseTheyWereListedWith(String kind) throws Exception {
    try (EmptyDatabase db = new EmptyDatabase(kind).migrateTo("51");
        Connection c = db.dataSource.getConnection()) {
      byte[] mailbox = random(32);
      byte[] other = random(32);
      for (byte[] m : new byte[][] {mailbox, other}) {
        execute(c, "INSERT INTO mailboxes (id, reply_public_key, created_day) VALUES (?, ?, DATE '2026-11-29')", m,
            random(1216));
      }
      byte[] first = random(16);
      byte[] second = random(16);
      first[0] = 0x7f; // the smaller id, whatever order they came in
      second[0] = (byte) 0x80;
      byte[] followUp = random(16);
      byte[] reply = random(16);
      byte[] alone = random(16);
      byte[] aloneFollowUp = random(16);
      link(c, second, "report", mailbox);
      link(c, first, "report", mailbox);
      link(c, followUp, "follow-up", mailbox);
      link(c, reply, "reply", mailbox);
      link(c, alone, "report", other);
      link(c, aloneFollowUp, "follow-up", other);

      assertThat(Migrations.migrate(db.dataSource)).as("V52").isGreaterThanOrEqualTo(1);

      assertThat(caseOf(c, followUp)).isEqualTo(first);
      assertThat(caseOf(c, reply)).isEqualTo(first);
      assertThat(caseOf(c, aloneFollowUp)).isEqualTo(alone);
      assertThat(caseOf(c, first)).isNull();
      assertThat(caseOf(c, second)).isNull();
      byte[] nowhere = random(16);
      byte[] stray = random(16);
      insertEnvelope(c, stray, "follow-up");
      assertThatThrownBy(() -> execute(c, "INSERT INTO mailbox_envelopes (envelope_id, mailbox_id, kind, case_id)"
          + " VALUES (?, ?, 'follow-up', ?)", stray, mailbox, nowhere)).as("a case that does not exist: "
          + HexFormat.of().formatHex(nowhere)).isInstanceOf(SQLException.class)
          .matches(e -> ((SQLException) e).getSQLState().startsWith("23"));
    }
  }

  private static void link(Connection c, byte[] id, String kind, byte[] mailbox) throws SQLException {
    insertEnvelope(c, id, kind);
    execute(c, "INSERT INTO mailbox_envelopes (envelope_id, mailbox_id, kind) VALUES (?, ?, '" + kind + "')", id,
        mailbox);
  }

  private static void insertEnvelope(Connection c, byte[] id, String kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO envelopes (id, context, received_day, size_bucket,"
        + " chunk_count, sha256, state) VALUES (?, ?, ?, 16384, 1, ?, 'stored')")) {
      ps.setBytes(1, id);
      ps.setString(2, "testigo/v1/" + kind);
      ps.setObject(3, LocalDate.of(2026, 11, 29));
      ps.setBytes(4, random(32));
      ps.executeUpdate();
    }
  }

  private static byte[] caseOf(Connection c, byte[] id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT case_id FROM mailbox_envelopes WHERE envelope_id = ?")) {
      ps.setBytes(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        byte[] b = rs.getBytes(1);
        return b == null ? null : Arrays.copyOf(b, b.length);
      }
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

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}

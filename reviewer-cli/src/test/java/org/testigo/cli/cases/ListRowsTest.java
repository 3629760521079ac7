package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code list}'s hand-padded rows are exactly what its former printf formats produced. */
class ListRowsTest {
  static final String ROW = "%-12s  %-10s  %-6s  %-4s  %-3s  %-3s  %-24s  %-5s  %-20s  %5s  %3s  %-13s  %-12s%s%n";
  static final String MALFORMED = "%-12s  %-10s  %-53s  %-13s  %-12s%s  %s%n";

  @Test
  void rowsMatchTheFormats() {
    List<String[]> cases = List.of(
        new String[] {"ID", "RECEIVED", "PRIO", "LANG", "MIN", "RPL", "CATEGORY", "STATE", "AGENCY", "FILES", "F/U",
            "STATUS", "ASSIGNEE", ""},
        new String[] {"0123456789ab", "2026-12-06", "normal", "es", "yes", "yes", "extortion,robbery", "CHP", "inm", "1",
            "0", "new", "-", ""},
        new String[] {"0123456789ab", "2026-12-06", "urgent", "ht", "?", "", "x".repeat(23) + "…", "",
            "policía,guardia nacional,", "12345", "1000", "investigating", "maría", "  OVERDUE"},
        new String[] {"", "", "", "", "", "", "", "", "", "", "", "", "", ""});
    for (String[] c : cases) {
      StringBuilder b = new StringBuilder();
      ListCommand.row(b, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13]);
      assertThat(b.toString()).isEqualTo(String.format(ROW, (Object[]) c));
    }
    StringBuilder b = new StringBuilder();
    ListCommand.malformedRow(b, "0123456789ab", "2026-12-06", "NOT A VALID REPORT (226624 bytes)", "new", "-",
        "  OVERDUE", "3001 parts, more than 100");
    ListCommand.malformedRow(b, "0123456789ab", "2026-12-06", "NOT A VALID REPORT (1 bytes)", "closed",
        "a-very-long-alias", "", "");
    assertThat(b.toString()).isEqualTo(String.format(MALFORMED, "0123456789ab", "2026-12-06",
        "NOT A VALID REPORT (226624 bytes)", "new", "-", "  OVERDUE", "3001 parts, more than 100")
        + String.format(MALFORMED, "0123456789ab", "2026-12-06", "NOT A VALID REPORT (1 bytes)", "closed",
            "a-very-long-alias", "", ""));
  }

  /** The one-number key of "newest first" orders exactly as (received day, feed sequence). */
  @org.junit.jupiter.api.Test
  void arrivalKeyOrdersAsDayThenSequence() {
    java.util.Random random = new java.util.Random(7);
    long[] days = {-800_000, -1, 0, 1, 20_000, 20_001, 2_900_000, 5_000_000};
    long[] seqs = {0, 1, 2, 99_999, (1L << 40) - 2, (1L << 40) - 1};
    for (int i = 0; i < 20_000; i++) {
      long d1 = i < 100 ? days[i % days.length] : days[random.nextInt(days.length)] + random.nextInt(3);
      long d2 = days[random.nextInt(days.length)] + random.nextInt(3);
      long s1 = random.nextBoolean() ? seqs[random.nextInt(seqs.length)] : random.nextInt(1_000_000);
      long s2 = random.nextBoolean() ? seqs[random.nextInt(seqs.length)] : random.nextInt(1_000_000);
      long c1 = Math.max(-(1L << 22), Math.min(1L << 22, d1));
      long c2 = Math.max(-(1L << 22), Math.min(1L << 22, d2));
      int expected = c1 != c2 ? Long.compare(c1, c2) : Long.compare(s1, s2);
      assertThat(Integer.signum(Long.compare(ListCommand.arrivalKey(d1, s1), ListCommand.arrivalKey(d2, s2))))
          .as("(%d, %d) vs (%d, %d)", d1, s1, d2, s2).isEqualTo(Integer.signum(expected));
    }
    // no feed sequence (Long.MAX_VALUE in the index) ranks last-arrived within its day
    assertThat(ListCommand.arrivalKey(20_000, Long.MAX_VALUE)).isGreaterThan(ListCommand.arrivalKey(20_000, 5))
        .isLessThan(ListCommand.arrivalKey(20_001, 0));
  }
}

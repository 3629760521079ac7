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
}

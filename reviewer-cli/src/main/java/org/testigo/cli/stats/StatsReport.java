package org.testigo.cli.stats;

import java.time.YearMonth;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The result of a statistics run: what may be published. Every table has been through
 * disclosure control; dates appear only as months; every code is enumerated.
 */
public record StatsReport(int minCell, YearMonth from, YearMonth to, YearMonth asOf,
    List<Table> tables) {
  /** Format version of the CSV and JSON files. */
  public static final int FORMAT_VERSION = 1;

  public StatsReport {
    tables = List.copyOf(tables);
  }

  /** The table with this id. */
  public Table table(String id) {
    return tables.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no table " + id));
  }
}

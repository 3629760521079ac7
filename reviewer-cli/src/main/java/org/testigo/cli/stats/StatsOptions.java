package org.testigo.cli.stats;

import java.time.LocalDate;
import java.time.YearMonth;
import org.testigo.cli.cases.Deadlines;

/**
 * Parameters of one statistics run. Cases received in the months {@code from}..{@code to}
 * (inclusive; null {@code from} means the earliest month with a report, null {@code to} the
 * last month complete on {@code asOf}) are counted; milestones after {@code asOf} are
 * ignored, so a run can be repeated as of an earlier day. Cells below {@code minCell} are
 * suppressed.
 */
public record StatsOptions(int minCell, YearMonth from, YearMonth to, LocalDate asOf,
    Deadlines deadlines) {
  /** The default threshold: no published count is between 1 and 4. */
  public static final int DEFAULT_MIN_CELL = 5;

  public StatsOptions {
    if (minCell < 1) {
      throw new IllegalArgumentException("the minimum cell size is at least 1");
    }
    if (asOf == null || deadlines == null) {
      throw new IllegalArgumentException("asOf and deadlines are required");
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("the first month is after the last");
    }
  }

  /** Defaults: threshold 5, every complete month up to {@code asOf}, deadlines 7 days and
   * 3 months. */
  public static StatsOptions defaults(LocalDate asOf) {
    return new StatsOptions(DEFAULT_MIN_CELL, null, null, asOf, Deadlines.DEFAULT);
  }
}

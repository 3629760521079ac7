package org.testigo.cli.stats;

import java.math.BigDecimal;

/**
 * One published cell. {@code row} and {@code column} are codes (enumerated codes, months
 * {@code yyyy-MM}, or fixed names such as {@code total}); {@code value} is null exactly when
 * the cell is suppressed, so a suppressed count never travels past the engine.
 */
public record Cell(String row, String column, BigDecimal value, boolean suppressed) {
  /** How a suppressed value is printed in CSV, JSON ({@code display}) and HTML. */
  public static final String SUPPRESSED_MARK = "x";

  public Cell {
    if (row == null || column == null || (value == null) != suppressed) {
      throw new IllegalArgumentException("a cell has a row, a column, and a value unless"
          + " suppressed");
    }
  }

  static Cell of(String row, String column, long value, boolean suppressed) {
    return new Cell(row, column, suppressed ? null : BigDecimal.valueOf(value), suppressed);
  }

  /** The value as printed: the plain number, or {@link #SUPPRESSED_MARK}. */
  public String display() {
    return suppressed ? SUPPRESSED_MARK : value.toPlainString();
  }
}

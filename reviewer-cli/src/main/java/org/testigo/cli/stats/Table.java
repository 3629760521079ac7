package org.testigo.cli.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A published table: an id, the dimension of its rows and columns, row and column codes in
 * publication order, and its cells (row-major; the {@code total} row and column last). Built
 * only by the factories here, which apply {@link Suppression}: a table never holds the value
 * of a suppressed cell.
 */
public final class Table {
  /** Row or column code of totals. */
  public static final String TOTAL = "total";
  /** Column code of one-dimensional tables of counts. */
  public static final String COUNT = "count";

  private final String id;
  private final String rowDimension;
  private final String columnDimension;
  private final List<String> rows;
  private final List<String> columns;
  private final List<Cell> cells;

  Table(String id, String rowDimension, String columnDimension, List<String> rows,
      List<String> columns, List<Cell> cells) {
    this.id = id;
    this.rowDimension = rowDimension;
    this.columnDimension = columnDimension;
    this.rows = List.copyOf(rows);
    this.columns = List.copyOf(columns);
    this.cells = List.copyOf(cells);
  }

  /**
   * A two-way table of counts with row totals, column totals and the grand total, all of them
   * published (unless suppressed), with complementary suppression along rows and columns.
   */
  static Table grid(String id, String rowDimension, List<String> rowCodes,
      String columnDimension, List<String> columnCodes, long[][] counts, int minCell) {
    int nr = rowCodes.size();
    int nc = columnCodes.size();
    int width = nc + 1;
    long[] v = new long[(nr + 1) * width];
    for (int r = 0; r < nr; r++) {
      for (int c = 0; c < nc; c++) {
        long x = counts[r][c];
        v[r * width + c] = x;
        v[r * width + nc] += x;
        v[nr * width + c] += x;
        v[nr * width + nc] += x;
      }
    }
    boolean[] hidden = Suppression.apply(v, Suppression.gridRelations(nr, nc, true), minCell);
    List<String> rows = new ArrayList<>(rowCodes);
    rows.add(TOTAL);
    List<String> cols = new ArrayList<>(columnCodes);
    cols.add(TOTAL);
    List<Cell> cells = new ArrayList<>();
    for (int r = 0; r <= nr; r++) {
      for (int c = 0; c <= nc; c++) {
        int i = r * width + c;
        cells.add(Cell.of(rows.get(r), cols.get(c), v[i], hidden[i]));
      }
    }
    return new Table(id, rowDimension, columnDimension, rows, cols, cells);
  }

  /**
   * A one-way table of counts (column {@code count}) with a {@code total} row that is their
   * sum, with complementary suppression along the column.
   */
  static Table list(String id, String rowDimension, List<String> rowCodes, long[] counts,
      int minCell) {
    int nr = counts.length;
    long[] v = new long[(nr + 1) * 2];
    for (int r = 0; r < nr; r++) {
      v[r * 2] = counts[r];
      v[nr * 2] += counts[r];
    }
    boolean[] hidden = Suppression.apply(v, Suppression.gridRelations(nr, 1, false), minCell);
    List<String> rows = new ArrayList<>(rowCodes);
    rows.add(TOTAL);
    List<Cell> cells = new ArrayList<>();
    for (int r = 0; r <= nr; r++) {
      cells.add(Cell.of(rows.get(r), COUNT, v[r * 2], hidden[r * 2]));
    }
    return new Table(id, rowDimension, "measure", rows, List.of(COUNT), cells);
  }

  public String id() {
    return id;
  }

  public String rowDimension() {
    return rowDimension;
  }

  public String columnDimension() {
    return columnDimension;
  }

  public List<String> rows() {
    return rows;
  }

  public List<String> columns() {
    return columns;
  }

  public List<Cell> cells() {
    return cells;
  }

  /** The cell at (row, column), if the table has it. */
  public Optional<Cell> cell(String row, String column) {
    return cells.stream().filter(c -> c.row().equals(row) && c.column().equals(column))
        .findFirst();
  }

  /** The published value at (row, column); empty when suppressed or absent. */
  public Optional<BigDecimal> value(String row, String column) {
    return cell(row, column).map(Cell::value);
  }
}

package org.testigo.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuppressionTest {

  @Test
  void primary_hidesCountsBetweenOneAndBelowThresholdButNotZeros() {
    boolean[] h = Suppression.apply(new long[] {0, 1, 4, 5, 100}, List.of(), 5);
    assertThat(h).containsExactly(false, true, true, false, false);
  }

  @Test
  void list_withOneSmallCell_alsoHidesTheNextSmallestNonZeroCell() {
    Table t = Table.list("t", "d", List.of("a", "b", "c", "d"), new long[] {20, 2, 0, 9}, 5);
    assertThat(hidden(t)).containsExactly("b", "d");
    assertThat(t.value(Table.TOTAL, Table.COUNT)).hasValueSatisfying(
        v -> assertThat(v.longValue()).isEqualTo(31));
  }

  @Test
  void list_whoseHiddenPartsAddUpBelowThreshold_hidesAnotherCell() {
    Table t = Table.list("t", "d", List.of("a", "b", "c", "d"), new long[] {1, 2, 30, 8}, 5);
    assertThat(hidden(t)).containsExactly("a", "b", "d");
  }

  @Test
  void list_withOnlyOneNonZeroCellThatIsSmall_hidesTheTotalToo() {
    Table t = Table.list("t", "d", List.of("a", "b"), new long[] {3, 0}, 5);
    assertThat(hidden(t)).containsExactly("a", Table.TOTAL);
  }

  @Test
  void grid_hidesTheRowTotalWhenTheOnlyNonZeroCellOfARowWasHiddenForItsColumn() {
    // Row y has a single non-zero cell (6); column 0 needs a second hidden cell and 6 is the
    // smallest there, so y's total alone would reveal it: the total must go too.
    long[][] counts = {{2, 10}, {6, 0}, {9, 30}};
    Table t = Table.grid("t", "r", List.of("x", "y", "z"), "c", List.of("c0", "c1"), counts, 5);
    assertThat(t.cell("x", "c0").orElseThrow().suppressed()).isTrue();
    assertThat(t.cell("y", "c0").orElseThrow().suppressed()).isTrue();
    assertThat(t.cell("y", Table.TOTAL).orElseThrow().suppressed()).isTrue();
    assertSafe(t, 5);
  }

  @Test
  void grid_randomTables_neverLeaveAHiddenCellAloneInARelationOrASmallHiddenSum() {
    Random rnd = new Random(42);
    for (int round = 0; round < 500; round++) {
      int rows = 1 + rnd.nextInt(6);
      int cols = 1 + rnd.nextInt(6);
      long[][] counts = new long[rows][cols];
      for (long[] row : counts) {
        for (int c = 0; c < cols; c++) {
          int kind = rnd.nextInt(4);
          row[c] = kind == 0 ? 0 : kind == 1 ? 1 + rnd.nextInt(4) : rnd.nextInt(40);
        }
      }
      List<String> r = java.util.stream.IntStream.range(0, rows).mapToObj(i -> "r" + i).toList();
      List<String> c = java.util.stream.IntStream.range(0, cols).mapToObj(i -> "c" + i).toList();
      assertSafe(Table.grid("t", "r", r, "c", c, counts, 5), 5);
      assertHiddenPartsOfPublishedTotalsAreNotSmall(counts, 5);
    }
  }

  private static void assertHiddenPartsOfPublishedTotalsAreNotSmall(long[][] counts, int k) {
    int rows = counts.length;
    int cols = counts[0].length;
    long[] v = new long[(rows + 1) * (cols + 1)];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r * (cols + 1) + c] = counts[r][c];
        v[r * (cols + 1) + cols] += counts[r][c];
        v[rows * (cols + 1) + c] += counts[r][c];
        v[rows * (cols + 1) + cols] += counts[r][c];
      }
    }
    List<Suppression.Relation> relations = Suppression.gridRelations(rows, cols, true);
    boolean[] h = Suppression.apply(v, relations, k);
    for (Suppression.Relation rel : relations) {
      long sum = 0;
      for (int p : rel.parts()) {
        sum += h[p] ? v[p] : 0;
      }
      if (!h[rel.whole()]) {
        assertThat(sum).matches(x -> x == 0 || x >= k, "hidden parts sum " + sum);
      }
    }
  }

  @Test
  void apply_refusesAThresholdBelowOne() {
    assertThatThrownBy(() -> Suppression.apply(new long[] {1}, List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** No published value in 1..k-1; in every row and column (with its total) either nothing
   * is hidden, or at least two members are, and hidden parts of a published total sum to 0
   * or at least k. Needs the true values: recomputes them from the unsuppressed grid. */
  static void assertSafe(Table t, int k) {
    for (Cell c : t.cells()) {
      if (!c.suppressed()) {
        assertThat(c.value().longValue()).as("published %s/%s", c.row(), c.column())
            .matches(v -> v == 0 || v >= k);
      }
    }
    for (String row : t.rows()) {
      assertRelation(t.cells().stream().filter(c -> c.row().equals(row)).toList());
    }
    for (String col : t.columns()) {
      assertRelation(t.cells().stream().filter(c -> c.column().equals(col)).toList());
    }
  }

  private static void assertRelation(List<Cell> members) {
    long hiddenCount = members.stream().filter(Cell::suppressed).count();
    assertThat(hiddenCount).as("hidden members of %s", members).isNotEqualTo(1);
  }

  private static List<String> hidden(Table t) {
    return t.cells().stream().filter(Cell::suppressed).map(Cell::row).toList();
  }
}

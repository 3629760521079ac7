package org.testigo.cli.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Cell suppression for tables of counts with published totals (docs/spec/case-events.md §7, section 3).
 *
 * <p>Values are addressed by index; a {@link Relation} says that some values (the parts) add
 * up to another (the whole), as a row or a column and its total. Primary suppression hides
 * every value with {@code 0 < v < minCell}. Complementary suppression then repeats, until
 * nothing changes, over every relation: if exactly one of its members is hidden, or its whole
 * is published while the hidden parts add up to less than {@code minCell}, it hides the
 * smallest non-zero published part (first by index on ties), or failing that the whole.
 * Zeros are published: a true zero identifies no one.
 *
 * <p>WARNING: this is the classic row/column heuristic. It guarantees that no hidden value is
 * the only unknown of a published equation and that hidden parts of a published total are
 * jointly at least {@code minCell}; it does not compute feasibility intervals by linear
 * programming, so an attacker solving the whole system may still bound a hidden value.
 */
final class Suppression {

  /** {@code parts} add up to {@code whole}. */
  record Relation(int whole, int[] parts) {}

  private Suppression() {}

  /** The hidden flags for {@code values} (not modified) under {@code relations}. */
  static boolean[] apply(long[] values, List<Relation> relations, int minCell) {
    if (minCell < 1) {
      throw new IllegalArgumentException("the minimum cell size is at least 1");
    }
    boolean[] hidden = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      hidden[i] = values[i] > 0 && values[i] < minCell;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Relation r : relations) {
        if (needsMore(values, hidden, r, minCell)) {
          int pick = pick(values, hidden, r);
          if (pick >= 0) {
            hidden[pick] = true;
            changed = true;
          }
        }
      }
    }
    return hidden;
  }

  private static boolean needsMore(long[] values, boolean[] hidden, Relation r, int minCell) {
    int count = hidden[r.whole()] ? 1 : 0;
    long hiddenSum = 0;
    for (int p : r.parts()) {
      if (hidden[p]) {
        count++;
        hiddenSum += values[p];
      }
    }
    if (count == 1) {
      return true;
    }
    return !hidden[r.whole()] && hiddenSum > 0 && hiddenSum < minCell;
  }

  private static int pick(long[] values, boolean[] hidden, Relation r) {
    int best = -1;
    for (int p : r.parts()) {
      if (!hidden[p] && values[p] > 0 && (best < 0 || values[p] < values[best])) {
        best = p;
      }
    }
    if (best < 0 && !hidden[r.whole()] && values[r.whole()] > 0) {
      best = r.whole();
    }
    return best;
  }

  /** Relations of a grid with a total row (index rows) and total column (index cols). */
  static List<Relation> gridRelations(int rows, int cols, boolean withRowTotals) {
    List<Relation> out = new ArrayList<>();
    int width = cols + 1;
    if (withRowTotals) {
      for (int r = 0; r <= rows; r++) {
        int[] parts = new int[cols];
        for (int c = 0; c < cols; c++) {
          parts[c] = r * width + c;
        }
        out.add(new Relation(r * width + cols, parts));
      }
    }
    int lastCol = withRowTotals ? cols : cols - 1;
    for (int c = 0; c <= lastCol; c++) {
      int[] parts = new int[rows];
      for (int r = 0; r < rows; r++) {
        parts[r] = r * width + c;
      }
      out.add(new Relation(rows * width + c, parts));
    }
    return out;
  }
}

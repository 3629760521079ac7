package org.testigo.cli.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.testigo.cli.cases.CaseState;
import org.testigo.cli.cases.Deadlines;
import org.testigo.cli.cases.Outcome;
import org.testigo.cli.cases.Priority;
import org.testigo.cli.cases.ReportIndex;
import org.testigo.cli.cases.Status;
import org.testigo.cli.cases.Text;

/**
 * The inbox's case list: one row per report of the encrypted report index (what {@code list}
 * reads), with the case state replayed there, and the view the reviewer chose over it (sort,
 * status, overdue, language, id prefix). Rows hold only what the list shows; the report itself
 * is opened by {@code show} when a case is opened.
 */
final class CaseRows {
  /** One case of the list. Texts are already safe to print (no control or bidi characters). */
  record Row(String id, String received, Status status, Priority priority, String language, String category,
      String state, String minors, boolean wantsReply, boolean overdue, String assignee, boolean malformed,
      boolean spam) {}

  enum Sort {
    /** Newest first (as {@code list}). */
    RECEIVED(Comparator.comparing(Row::received).reversed().thenComparing(Row::id)),
    /** Urgent first, then newest. */
    PRIORITY(Comparator.comparing(Row::priority).reversed().thenComparing(Comparator.comparing(Row::received)
        .reversed()).thenComparing(Row::id)),
    /** New first, closed last, then newest. */
    STATUS(Comparator.comparing(Row::status).thenComparing(Comparator.comparing(Row::received).reversed())
        .thenComparing(Row::id)),
    ID(Comparator.comparing(Row::id));

    final Comparator<Row> order;

    Sort(Comparator<Row> order) {
      this.order = order;
    }

    Sort next() {
      return values()[(ordinal() + 1) % values().length];
    }
  }

  /** The status filter: every case but spam, the open ones, or one status. */
  static final List<String> STATUS_FILTERS;

  static {
    List<String> f = new ArrayList<>(List.of("all", "open"));
    for (Status s : Status.values()) {
      f.add(s.name().toLowerCase(Locale.ROOT));
    }
    STATUS_FILTERS = List.copyOf(f);
  }

  private CaseRows() {}

  /** The rows of every report in the index that opened (valid or not), in index order. */
  static List<Row> read(ReportIndex index, Instant now) {
    List<Row> rows = new ArrayList<>();
    for (ReportIndex.Entry e : index.sortedEntries()) {
      if (!e.isReport() || e.kind() == ReportIndex.Kind.UNREADABLE || e.kind() == ReportIndex.Kind.INVALID) {
        continue;
      }
      CaseState st = index.state(e);
      rows.add(new Row(e.id(), e.receivedDay(), st.status(), st.priority(),
          e.language() == null ? "" : Text.cell(e.language(), 5), Text.cell(String.join(",", e.what()), 60),
          e.state() == null ? "" : Text.cell(e.state(), 5), e.minors() == null ? "" : Text.cell(e.minors(), 8),
          e.wantsReply(), st.isOverdue(now, Deadlines.DEFAULT),
          st.assignee() == null ? "" : Text.cell(st.assignee(), 24), e.kind() == ReportIndex.Kind.MALFORMED,
          st.status() == Status.CLOSED && st.outcome() == Outcome.SPAM));
    }
    return rows;
  }

  /** What the reviewer chose to see. */
  static final class View {
    Sort sort = Sort.RECEIVED;
    String status = "all";
    boolean overdueOnly;
    /** A report language, or "" for all. */
    String language = "";
    /** An id prefix typed by the reviewer, lower-case hex, or "". */
    String idPrefix = "";

    /** The rows this view shows, in its order. Closed-as-spam shows only when closed cases are asked for. */
    List<Row> apply(List<Row> all) {
      List<Row> out = new ArrayList<>();
      for (Row r : all) {
        if (matches(r)) {
          out.add(r);
        }
      }
      out.sort(sort.order);
      return out;
    }

    boolean matches(Row r) {
      boolean statusOk = switch (status) {
        case "all" -> !r.spam();
        case "open" -> r.status().isOpen();
        default -> r.status().name().toLowerCase(Locale.ROOT).equals(status);
      };
      return statusOk && (!overdueOnly || r.overdue()) && (language.isEmpty() || language.equals(r.language()))
          && (idPrefix.isEmpty() || r.id().startsWith(idPrefix));
    }

    void nextStatus() {
      status = STATUS_FILTERS.get((STATUS_FILTERS.indexOf(status) + 1) % STATUS_FILTERS.size());
    }

    /** Cycles through "" and the languages present in {@code rows}. */
    void nextLanguage(List<Row> rows) {
      List<String> langs = new ArrayList<>(List.of(""));
      TreeSet<String> present = new TreeSet<>();
      rows.forEach(r -> present.add(r.language()));
      present.remove("");
      langs.addAll(present);
      int i = langs.indexOf(language);
      language = langs.get((i + 1) % langs.size());
    }

    /** Keeps only the hex digits of what was typed, lower-cased (ids are lower-case hex). */
    void searchId(String typed) {
      StringBuilder b = new StringBuilder();
      typed.strip().toLowerCase(Locale.ROOT).chars().filter(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')
          .limit(64).forEach(c -> b.append((char) c));
      idPrefix = b.toString();
    }
  }

  /** The column header, cut or padded to {@code width} columns. */
  static String header(Messages m, int width) {
    return line(width, m.get("col.id"), m.get("col.received"), m.get("col.status"), m.get("col.priority"),
        m.get("col.language"), m.get("col.category"), m.get("col.state"), m.get("col.minors"),
        m.get("col.reply"), m.get("col.overdue"));
  }

  /** One row, in the columns of {@link #header}. */
  static String format(Row r, Messages m, int width) {
    return line(width, r.id().substring(0, 8), r.received(), r.status().name().toLowerCase(Locale.ROOT),
        r.priority().name().toLowerCase(Locale.ROOT), r.language(),
        r.malformed() ? m.get("row.malformed") : r.category(), r.state(), r.minors(),
        r.wantsReply() ? m.get("yes") : "", r.overdue() ? m.get("row.overdue") : "");
  }

  private static final int[] WIDTHS = {8, 10, 13, 6, 3, 0, 4, 4, 3, 7};

  /** Fixed columns, the category taking what the others leave. */
  private static String line(int width, String... cells) {
    int fixed = 0;
    for (int w : WIDTHS) {
      fixed += w + 1;
    }
    int category = Math.max(8, width - fixed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      int w = WIDTHS[i] == 0 ? category : WIDTHS[i];
      String c = cells[i].length() > w ? cells[i].substring(0, Math.max(0, w - 1)) + "…" : cells[i];
      b.append(c);
      b.append(" ".repeat(w - c.length()));
      if (i < cells.length - 1) {
        b.append(' ');
      }
    }
    return b.length() > width ? b.substring(0, width) : b.toString();
  }
}

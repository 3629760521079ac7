package org.testigo.cli.cases;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code list}: a table of the synced reports read from the encrypted report index (nothing
 * decrypted is written; only envelopes new since the index was written are opened), oldest
 * first, with filters on the questionnaire and the case. A submission that opens but is not a
 * valid report is listed as such with its size.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List synced reports from the encrypted index, newest first: id, received day, priority, language,"
        + " minors, wants a reply, category, state, agency, files, follow-ups, status, assignee, overdue.")
public final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--category", paramLabel = "WHAT", description = "Only reports of this kind: a code (extortion) or its label as show prints"
      + " it (Extorsión, extorsion).")
  String category;
  @Option(names = "--state", paramLabel = "CODE", description = "Only reports from this state: its ISO code (CHP)"
      + " or name (Chiapas).")
  String state;
  @Option(names = "--agency", paramLabel = "WHO", description = "Only reports naming this perpetrator: a code (inm)"
      + " or its label as show prints it.")
  String agency;
  @Option(names = "--status", paramLabel = "STATUS", description = "Only cases in this status, e.g. new, investigating.")
  String status;
  @Option(names = "--assignee", paramLabel = "ALIAS", description = "Only cases assigned to this reviewer.")
  String assignee;
  @Option(names = "--overdue", description = "Only open cases past a deadline.")
  boolean overdue;
  @Option(names = "--filter", paramLabel = "EXPR", description = "Conditions KEY=VALUE or KEY, comma-separated:"
      + " status, assignee, category, state, agency, overdue, malformed (not a valid report), spam (closed as spam,"
      + " hidden otherwise).")
  List<String> filters = List.of();
  @Option(names = "--lang", paramLabel = "CODE", description = "Only reports written in this language (es, en, fr,"
      + " ht, pt...).")
  String language;
  @Option(names = "--sort", paramLabel = "KEY", defaultValue = "received", description = "Order: received (newest"
      + " first, the default), priority (urgent first), deadline (the nearest open deadline first) or id.")
  String sort;
  @Option(names = "--reverse", description = "Reverse the order.")
  boolean reverse;

  /**
   * One listed report. {@code arrival} ({@link #arrivalKey}) and {@code idKey} (the id's first
   * 64 bits) make the orders cheap to compare: at 100,000 reports the comparisons were the
   * largest part of list's time.
   */
  private record Row(ReportIndex.Entry entry, CaseState state, boolean late, LocalDate after, Instant nextDue,
      long idKey, long arrival) {}

  /** Feed sequences up to 2^40 order exactly in {@link #arrivalKey}; larger ones tie (then the id decides). */
  private static final long SEQ_LIMIT = (1L << 40) - 1;

  /**
   * The received day and the place in the feed as one number that orders as the pair: the
   * "newest first" order compares one long per step (at 100,000 reports the comparisons were
   * the largest part of list's time after the unlock). Days are clamped to +-2^22 (years
   * -9500..13500), which leaves the sum within a long.
   */
  static long arrivalKey(long epochDay, long seq) {
    long day = Math.max(-(1L << 22), Math.min(1L << 22, epochDay));
    return (day << 40) + Math.min(Math.max(seq, 0), SEQ_LIMIT);
  }

  static final List<String> SORTS = List.of("received", "priority", "deadline", "id");

  /** By id: lowercase hex ids order as their values; the first 64 bits decide almost always. */
  private static int byId(Row a, Row b) {
    int c = Long.compareUnsigned(a.idKey(), b.idKey());
    return c != 0 ? c : a.entry().id().compareTo(b.entry().id());
  }

  /**
   * Newest first: the received day, later first; within a day the later place in the server's
   * feed first (the order the reports reached this reviewer's syncs), then by id.
   */
  private static int newest(Row a, Row b) {
    int c = Long.compare(b.arrival(), a.arrival());
    return c != 0 ? c : byId(a, b);
  }

  private java.util.Comparator<Row> order() {
    java.util.Comparator<Row> newest = ListCommand::newest;
    java.util.Comparator<Row> c = switch (sort.strip().toLowerCase(Locale.ROOT)) {
      case "received" -> newest;
      case "priority" -> java.util.Comparator.comparing((Row r) -> r.state().priority()).reversed().thenComparing(newest);
      case "deadline" -> java.util.Comparator.comparing((Row r) -> r.nextDue(),
          java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())).thenComparing(newest);
      case "id" -> ListCommand::byId;
      default -> throw new CliException(ExitCodes.USAGE, "--sort must be one of " + String.join(", ", SORTS));
    };
    return reverse ? c.reversed() : c;
  }

  /** The id's first 16 hex characters as an unsigned number (0 for an id that is not hex: never in the index). */
  private static long idKey(String id) {
    try {
      return id.length() >= 16 ? Long.parseUnsignedLong(id, 0, 16, 16) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static final String[] STATUS_NAMES = java.util.Arrays.stream(Status.values())
      .map(v -> v.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
  private static final String[] PRIORITY_NAMES = java.util.Arrays.stream(Priority.values())
      .map(v -> v.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

  ListFilter filter() {
    ListFilter f = new ListFilter();
    f.category = category == null ? null : ListFilter.category(category);
    f.state = state == null ? null : ListFilter.state(state);
    f.agency = agency == null ? null : ListFilter.agency(agency);
    // checked as --filter status= is: a typo listed nothing and said nothing (user pass)
    f.status = status == null ? null : TriageCommands.parse(Status.class, status).name();
    f.assignee = assignee;
    f.overdue = overdue;
    filters.forEach(f::add);
    return f;
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    ListFilter filter = filter();
    java.util.Comparator<Row> order = order();
    if (language != null && !language.strip().matches("[a-z]{2,3}")) {
      throw new CliException(ExitCodes.USAGE, "--lang takes a language code of 2 or 3 letters, e.g. es or ht");
    }
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    ReportIndex index;
    try {
      index = ReportIndex.forCommand(home, cache, identity, spec.commandLine().getErr());
    } finally {
      identity.destroy();
    }
    PrintWriter out = spec.commandLine().getOut();
    // Rows are padded by hand and written in blocks: printf parsed its format and flushed the
    // autoflushing writer on every row, a third of list's time at 100,000 reports.
    StringBuilder rows = new StringBuilder(1 << 16);
    row(rows, "ID", "RECEIVED", "PRIO", "LANG", "MIN", "RPL", "CATEGORY", "STATE", "AGENCY", "FILES", "F/U", "STATUS",
        "ASSIGNEE", "");
    out.write(rows.toString());
    Instant now = Instant.now();
    ReportIndex.FollowUps summary = index.followUpSummary();
    Map<String, Integer> followUps = summary.counts();
    Map<String, LocalDate> lastFollowUp = summary.latest();
    java.util.Set<String> asks = summary.erasureRequests();
    String lang = language == null ? null : language.strip();
    java.util.concurrent.atomic.AtomicInteger hiddenSpam = new java.util.concurrent.atomic.AtomicInteger();
    // Rows are selected, sorted and formatted on every core (at 100,000 reports a cold JVM spent
    // most of list's time here); every order is total (it ends with the id), so the result does
    // not depend on the split.
    List<Row> selected = index.entries.values().parallelStream()
        .map(e -> select(index, filter, lang, e, now, lastFollowUp, hiddenSpam))
        .filter(java.util.Objects::nonNull).sorted(order).toList();
    int malformed = 0;
    int malformedOpen = 0;
    for (Row r : selected) {
      if (r.entry().kind() == ReportIndex.Kind.MALFORMED) {
        malformed++;
        malformedOpen += r.state().status() == Status.CLOSED ? 0 : 1;
      }
    }
    int block = 2048;
    int window = 4 * Math.max(1, Runtime.getRuntime().availableProcessors());
    int blocks = (selected.size() + block - 1) / block;
    for (int first = 0; first < blocks; first += window) {
      int from = first;
      List<String> texts = java.util.stream.IntStream.range(from, Math.min(blocks, from + window)).parallel()
          .mapToObj(k -> {
            StringBuilder b = new StringBuilder(block * 180);
            for (Row r : selected.subList(k * block, Math.min(selected.size(), (k + 1) * block))) {
              format(b, r, followUps, asks);
            }
            return b.toString();
          }).toList();
      texts.forEach(out::write);
    }
    int shown = selected.size();
    if (shown == 0 && filter.assignee != null) {
      // an alias typed wrong (or a reviewer with no case yet) lists nothing: say whose cases there are
      java.util.TreeSet<String> assignees = new java.util.TreeSet<>();
      for (ReportIndex.Entry e : index.entries.values()) {
        if (e.isReport() && e.kind() != ReportIndex.Kind.UNREADABLE && e.kind() != ReportIndex.Kind.INVALID) {
          String a = index.state(e).assignee();
          if (a != null) {
            assignees.add(a);
          }
        }
      }
      out.println("No case is assigned to '" + filter.assignee + "'" + (assignees.isEmpty() ? "; no case is assigned"
          + " to anyone yet." : "; cases are assigned to: " + String.join(", ", assignees) + "."));
    }
    long unreadable = index.count(ReportIndex.Kind.UNREADABLE);
    long invalid = index.count(ReportIndex.Kind.INVALID);
    out.println(shown + " report(s)"
        + (malformed > 0 ? " (" + malformed + " not valid reports" + (malformedOpen == 0 ? ")"
            : ": close them with close --filter malformed spam --dry-run, then without --dry-run)") : "")
        + (hiddenSpam.get() > 0 ? "; " + hiddenSpam + " closed as spam not shown (--filter spam)" : "")
        + (unreadable > 0 ? "; " + unreadable + " submission(s) do not open with your key" : "")
        + (invalid > 0 ? "; " + invalid + " cached entry(ies) are invalid and were left out"
            + " (delete them and run sync to fetch them again)" : ""));
    return ExitCodes.OK;
  }

  /** The row of a report if it is listed (counting the closed-as-spam reports left out), else null. */
  private static Row select(ReportIndex index, ListFilter filter, String language, ReportIndex.Entry e, Instant now,
      Map<String, LocalDate> lastFollowUp, java.util.concurrent.atomic.AtomicInteger hiddenSpam) {
    if (!e.isReport() || e.kind() == ReportIndex.Kind.UNREADABLE || e.kind() == ReportIndex.Kind.INVALID) {
      return null;
    }
    CaseState st = index.state(e);
    if (!filter.matches(e, st, now)) {
      if (!filter.spam && filter.status == null && st.outcome() == Outcome.SPAM && st.status() == Status.CLOSED) {
        hiddenSpam.incrementAndGet();
      }
      return null;
    }
    if (language != null && !language.equals(e.language())) {
      return null;
    }
    // One computation of the deadlines per report: late is what CaseState.isOverdue says, nextDue the
    // nearest unmet deadline of an open case.
    boolean late = false;
    Instant nextDue = null;
    for (CaseState.DeadlineStatus d : st.deadlines(now, Deadlines.DEFAULT)) {
      late |= d.state() == CaseState.DeadlineState.OVERDUE;
      if (st.status() != Status.CLOSED && d.metAt() == null && d.due() != null
          && (nextDue == null || d.due().isBefore(nextDue))) {
        nextDue = d.due();
      }
    }
    LocalDate lastDay = lastFollowUp.get(e.id());
    LocalDate after = lastDay == null ? null : st.followUpAfterClose(List.of(lastDay));
    long day = st.receivedDay().toEpochDay();
    return new Row(e, st, late, after, nextDue, idKey(e.id()), arrivalKey(day, e.seq()));
  }

  private static void format(StringBuilder rows, Row r, Map<String, Integer> followUps, java.util.Set<String> asks) {
    ReportIndex.Entry e = r.entry();
    CaseState st = r.state();
    boolean late = r.late();
    LocalDate after = r.after();
    String status = STATUS_NAMES[st.status().ordinal()];
    String who = st.assignee() == null ? "-" : Text.cell(st.assignee(), 12);
    if (e.kind() == ReportIndex.Kind.MALFORMED) {
      malformedRow(rows, e.id().substring(0, 12), e.receivedDay(), "NOT A VALID REPORT (" + e.size() + " bytes)",
          status, who, late ? "  OVERDUE" : "", Text.cell(e.problem(), 100));
    } else {
      row(rows, e.id().substring(0, 12), e.receivedDay(), PRIORITY_NAMES[st.priority().ordinal()],
          Text.cell(e.language() == null ? "" : e.language(), 4), minors(e.minors()), e.wantsReply() ? "yes" : "no",
          Text.cell(String.join(",", e.what()), 24),
          Text.cell(e.state() == null ? "" : e.state(), 5), Text.cell(String.join(",", e.who()), 20),
          String.valueOf(e.files().size()), String.valueOf(followUps.getOrDefault(e.id(), 0)), status, who,
          (late ? "  OVERDUE" : "") + (after == null ? "" : "  UNREAD: FOLLOW-UP AFTER CLOSE (" + after + ")")
              + (asks.contains(e.id()) ? "  THE SOURCE ASKS FOR ERASURE" : ""));
    }
  }

  /** The MIN column: whether minors were among those harmed (yes, no, ? for unknown, blank if not said). */
  static String minors(String code) {
    return code == null ? "" : switch (code) {
      case "yes" -> "yes";
      case "no" -> "no";
      default -> "?";
    };
  }

  /**
   * One row, as {@code "%-12s  %-10s  %-6s  %-4s  %-3s  %-3s  %-24s  %-5s  %-20s  %5s  %3s  %-13s  %-12s%s%n"}
   * formats it.
   */
  static void row(StringBuilder b, String id, String received, String priority, String language, String minors,
      String reply, String category, String state, String agency, String files, String followUps, String status,
      String assignee, String late) {
    left(b, id, 12).append("  ");
    left(b, received, 10).append("  ");
    left(b, priority, 6).append("  ");
    left(b, language, 4).append("  ");
    left(b, minors, 3).append("  ");
    left(b, reply, 3).append("  ");
    left(b, category, 24).append("  ");
    left(b, state, 5).append("  ");
    left(b, agency, 20).append("  ");
    right(b, files, 5).append("  ");
    right(b, followUps, 3).append("  ");
    left(b, status, 13).append("  ");
    left(b, assignee, 12).append(late).append(System.lineSeparator());
  }

  /** A not-valid row, as {@code "%-12s  %-10s  %-53s  %-13s  %-12s%s  %s%n"} formats it. */
  static void malformedRow(StringBuilder b, String id, String received, String what, String status, String assignee,
      String late, String problem) {
    left(b, id, 12).append("  ");
    left(b, received, 10).append("  ");
    left(b, what, 53).append("  ");
    left(b, status, 13).append("  ");
    left(b, assignee, 12).append(late).append("  ").append(problem).append(System.lineSeparator());
  }

  private static StringBuilder left(StringBuilder b, String s, int width) {
    b.append(s);
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    return b;
  }

  private static StringBuilder right(StringBuilder b, String s, int width) {
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    return b.append(s);
  }
}

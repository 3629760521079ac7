package org.testigo.cli.cases;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
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
  @Option(names = "--category", paramLabel = "WHAT", description = "Only reports of this kind, e.g. extortion.")
  String category;
  @Option(names = "--state", paramLabel = "CODE", description = "Only reports from this state (ISO code, e.g. CHP).")
  String state;
  @Option(names = "--agency", paramLabel = "WHO", description = "Only reports naming this perpetrator, e.g. inm.")
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

  private record Row(ReportIndex.Entry entry, CaseState state, boolean late, java.time.LocalDate after,
      Instant nextDue) {}

  static final List<String> SORTS = List.of("received", "priority", "deadline", "id");

  private java.util.Comparator<Row> order() {
    java.util.Comparator<Row> newest = java.util.Comparator.comparing((Row r) -> r.entry().receivedDay())
        .reversed().thenComparing(r -> r.entry().id());
    java.util.Comparator<Row> c = switch (sort.strip().toLowerCase(Locale.ROOT)) {
      case "received" -> newest;
      case "priority" -> java.util.Comparator.comparing((Row r) -> r.state().priority()).reversed().thenComparing(newest);
      case "deadline" -> java.util.Comparator.comparing((Row r) -> r.nextDue(),
          java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())).thenComparing(newest);
      case "id" -> java.util.Comparator.comparing((Row r) -> r.entry().id());
      default -> throw new CliException(ExitCodes.USAGE, "--sort must be one of " + String.join(", ", SORTS));
    };
    return reverse ? c.reversed() : c;
  }

  ListFilter filter() {
    ListFilter f = new ListFilter();
    f.category = category == null ? null : category.toLowerCase(Locale.ROOT);
    f.state = state;
    f.agency = agency == null ? null : agency.toLowerCase(Locale.ROOT);
    f.status = status == null ? null : status.strip().toUpperCase(Locale.ROOT).replace('-', '_');
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
    int shown = 0;
    int malformed = 0;
    int hiddenSpam = 0;
    Instant now = Instant.now();
    Map<String, Integer> followUps = index.followUpCounts();
    Map<String, java.time.LocalDate> lastFollowUp = index.latestFollowUpDays();
    List<Row> selected = new java.util.ArrayList<>();
    for (ReportIndex.Entry e : index.sortedEntries()) {
      if (!e.isReport() || e.kind() == ReportIndex.Kind.UNREADABLE || e.kind() == ReportIndex.Kind.INVALID) {
        continue;
      }
      CaseState st = index.state(e);
      if (!filter.matches(e, st, now)) {
        if (!filter.spam && filter.status == null && st.outcome() == Outcome.SPAM
            && st.status() == Status.CLOSED) {
          hiddenSpam++;
        }
        continue;
      }
      if (language != null && !language.strip().equals(e.language())) {
        continue;
      }
      boolean late = st.isOverdue(now, Deadlines.DEFAULT);
      java.time.LocalDate after = lastFollowUp.containsKey(e.id())
          ? st.followUpAfterClose(List.of(lastFollowUp.get(e.id()))) : null;
      Instant nextDue = st.status() == Status.CLOSED ? null : st.deadlines(now, Deadlines.DEFAULT).stream()
          .filter(d -> d.metAt() == null && d.due() != null).map(CaseState.DeadlineStatus::due)
          .min(java.util.Comparator.naturalOrder()).orElse(null);
      selected.add(new Row(e, st, late, after, nextDue));
    }
    selected.sort(order);
    java.util.Set<String> asks = index.erasureRequests();
    for (Row r : selected) {
      ReportIndex.Entry e = r.entry();
      CaseState st = r.state();
      boolean late = r.late();
      java.time.LocalDate after = r.after();
      String status = st.status().name().toLowerCase(Locale.ROOT);
      String who = st.assignee() == null ? "-" : Text.cell(st.assignee(), 12);
      if (e.kind() == ReportIndex.Kind.MALFORMED) {
        malformed++;
        malformedRow(rows, e.id().substring(0, 12), e.receivedDay(), "NOT A VALID REPORT (" + e.size() + " bytes)",
            status, who, late ? "  OVERDUE" : "", Text.cell(e.problem(), 100));
      } else {
        row(rows, e.id().substring(0, 12), e.receivedDay(), st.priority().name().toLowerCase(Locale.ROOT),
            Text.cell(e.language() == null ? "" : e.language(), 4), minors(e.minors()), e.wantsReply() ? "yes" : "",
            Text.cell(String.join(",", e.what()), 24),
            Text.cell(e.state() == null ? "" : e.state(), 5), Text.cell(String.join(",", e.who()), 20),
            String.valueOf(e.files().size()), String.valueOf(followUps.getOrDefault(e.id(), 0)), status, who,
            (late ? "  OVERDUE" : "") + (after == null ? "" : "  UNREAD: FOLLOW-UP AFTER CLOSE (" + after + ")")
                + (asks.contains(e.id()) ? "  THE SOURCE ASKS FOR ERASURE" : ""));
      }
      shown++;
      if (rows.length() >= 1 << 16) {
        out.write(rows.toString());
        rows.setLength(0);
      }
    }
    out.write(rows.toString());
    long unreadable = index.count(ReportIndex.Kind.UNREADABLE);
    long invalid = index.count(ReportIndex.Kind.INVALID);
    out.println(shown + " report(s)"
        + (malformed > 0 ? " (" + malformed + " not valid reports: close them with close --filter malformed spam"
            + " --dry-run, then without --dry-run)" : "")
        + (hiddenSpam > 0 ? "; " + hiddenSpam + " closed as spam not shown (--filter spam)" : "")
        + (unreadable > 0 ? "; " + unreadable + " submission(s) do not open with your key" : "")
        + (invalid > 0 ? "; " + invalid + " cached entry(ies) are invalid and were left out"
            + " (delete them and run sync to fetch them again)" : ""));
    return ExitCodes.OK;
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

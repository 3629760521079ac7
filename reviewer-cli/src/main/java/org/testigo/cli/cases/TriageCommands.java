package org.testigo.cli.cases;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.testigo.api.client.ClientException;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.event.CaseId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The triage commands. Each syncs the case's events, builds a signed event with the cases
 * library (content sealed to every reviewer of the current manifest), checks locally that
 * the replay would apply it (a rule it breaks is refused before anything is sent), posts it
 * and syncs again. {@code history} prints the verified event trail, {@code overdue} the
 * cases past a deadline.
 */
public final class TriageCommands {
  private TriageCommands() {}

  static <E extends Enum<E>> E parse(Class<E> type, String wire) {
    try {
      return Enum.valueOf(type, wire.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "'" + wire + "' is not one of " + names(type));
    }
  }

  /** The values of {@code type} as typed on the command line (lower case). */
  static <E extends Enum<E>> List<String> names(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  /** What a report id or its prefix looks like (4 to 32 hex characters). */
  static final java.util.regex.Pattern HEX_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{4,32}");

  /** Base of the commands that append one event to a case. */
  abstract static class Append implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOptions home;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
    String id;

    abstract CaseAction action() throws IOException;

    /**
     * Checks the action against the verified case log before anything is built or sent; a
     * refusal throws {@link CliException}. Nothing to check by default.
     */
    void check(CaseLog log, CaseAction action) {}

    /** The command's second argument (an alias, a status, an outcome), or null if it takes none. */
    String second() {
      return null;
    }

    /**
     * Refuses the two arguments the wrong way round ({@code close referred 0059}): the second
     * looks like a report id and the first does not (user pass: the error spoke of the second).
     */
    void checkOrder() {
      String second = second();
      if (second != null && id != null && !HEX_ID.matcher(id).matches() && HEX_ID.matcher(second).matches()) {
        throw new CliException(ExitCodes.USAGE, "the report ID comes first: testigo-reviewer "
            + spec.name() + " " + second + " " + id);
      }
    }

    @Override
    public Integer call() throws IOException, CryptoException {
      checkOrder();
      CaseAction action;
      try {
        action = action();
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        LocalCache.Submission report = report(s.cache, id);
        CaseLog.sync(s.client, s.cache);
        CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
        check(log, action);
        Posted posted = record(s, log, report, action);
        CaseLog.sync(s.client, s.cache);
        spec.commandLine().getOut().println("Recorded " + action.type() + " on case " + report.id()
            + " (event " + posted.eventHex().substring(0, 16) + "); status now "
            + posted.would().status().name().toLowerCase(Locale.ROOT));
        return ExitCodes.OK;
      }
    }
  }

  /**
   * Builds the event of {@code action} on the case of {@code report}, checks that the replay
   * applies it (exit 6 with the rule otherwise, nothing sent) and posts it; returns the state
   * the case will have.
   */
  record Posted(CaseState would, String eventHex) {}

  static Posted record(RemoteSession s, CaseLog log, LocalCache.Submission report, CaseAction action)
      throws IOException {
    CaseId caseId = CaseId.fromHex(report.id());
    CaseEvents.Built built;
    try {
      built = new CaseEvents(Clock.systemUTC(), new SecureRandom()).build(s.identity, log.verifier.latest(),
          caseId, log.known(caseId), action);
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.REFUSED, e.getMessage());
    }
    List<OpenedCaseEvent> preview = new ArrayList<>(log.opened.getOrDefault(caseId, List.of()));
    preview.add(new OpenedCaseEvent(built.event(), s.identity.alias(), action));
    CaseState would = CaseReplay.replay(caseId, report.day(), preview);
    CaseState.HistoryEntry mine = would.history().stream()
        .filter(h -> h.eventId().equals(built.event().eventId())).findFirst().orElseThrow();
    if (!mine.applied()) {
      // the replay's rule, then the command that lifts it
      throw new CliException(ExitCodes.REFUSED, "not recorded: " + mine.flag().name().toLowerCase(Locale.ROOT)
          + (mine.reason() == null ? "" : " (" + mine.reason() + ")")
          + nextStep(CaseText.reasonKey(mine.reason()), report.id()));
    }
    s.client.postCaseEvent(report.id(), CaseLog.frame(built));
    return new Posted(would, built.event().eventId().hex());
  }

  /**
   * The command that lifts a refusal, for the replay's reasons that have one ({@link
   * CaseText#reasonKey}; user pass: the rule alone did not say).
   */
  static String nextStep(String reasonKey, String id) {
    String shortId = id.substring(0, Math.min(12, id.length()));
    if ("reason.referredNeedsReferral".equals(reasonKey)) {
      return ". Record the referral first: testigo-reviewer refer " + shortId + " --to "
          + String.join("|", names(ReferralTarget.class)) + " --reference REF (and --state CODE for a state's"
          + " prosecutor or commission)";
    }
    if ("reason.closed".equals(reasonKey)) {
      return ". To work on it again: testigo-reviewer reopen " + shortId;
    }
    return "";
  }

  static LocalCache.Submission report(LocalCache cache, String id) throws IOException {
    LocalCache.Submission s = CaseIds.find(cache, id);
    if (!s.id().equals(s.caseId())) {
      return cache.find(s.caseId()).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT,
          "the report of follow-up " + s.id() + " is not synced"));
    }
    return s;
  }

  @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge a case (new -> acknowledged).")
  public static final class Ack extends Append {
    CaseAction action() {
      return new CaseAction.Acknowledge();
    }
  }

  @Command(name = "assign", mixinStandardHelpOptions = true,
      description = "Assign a case to a reviewer alias of the current verified manifest, or --none.")
  public static final class Assign extends Append {
    @Parameters(index = "1", arity = "0..1", paramLabel = "ALIAS",
        description = "A reviewer or admin alias listed in the current verified manifest.") String alias;
    @Option(names = "--none", description = "Unassign.") boolean none;

    @Override
    String second() {
      return alias;
    }

    CaseAction action() {
      if (none == (alias != null)) {
        throw new IllegalArgumentException("give an ALIAS or --none");
      }
      return new CaseAction.Assign(none ? null : alias);
    }

    @Override
    void check(CaseLog log, CaseAction action) {
      String assignee = ((CaseAction.Assign) action).assignee();
      if (assignee != null) {
        Assignees.requireAssignable(log.verifier.latest(), assignee, Instant.now());
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Set the status: acknowledged, under_review, investigating, referred (reopens a closed case).",
          "A case starts new; closing is the close command."})
  public static final class SetStatus extends Append {
    @Parameters(index = "1", paramLabel = "STATUS", completionCandidates = Settable.class,
        description = "One of: ${COMPLETION-CANDIDATES}.") String status;

    @Override
    String second() {
      return status;
    }

    CaseAction action() {
      return new CaseAction.SetStatus(settable(status));
    }
  }

  /** The statuses a reviewer can set with {@code status}: neither new nor closed. */
  public static final List<Status> SETTABLE = List.of(Status.ACKNOWLEDGED, Status.UNDER_REVIEW, Status.INVESTIGATING,
      Status.REFERRED);

  /** The wire names of {@link #SETTABLE}, for picocli's help. */
  static final class Settable implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return SETTABLE.stream().map(st -> st.name().toLowerCase(Locale.ROOT)).iterator();
    }
  }

  /** Parses a status a reviewer can set; new, closed and unknown names are refused listing the settable ones. */
  static Status settable(String wire) {
    List<String> names = new ArrayList<>();
    new Settable().forEach(names::add);
    String hint = "; a case starts new, and closing is: close ID OUTCOME";
    Status st;
    try {
      st = Enum.valueOf(Status.class, wire.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "'" + wire + "' is not one of " + names + hint);
    }
    if (!SETTABLE.contains(st)) {
      throw new CliException(ExitCodes.USAGE, "'" + wire + "' cannot be set; set one of " + names + hint);
    }
    return st;
  }

  @Command(name = "priority", mixinStandardHelpOptions = true, description = "Set the priority: low, normal, high, urgent.")
  public static final class SetPriority extends Append {
    @Parameters(index = "1", paramLabel = "PRIORITY", description = "One of: low, normal, high, urgent.")
    String priority;

    @Override
    String second() {
      return priority;
    }

    CaseAction action() {
      return new CaseAction.SetPriority(parse(Priority.class, priority));
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true, description = "Add or remove a label.")
  public static final class Label extends Append {
    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    static final class Which {
      @Option(names = "--add", paramLabel = "LABEL", description = "Label to add: 1-40 characters of a-z, 0-9, _ and -.")
      String add;
      @Option(names = "--remove", paramLabel = "LABEL", description = "Label to remove.") String remove;
    }

    CaseAction action() {
      return which.add != null ? new CaseAction.Label(which.add, true) : new CaseAction.Label(which.remove, false);
    }
  }

  @Command(name = "note", mixinStandardHelpOptions = true,
      description = "Add a note (sealed to the team). Prefer --file: text on the command line lands in shell history.")
  public static final class Note extends Append {
    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    static final class Which {
      @Option(names = "--file", paramLabel = "FILE", description = "Read the note from this UTF-8 file.") Path file;
      @Option(names = "--text", paramLabel = "TEXT", description = "The note itself (lands in shell history).")
      String text;
    }

    CaseAction action() throws IOException {
      return new CaseAction.Note(which.file != null ? Files.readString(which.file, StandardCharsets.UTF_8).strip() : which.text);
    }
  }

  @Command(name = "refer", mixinStandardHelpOptions = true,
      description = "Record a referral: --to fgr|fiscalia_estatal|cndh|comision_estatal_dh|comar|other.")
  public static final class Refer extends Append {
    @Option(names = "--to", required = true, paramLabel = "INSTITUTION",
        description = "fgr, fiscalia_estatal, cndh, comision_estatal_dh, comar or other.") String to;
    @Option(names = "--state", description = "The state, for fiscalia_estatal and comision_estatal_dh: its code (CHP,"
        + " or MX-CHP) or its name (Chiapas).") String state;
    @Option(names = "--institution", description = "Name, for --to other.") String institution;
    @Option(names = "--reference", required = true, description = "Their reference number.") String reference;
    @Option(names = "--date", description = "YYYY-MM-DD (default: today, UTC).") LocalDate date;

    CaseAction action() {
      ReferralTarget target = parse(ReferralTarget.class, to);
      // said in the options' terms (user pass: the rule alone named no option, and refused MX-CHP)
      if (target.needsState() && state == null) {
        throw new CliException(ExitCodes.USAGE, to + " needs --state: the state's code, e.g. --state CHP (or its name,"
            + " --state Chiapas)");
      }
      if (!target.needsState() && state != null) {
        throw new CliException(ExitCodes.USAGE, to + " is not a state's institution: leave out --state (it is for"
            + " fiscalia_estatal and comision_estatal_dh)");
      }
      String code = state == null ? null : ListFilter.state(state.strip().replaceFirst("(?i)^MX-", ""));
      return new CaseAction.Refer(target, code, institution, reference,
          date == null ? LocalDate.now(Clock.systemUTC()) : date);
    }
  }

  @Command(name = "close", mixinStandardHelpOptions = true,
      description = {"Close with an outcome: substantiated, unsubstantiated, insufficient_evidence, duplicate, withdrawn,"
          + " referred, spam.", "close ID OUTCOME; or close --filter EXPR OUTCOME [--dry-run] for every open case"
          + " the filter selects (as list --filter), e.g. close --filter malformed spam --dry-run."})
  public static final class Close extends Append {
    @Parameters(index = "1", arity = "0..1", paramLabel = "OUTCOME", description = "substantiated, unsubstantiated,"
        + " insufficient_evidence, duplicate, withdrawn, referred (needs a referral) or spam.") String outcome;

    @Override
    String second() {
      return outcome;
    }
    @Option(names = "--filter", paramLabel = "EXPR", description = "Close every open case this selects (list --filter"
        + " syntax: status=S, assignee=A, category=C, state=CODE, agency=W, overdue, malformed); ID is then omitted.")
    List<String> filters = List.of();
    @Option(names = "--dry-run", description = "With --filter: print what would be closed, send nothing.")
    boolean dryRun;

    CaseAction action() {
      if (outcome == null) {
        throw new IllegalArgumentException("give ID and OUTCOME (or --filter EXPR OUTCOME); OUTCOME is one of "
            + names(Outcome.class));
      }
      return new CaseAction.Close(parse(Outcome.class, outcome));
    }

    @Override
    public Integer call() throws IOException, CryptoException {
      if (filters.isEmpty()) {
        if (dryRun) {
          throw new CliException(ExitCodes.USAGE, "--dry-run goes with --filter");
        }
        return super.call();
      }
      if (outcome != null) {
        throw new CliException(ExitCodes.USAGE, "with --filter give only the OUTCOME, no ID");
      }
      CaseAction action = new CaseAction.Close(parse(Outcome.class, id));
      ListFilter filter = new ListFilter();
      filters.forEach(filter::add);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        CaseLog.sync(s.client, s.cache, err);
        ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
        Instant now = Instant.now();
        List<ReportIndex.Entry> selected = new ArrayList<>();
        for (ReportIndex.Entry e : index.sortedEntries()) {
          if (e.isReport() && e.kind() != ReportIndex.Kind.UNREADABLE && e.kind() != ReportIndex.Kind.INVALID) {
            CaseState st = index.state(e);
            if (st.status() != Status.CLOSED && filter.matches(e, st, now)) {
              selected.add(e);
            }
          }
        }
        if (dryRun) {
          for (ReportIndex.Entry e : selected) {
            out.println("would close " + e.id() + "  received " + e.receivedDay() + "  " + e.size() + " bytes"
                + (e.kind() == ReportIndex.Kind.MALFORMED ? "  not a valid report: " + Text.cell(e.problem(), 80) : ""));
          }
          out.println(selected.size() + " open case(s) would be closed as " + id.strip().toLowerCase(Locale.ROOT)
              + " (dry run: nothing sent)");
          return ExitCodes.OK;
        }
        List<Long> seqs = new ArrayList<>();
        selected.forEach(e -> seqs.addAll(index.eventSeqs(e.id())));
        CaseLog log = CaseLog.load(s.cache, s.server, s.identity, seqs);
        int closed = 0;
        int refused = 0;
        try (me.tongfei.progressbar.ProgressBar bar = ProgressBars.of("close", selected.size())) {
          for (ReportIndex.Entry e : selected) {
            LocalCache.Submission report = s.cache.byId(e.id()).orElse(null);
            try {
              if (report == null) {
                throw new CliException(ExitCodes.BAD_INPUT, "no longer cached");
              }
              record(s, log, report, action);
              closed++;
            } catch (CliException | ClientException refusal) {
              refused++;
              err.println("testigo-reviewer: " + e.id() + " not closed: " + refusal.getMessage());
            }
            bar.step();
          }
        }
        CaseLog.sync(s.client, s.cache, err);
        ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
        out.println("Closed " + closed + " case(s) as " + id.strip().toLowerCase(Locale.ROOT)
            + (refused > 0 ? "; " + refused + " refused (see above)" : ""));
        return refused > 0 ? ExitCodes.REFUSED : ExitCodes.OK;
      }
    }
  }

  @Command(name = "link", mixinStandardHelpOptions = true, description = "Link the case to another case.")
  public static final class Link extends Append {
    @Parameters(index = "1", paramLabel = "OTHER", description = "The other case id (32 hex).") String other;
    @Option(names = "--relation", defaultValue = "related", description = "related or duplicate_of (default: ${DEFAULT-VALUE}).")
    String relation;

    CaseAction action() {
      return new CaseAction.Link(CaseId.fromHex(other), parse(LinkRelation.class, relation));
    }
  }

  @Command(name = "feedback", mixinStandardHelpOptions = true,
      description = {"Record first feedback given to the source by other means (in person, by phone): a note,"
          + " then feedback_given, which meets the 3-month first-feedback deadline.",
          "A reply sent with the reply command already counts as feedback; this is for the rest."})
  public static final class Feedback extends Append {
    @Option(names = "--note", required = true, paramLabel = "TEXT",
        description = "What was said to the source, how and by whom (sealed to the team, like note).") String note;
    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
        description = "When the feedback was given (default: today, UTC); kept in the note, not in the future.")
    LocalDate date;

    CaseAction action() {
      LocalDate today = LocalDate.now(Clock.systemUTC());
      if (date != null && date.isAfter(today)) {
        throw new IllegalArgumentException("--date " + date + " is in the future");
      }
      new CaseAction.Note(text(today));
      return new CaseAction.FeedbackGiven();
    }

    String text(LocalDate today) {
      return "Feedback given to the source by other means on " + (date == null ? today : date) + ": " + note;
    }

    @Override
    public Integer call() throws IOException, CryptoException {
      CaseAction feedback;
      CaseAction.Note text;
      try {
        feedback = action();
        text = new CaseAction.Note(text(LocalDate.now(Clock.systemUTC())));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        LocalCache.Submission report = report(s.cache, id);
        CaseLog.sync(s.client, s.cache);
        CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
        CaseState before = log.state(report.id(), report.day());
        if (before.firstFeedbackAt() != null) {
          // Already done: nothing to change, so not a failure (exit 6 is for refusals to overwrite).
          spec.commandLine().getOut().println("First feedback on case " + report.id() + " was already met on "
              + before.firstFeedbackAt() + " (a reply or an earlier feedback); nothing recorded. To keep what was"
              + " said, add it as a note: testigo-reviewer note " + report.id() + " --file FILE");
          return ExitCodes.OK;
        }
        record(s, log, report, text);
        CaseLog.sync(s.client, s.cache);
        log = CaseLog.load(s.cache, s.server, s.identity);
        Posted posted = record(s, log, report, feedback);
        CaseLog.sync(s.client, s.cache);
        spec.commandLine().getOut().println("Recorded note and feedback_given on case " + report.id()
            + " (event " + posted.eventHex().substring(0, 16) + "); first feedback met");
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "The verified, signed event trail of a case, each event with its details (who was assigned,"
          + " where it was referred with which reference, the outcome, notes and replies in full).")
  public static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOptions home;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Option(names = "--lang", defaultValue = "${env:TESTIGO_LANG:-es}", paramLabel = "es|en",
        description = "Your language for the trail: es or en (default: $TESTIGO_LANG, else es).")
    String lang;
    @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
    String id;

    @Override
    public Integer call() throws IOException, CryptoException {
      CaseText text = new CaseText(lang);
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        LocalCache.Submission report = report(s.cache, id);
        CaseLog.sync(s.client, s.cache);
        CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
        CaseState state = log.state(report.id(), report.day());
        spec.commandLine().getOut().print(text.history(report.id(), report.receivedDay(), state, log.refused));
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "overdue", mixinStandardHelpOptions = true,
      description = "Open cases past a deadline (acknowledge within 7 days, first feedback within 3 months).")
  public static final class Overdue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOptions home;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() throws IOException, CryptoException {
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        CaseLog.sync(s.client, s.cache);
        ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity,
            spec.commandLine().getErr());
        Instant now = Instant.now();
        int n = 0;
        // Every report's deadlines on every core, then only the late ones in feed order (sorting
        // all 100,000 entries first was most of what overdue did at that size).
        record Late(ReportIndex.Entry report, CaseState state, List<CaseState.DeadlineStatus> overdue) {}
        List<Late> late = index.entries.values().parallelStream()
            .filter(r -> r.isReport() && r.kind() != ReportIndex.Kind.INVALID)
            .map(r -> {
              CaseState st = index.state(r);
              List<CaseState.DeadlineStatus> due = st.overdue(now, Deadlines.DEFAULT);
              return due.isEmpty() ? null : new Late(r, st, due);
            })
            .filter(java.util.Objects::nonNull)
            .sorted(java.util.Comparator.comparingLong((Late l) -> l.report().seq())
                .thenComparing(l -> l.report().id()))
            .toList();
        // Lines as "%s  received %s  %-14s due %s  status %s%n" formats them, written in blocks
        // (printf flushed the autoflushing writer on every line).
        StringBuilder b = new StringBuilder(1 << 16);
        for (Late l : late) {
          ReportIndex.Entry r = l.report();
          String status = l.state().status().name().toLowerCase(Locale.ROOT);
          for (CaseState.DeadlineStatus d : l.overdue()) {
            line(b, r.id().substring(0, 12), r.receivedDay(), d.kind().name().toLowerCase(Locale.ROOT), d.due(), status);
            n++;
            if (b.length() >= 1 << 16) {
              spec.commandLine().getOut().write(b.toString());
              b.setLength(0);
            }
          }
        }
        spec.commandLine().getOut().write(b.toString());
        spec.commandLine().getOut().println(n + " overdue deadline(s)");
        return ExitCodes.OK;
      }
    }

    /** One line, as {@code "%s  received %s  %-14s due %s  status %s%n"} formats it. */
    static StringBuilder line(StringBuilder b, String id, String received, String kind, Instant due, String status) {
      b.append(id).append("  received ").append(received).append("  ").append(kind);
      for (int i = kind.length(); i < 14; i++) {
        b.append(' ');
      }
      return b.append(" due ").append(due).append("  status ").append(status).append(System.lineSeparator());
    }
  }
}

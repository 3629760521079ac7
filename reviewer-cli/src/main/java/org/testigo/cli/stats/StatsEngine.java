package org.testigo.cli.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;

/**
 * Computes the publishable tables from per-case inputs (definitions in docs/spec/case-events.md §7).
 * Deterministic: the same inputs and options give the same report, whatever their order.
 */
public final class StatsEngine {
  public static final String REPORTS_BY_STATE_MONTH = "reports_by_state_month";
  public static final String CATEGORY_MENTIONS = "category_mentions";
  public static final String AGENCY_MENTIONS = "agency_mentions";
  public static final String OUTCOMES = "outcomes";
  public static final String REFERRALS_BY_INSTITUTION = "referrals_by_institution";
  public static final String FUNNEL = "funnel";
  public static final String FUNNEL_DAYS = "funnel_days";
  public static final String DEADLINES = "deadlines";
  public static final String FUNNEL_PROSECUTION = "funnel_prosecution";
  public static final String FUNNEL_COMMISSION = "funnel_commission";
  /** Steps of the prosecution branch of the funnel. */
  public static final List<String> PROSECUTION_STEPS = List.of("referred", "investigation_opened", "charges", "sentence");
  /** Steps of the human-rights commission branch of the funnel. */
  public static final List<String> COMMISSION_STEPS = List.of("referred", "complaint_admitted", "recommendation");
  public static final String META = "meta";

  /** Rows of the deadlines table. */
  public static final String ACKNOWLEDGE = "acknowledge";
  public static final String FIRST_FEEDBACK = "first_feedback";
  /** Columns of the deadlines table. */
  public static final List<String> DEADLINE_COLUMNS =
      List.of("met", "not_met", Table.TOTAL, "share_met_percent");
  /** Columns of the funnel_days table. */
  public static final List<String> DAYS_COLUMNS = List.of("n", "median_days", "p90_days");

  /**
   * The 90th percentile is published only from this many durations: below 10 the nearest-rank
   * p90 is the largest value, which would describe a single case.
   */
  public static final int MIN_N_FOR_P90 = 10;

  private StatsEngine() {}

  /** The report for {@code inputs} under {@code options}. */
  public static StatsReport compute(List<StatsInput> inputs, StatsOptions options) {
    return compute(inputs, List.of(), options);
  }

  /**
   * The report for {@code inputs} and the statistical records of erased cases under
   * {@code options}. A record counts as its case did when it was erased (its month of receipt,
   * codes, outcome, referral stages, deadlines and funnel durations); a record of a malformed
   * report or of a case closed as spam is left out as the case was, and so is one with a code
   * the statistics do not know.
   */
  public static StatsReport compute(List<StatsInput> inputs, List<Counted> erased, StatsOptions options) {
    LocalDate asOf = options.asOf();
    YearMonth to = options.to() != null ? options.to()
        : YearMonth.from(asOf.plusDays(1)).minusMonths(1);
    List<YearMonth> months = new ArrayList<>();
    inputs.forEach(i -> months.add(YearMonth.from(i.received())));
    erased.forEach(c -> months.add(c.month()));
    List<Counted> all = new ArrayList<>();
    for (StatsInput i : inputs) {
      if (!i.received().isAfter(asOf)) {
        all.add(counted(i, options));
      }
    }
    for (Counted c : erased) {
      if (!c.month().atDay(1).isAfter(asOf)) {
        all.add(c);
      }
    }
    YearMonth from = options.from();
    if (from == null) {
      from = months.stream()
          .filter(m -> !m.isAfter(to)).min(YearMonth::compareTo).orElse(to);
    }
    List<Counted> cases = new ArrayList<>();
    for (Counted c : all) {
      if (!c.month().isBefore(from) && !c.month().isAfter(to)) {
        cases.add(c);
      }
    }
    int k = options.minCell();
    List<Table> tables = new ArrayList<>();
    tables.add(meta(k));
    tables.add(byStateAndMonth(cases, from, to, k));
    tables.add(mentions(CATEGORY_MENTIONS, "category", AbuseCategory.class, AbuseCategory::code, cases, k,
        (c, e) -> c.categories().contains(e)));
    tables.add(mentions(AGENCY_MENTIONS, "agency", Perpetrator.class, Perpetrator::code, cases, k,
        (c, e) -> c.agencies().contains(e)));
    tables.add(mentions(OUTCOMES, "outcome", CaseOutcome.class, CaseOutcome::code, cases, k,
        (c, e) -> c.outcome() == e));
    tables.add(mentions(REFERRALS_BY_INSTITUTION, "institution", Institution.class, Institution::code, cases, k,
        (c, e) -> c.institutions().contains(e)));
    tables.add(funnelCounts(cases, k));
    tables.add(funnelDays(cases, k));
    tables.add(deadlines(cases, k));
    tables.add(branch(FUNNEL_PROSECUTION, PROSECUTION_STEPS, cases, Counted::prosecution, k));
    tables.add(branch(FUNNEL_COMMISSION, COMMISSION_STEPS, cases, Counted::commission, k));
    return new StatsReport(k, from, to, YearMonth.from(asOf), tables);
  }

  /** Where a deadline of one case stands for the deadlines table. */
  public enum DeadlineCount { MET, NOT_MET, NOT_COUNTED }

  /**
   * What the tables count of one case: everything is settled as of the report's day (an
   * input's milestones after it are not reached). {@code funnelDays} holds the steps reached
   * after {@code received}, each with the whole days since the latest earlier step reached;
   * {@code prosecution} and {@code commission} the steps of each branch reached (in
   * {@link #PROSECUTION_STEPS} and {@link #COMMISSION_STEPS} order).
   */
  public record Counted(YearMonth month, MxState state, java.util.Set<AbuseCategory> categories,
      java.util.Set<Perpetrator> agencies, CaseOutcome outcome, java.util.Set<Institution> institutions,
      Map<FunnelStep, Long> funnelDays, DeadlineCount acknowledge, DeadlineCount firstFeedback,
      boolean[] prosecution, boolean[] commission) {}

  static Counted counted(StatsInput c, StatsOptions o) {
    LocalDate asOf = o.asOf();
    Map<FunnelStep, LocalDate> f = funnel(c, asOf);
    Map<FunnelStep, Long> days = new EnumMap<>(FunnelStep.class);
    FunnelStep[] steps = FunnelStep.values();
    for (int s = 1; s < steps.length; s++) {
      LocalDate reached = f.get(steps[s]);
      if (reached == null) {
        continue;
      }
      LocalDate previous = null;
      for (int p = s - 1; p >= 0 && previous == null; p--) {
        previous = f.get(steps[p]);
      }
      days.put(steps[s], Math.max(0, ChronoUnit.DAYS.between(Objects.requireNonNull(previous), reached)));
    }
    java.util.Set<Institution> institutions = java.util.EnumSet.noneOf(Institution.class);
    for (StatsInput.Referral r : c.referrals()) {
      if (!r.referred().isAfter(asOf)) {
        institutions.add(r.to());
      }
    }
    return new Counted(YearMonth.from(c.received()), c.state(), c.categories(), c.agencies(), outcomeAsOf(c, asOf),
        institutions, days,
        count(c.received().plus(o.deadlines().acknowledge()), c.acknowledged(), asOf),
        count(c.received().plus(o.deadlines().firstFeedback()), c.firstFeedback(), asOf),
        reached(c, Institution.Kind.PROSECUTOR, PROSECUTION_STEPS.size(), asOf),
        reached(c, Institution.Kind.COMMISSION, COMMISSION_STEPS.size(), asOf));
  }

  private static boolean[] reached(StatsInput c, Institution.Kind kind, int n, LocalDate asOf) {
    boolean[] reached = new boolean[n];
    for (StatsInput.Referral r : c.referrals()) {
      if (r.to().kind() != kind) {
        continue;
      }
      List<LocalDate> days = kind == Institution.Kind.PROSECUTOR
          ? java.util.Arrays.asList(r.referred(), r.investigationOpened(), r.charges(), r.sentence())
          : java.util.Arrays.asList(r.referred(), r.investigationOpened(), r.recommendation());
      for (int s = 0; s < n; s++) {
        reached[s] |= days.get(s) != null && !days.get(s).isAfter(asOf);
      }
    }
    return reached;
  }

  /** The day each funnel step was reached by one case, as of {@code asOf} (absent: not). */
  static Map<FunnelStep, LocalDate> funnel(StatsInput c, LocalDate asOf) {
    Map<FunnelStep, LocalDate> m = new EnumMap<>(FunnelStep.class);
    put(m, FunnelStep.RECEIVED, c.received(), asOf);
    put(m, FunnelStep.ACKNOWLEDGED, c.acknowledged(), asOf);
    for (StatsInput.Referral r : c.referrals()) {
      if (r.to().accountability()) {
        put(m, FunnelStep.REFERRED, r.referred(), asOf);
        put(m, FunnelStep.INVESTIGATION_OPENED, r.investigationOpened(), asOf);
        put(m, FunnelStep.CHARGES, r.charges(), asOf);
        put(m, FunnelStep.SENTENCE_OR_RECOMMENDATION, r.sentence(), asOf);
        put(m, FunnelStep.SENTENCE_OR_RECOMMENDATION, r.recommendation(), asOf);
      }
    }
    return m;
  }

  private static void put(Map<FunnelStep, LocalDate> m, FunnelStep s, LocalDate d,
      LocalDate asOf) {
    if (d != null && !d.isAfter(asOf)) {
      m.merge(s, d, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  private static CaseOutcome outcomeAsOf(StatsInput c, LocalDate asOf) {
    return c.closed() != null && !c.closed().isAfter(asOf) ? c.outcome() : CaseOutcome.OPEN;
  }

  private static Table meta(int minCell) {
    List<Cell> cells = List.of(
        Cell.of("format_version", Table.COUNT, StatsReport.FORMAT_VERSION, false),
        Cell.of("min_cell", Table.COUNT, minCell, false));
    return new Table(META, "parameter", "measure", List.of("format_version", "min_cell"),
        List.of(Table.COUNT), cells);
  }

  private static Table byStateAndMonth(List<Counted> cases, YearMonth from, YearMonth to,
      int k) {
    List<YearMonth> months = new ArrayList<>();
    for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
      months.add(m);
    }
    MxState[] states = MxState.values();
    long[][] counts = new long[states.length][months.size()];
    for (Counted c : cases) {
      counts[c.state().ordinal()][months.indexOf(c.month())]++;
    }
    return Table.grid(REPORTS_BY_STATE_MONTH, "state", Arrays.stream(states).map(Code::code)
        .toList(), "month", months.stream().map(YearMonth::toString).toList(), counts, k);
  }

  private interface Counts<E> {
    boolean has(Counted c, E e);
  }

  private static <E extends Enum<E>> Table mentions(String id, String dimension, Class<E> type,
      Function<E, String> code, List<Counted> cases, int k, Counts<E> has) {
    E[] values = type.getEnumConstants();
    long[] counts = new long[values.length];
    for (Counted c : cases) {
      for (E e : values) {
        if (has.has(c, e)) {
          counts[e.ordinal()]++;
        }
      }
    }
    return Table.list(id, dimension, Arrays.stream(values).map(code).toList(), counts, k);
  }

  private static Table funnelCounts(List<Counted> cases, int k) {
    FunnelStep[] steps = FunnelStep.values();
    long[] counts = new long[steps.length];
    for (Counted c : cases) {
      counts[FunnelStep.RECEIVED.ordinal()]++;
      c.funnelDays().keySet().forEach(s -> counts[s.ordinal()]++);
    }
    boolean[] hidden = Suppression.apply(counts, List.of(), k);
    List<Cell> cells = new ArrayList<>();
    for (FunnelStep s : steps) {
      cells.add(Cell.of(s.code(), Table.COUNT, counts[s.ordinal()], hidden[s.ordinal()]));
    }
    return new Table(FUNNEL, "step", "measure", Arrays.stream(steps).map(Code::code).toList(),
        List.of(Table.COUNT), cells);
  }

  /**
   * One branch of the funnel: cases with a referral to an institution of its kind that
   * reached each step by the report's day (a case counts at a step if any such referral did).
   * Nested counts: primary suppression only, like {@code funnel}.
   */
  private static Table branch(String id, List<String> steps, List<Counted> cases,
      Function<Counted, boolean[]> reached, int k) {
    long[] counts = new long[steps.size()];
    for (Counted c : cases) {
      boolean[] r = reached.apply(c);
      for (int s = 0; s < steps.size(); s++) {
        counts[s] += r[s] ? 1 : 0;
      }
    }
    boolean[] hidden = Suppression.apply(counts, List.of(), k);
    List<Cell> cells = new ArrayList<>();
    for (int s = 0; s < steps.size(); s++) {
      cells.add(Cell.of(steps.get(s), Table.COUNT, counts[s], hidden[s]));
    }
    return new Table(id, "step", "measure", steps, List.of(Table.COUNT), cells);
  }

  private static Table funnelDays(List<Counted> cases, int k) {
    FunnelStep[] steps = FunnelStep.values();
    List<String> rows = new ArrayList<>();
    List<Cell> cells = new ArrayList<>();
    for (int s = 1; s < steps.length; s++) {
      List<Long> days = new ArrayList<>();
      for (Counted c : cases) {
        Long d = c.funnelDays().get(steps[s]);
        if (d != null) {
          days.add(d);
        }
      }
      days.sort(Long::compare);
      int n = days.size();
      boolean hide = n < k;
      String row = steps[s].code();
      rows.add(row);
      cells.add(Cell.of(row, "n", n, n > 0 && hide));
      cells.add(Cell.of(row, "median_days", hide ? 0 : nearestRank(days, 50), hide));
      boolean hideP90 = hide || n < MIN_N_FOR_P90;
      cells.add(Cell.of(row, "p90_days", hideP90 ? 0 : nearestRank(days, 90), hideP90));
    }
    return new Table(FUNNEL_DAYS, "step", "measure", rows, DAYS_COLUMNS, cells);
  }

  /** Nearest-rank percentile of a sorted, non-empty list: the value at rank ceil(p/100 n). */
  static long nearestRank(List<Long> sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }

  private static Table deadlines(List<Counted> cases, int k) {
    long[] v = new long[2 * 3];
    for (Counted c : cases) {
      add(v, 0, c.acknowledge());
      add(v, 3, c.firstFeedback());
    }
    List<Suppression.Relation> relations = List.of(
        new Suppression.Relation(2, new int[] {0, 1}),
        new Suppression.Relation(5, new int[] {3, 4}));
    boolean[] hidden = Suppression.apply(v, relations, k);
    List<String> rows = List.of(ACKNOWLEDGE, FIRST_FEEDBACK);
    List<Cell> cells = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int b = r * 3;
      for (int c = 0; c < 3; c++) {
        cells.add(Cell.of(rows.get(r), DEADLINE_COLUMNS.get(c), v[b + c], hidden[b + c]));
      }
      boolean hideShare = hidden[b] || hidden[b + 1] || hidden[b + 2] || v[b + 2] == 0;
      BigDecimal share = hideShare ? null : BigDecimal.valueOf(v[b] * 100)
          .divide(BigDecimal.valueOf(v[b + 2]), 1, RoundingMode.HALF_EVEN);
      cells.add(new Cell(rows.get(r), DEADLINE_COLUMNS.get(3), share, hideShare));
    }
    return new Table(DEADLINES, "deadline", "measure", rows, DEADLINE_COLUMNS, cells);
  }

  private static void add(long[] v, int base, DeadlineCount d) {
    if (d != DeadlineCount.NOT_COUNTED) {
      v[base + (d == DeadlineCount.MET ? 0 : 1)]++;
      v[base + 2]++;
    }
  }

  /**
   * Where one case stands toward a deadline: met if the milestone is on or before the due day,
   * not met if it came later or is still missing after the due day; a case whose deadline
   * has not passed and that has no milestone yet is not counted.
   */
  static DeadlineCount count(LocalDate dueDay, LocalDate milestone, LocalDate asOf) {
    LocalDate seen = milestone != null && !milestone.isAfter(asOf) ? milestone : null;
    if (seen != null && !seen.isAfter(dueDay)) {
      return DeadlineCount.MET;
    } else if (seen != null || asOf.isAfter(dueDay)) {
      return DeadlineCount.NOT_MET;
    }
    return DeadlineCount.NOT_COUNTED;
  }
}

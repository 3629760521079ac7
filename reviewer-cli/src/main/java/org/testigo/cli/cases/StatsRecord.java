package org.testigo.cli.cases;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.MxState;

/**
 * Statistical record v1 (docs/spec/retention-and-erasure.md §4.1): the only thing left of an
 * erased case. It holds the month of receipt (never a finer date), closed-vocabulary codes of
 * the questionnaire (state, categories, agencies, whether minors were involved), the close
 * outcome, each referral's institution kind and the stages it reached, whether the report
 * was malformed, and what the statistics count from the case's dated milestones (each
 * deadline met or not, and the whole days between the funnel steps it reached). It has no
 * free text, no id, no reference, no note and no date; {@link #parse} refuses any other field
 * and any value outside the vocabularies, so a record read back cannot smuggle text either.
 *
 * <p>Built by {@link #of} from the replayed case and the report's index entry at the time of
 * erasure, so that {@code stats --from-cache} counts the erased case exactly as before.
 */
public record StatsRecord(YearMonth month, String state, List<String> categories, List<String> agencies,
    Outcome outcome, List<Referral> referrals, boolean minors, boolean malformed,
    Map<String, String> deadlines, Map<String, Integer> funnelDays) {
  public static final int VERSION = 1;
  /** The deadline rows of the statistics, and their values. */
  public static final List<String> DEADLINES = List.of("acknowledge", "first_feedback");
  public static final Set<String> DEADLINE_VALUES = Set.of("met", "not_met");
  /** The funnel steps after {@code received}, as the statistics name them. */
  public static final List<String> FUNNEL_STEPS = List.of("acknowledged", "referred", "investigation_opened",
      "charges", "sentence_or_recommendation");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> FIELDS = Set.of("v", "month", "state", "category", "agency", "outcome",
      "referrals", "minors", "malformed", "deadlines", "funnel_days");

  /** A referral: the institution kind and the stage codes it reached, in path order. */
  public record Referral(ReferralTarget to, List<ReferralStage> stages) {
    public Referral {
      if (to == null || stages == null) {
        throw new IllegalArgumentException("a referral of a statistical record needs its institution and stages");
      }
      for (ReferralStage s : stages) {
        if (!s.allowedFor(to)) {
          throw new IllegalArgumentException("a referral stage does not suit its institution");
        }
      }
      stages = List.copyOf(stages);
    }
  }

  public StatsRecord {
    if (month == null || categories == null || agencies == null || referrals == null || deadlines == null
        || funnelDays == null) {
      throw new IllegalArgumentException("a statistical record needs its month and lists");
    }
    if (state != null && MxState.fromCode(state).isEmpty()) {
      throw new IllegalArgumentException("state is not a code of the questionnaire's list");
    }
    if (!Vocabulary.codes(AbuseCategory.class).containsAll(categories)
        || !Vocabulary.codes(Perpetrator.class).containsAll(agencies)) {
      throw new IllegalArgumentException("a category or agency is not a code of the questionnaire's lists");
    }
    for (var d : deadlines.entrySet()) {
      if (!DEADLINES.contains(d.getKey()) || !DEADLINE_VALUES.contains(d.getValue())) {
        throw new IllegalArgumentException("deadlines hold acknowledge and first_feedback, met or not_met");
      }
    }
    for (var f : funnelDays.entrySet()) {
      if (!FUNNEL_STEPS.contains(f.getKey()) || f.getValue() == null || f.getValue() < 0 || f.getValue() > 100_000) {
        throw new IllegalArgumentException("funnel_days holds the funnel steps, 0..100000 days each");
      }
    }
    categories = List.copyOf(new java.util.TreeSet<>(categories));
    agencies = List.copyOf(new java.util.TreeSet<>(agencies));
    referrals = List.copyOf(referrals);
    deadlines = java.util.Collections.unmodifiableMap(new TreeMap<>(deadlines));
    funnelDays = java.util.Collections.unmodifiableMap(new TreeMap<>(funnelDays));
  }

  /** The facts of the report that a record keeps (from its index entry). */
  public static StatsRecord of(CaseState st, ReportIndex.Entry report, LocalDate today) {
    boolean malformed = report.kind() == ReportIndex.Kind.MALFORMED;
    String state = report.state() != null && MxState.fromCode(report.state()).isPresent() ? report.state() : null;
    List<String> what = report.what().stream().filter(Vocabulary.codes(AbuseCategory.class)::contains).toList();
    List<String> who = report.who().stream().filter(Vocabulary.codes(Perpetrator.class)::contains).toList();
    return of(st, state, what, who, "yes".equals(report.minors()), malformed, today);
  }

  /** The record of a replayed case with the report's enumerated facts, as of {@code today}. */
  public static StatsRecord of(CaseState st, String state, List<String> categories, List<String> agencies,
      boolean minors, boolean malformed, LocalDate today) {
    LocalDate received = st.receivedDay();
    List<Referral> refs = new ArrayList<>();
    Map<String, LocalDate> reached = new java.util.HashMap<>();
    reached.put("received", received);
    put(reached, "acknowledged", day(st.acknowledgedAt()), today);
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(st)) {
      CaseAction.Refer r = o.referral().action();
      List<ReferralStage> stages = new ArrayList<>();
      for (String name : ReferralStage.namesFor(r.to())) {
        ReferralStage s = WireName.parse(ReferralStage.class, name);
        if (ReferralUpdates.earliest(o.updates(), s) != null) {
          stages.add(s);
        }
      }
      refs.add(new Referral(r.to(), stages));
      if (ReferralStage.pathOf(r.to()) != null) {
        boolean commission = ReferralStage.pathOf(r.to()) == ReferralStage.Path.COMMISSION;
        put(reached, "referred", r.date(), today);
        put(reached, "investigation_opened", ReferralUpdates.earliest(o.updates(),
            commission ? ReferralStage.COMPLAINT_ADMITTED : ReferralStage.INVESTIGATION_OPENED), today);
        put(reached, "charges", ReferralUpdates.earliest(o.updates(), ReferralStage.CHARGES_FILED), today);
        put(reached, "sentence_or_recommendation", ReferralUpdates.earliest(o.updates(), ReferralStage.SENTENCE), today);
        put(reached, "sentence_or_recommendation",
            ReferralUpdates.earliest(o.updates(), ReferralStage.RECOMMENDATION_ISSUED), today);
      }
    }
    Map<String, Integer> days = new java.util.HashMap<>();
    List<String> steps = new ArrayList<>(List.of("received"));
    steps.addAll(FUNNEL_STEPS);
    for (int s = 1; s < steps.size(); s++) {
      LocalDate at = reached.get(steps.get(s));
      if (at == null) {
        continue;
      }
      LocalDate previous = null;
      for (int p = s - 1; p >= 0 && previous == null; p--) {
        previous = reached.get(steps.get(p));
      }
      days.put(steps.get(s), (int) Math.max(0, java.time.temporal.ChronoUnit.DAYS.between(previous, at)));
    }
    Map<String, String> deadlines = new java.util.HashMap<>();
    deadline(deadlines, "acknowledge", received.plus(Deadlines.DEFAULT.acknowledge()), day(st.acknowledgedAt()), today);
    deadline(deadlines, "first_feedback", received.plus(Deadlines.DEFAULT.firstFeedback()),
        day(st.firstFeedbackAt()), today);
    boolean closed = st.status() == Status.CLOSED && st.outcome() != null;
    return new StatsRecord(YearMonth.from(received), state, categories, agencies, closed ? st.outcome() : null, refs,
        minors, malformed, deadlines, days);
  }

  private static void put(Map<String, LocalDate> m, String step, LocalDate d, LocalDate today) {
    if (d != null && !d.isAfter(today)) {
      m.merge(step, d, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  /** As the statistics count a deadline: met on or before the due day; not met later, or still missing after it. */
  private static void deadline(Map<String, String> out, String name, LocalDate due, LocalDate milestone, LocalDate today) {
    LocalDate seen = milestone != null && !milestone.isAfter(today) ? milestone : null;
    if (seen != null && !seen.isAfter(due)) {
      out.put(name, "met");
    } else if (seen != null || today.isAfter(due)) {
      out.put(name, "not_met");
    }
  }

  private static LocalDate day(Instant i) {
    return i == null ? null : LocalDate.ofInstant(i, ZoneOffset.UTC);
  }

  /** The JSON object of the record (fixed field order). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("month", month.toString());
    o.put("state", state);
    categories.forEach(o.putArray("category")::add);
    agencies.forEach(o.putArray("agency")::add);
    o.put("outcome", outcome == null ? null : outcome.wire());
    ArrayNode refs = o.putArray("referrals");
    for (Referral r : referrals) {
      ObjectNode ro = refs.addObject();
      ro.put("to", r.to().wire());
      r.stages().forEach(s -> ro.withArray("stages").add(s.wire()));
      ro.withArray("stages");
    }
    o.put("minors", minors);
    o.put("malformed", malformed);
    ObjectNode d = o.putObject("deadlines");
    deadlines.forEach(d::put);
    ObjectNode f = o.putObject("funnel_days");
    for (String step : FUNNEL_STEPS) {
      if (funnelDays.containsKey(step)) {
        f.put(step, funnelDays.get(step));
      }
    }
    return o;
  }

  /** The canonical JSON text. */
  public String toJsonText() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON encoding of a tree cannot fail", e);
    }
  }

  /** Parses a record strictly: exactly its fields, values of the closed lists; the message never repeats a value. */
  public static StatsRecord parse(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a statistical record is a JSON object");
    }
    Set<String> seen = new HashSet<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("a statistical record has an unknown field");
      }
      seen.add(f);
    }
    if (!seen.equals(FIELDS)) {
      throw new IllegalArgumentException("a statistical record lacks a field");
    }
    if (!o.get("v").isIntegralNumber() || o.get("v").asLong() != VERSION) {
      throw new IllegalArgumentException("a statistical record's version is not 1");
    }
    YearMonth month;
    try {
      String m = text(o.get("month"), "month");
      if (!m.matches("[0-9]{4}-[0-9]{2}")) {
        throw new IllegalArgumentException("month must be YYYY-MM");
      }
      month = YearMonth.parse(m);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("month must be YYYY-MM");
    }
    String state = o.get("state").isNull() ? null : text(o.get("state"), "state");
    Outcome outcome = o.get("outcome").isNull() ? null : WireName.parse(Outcome.class, text(o.get("outcome"), "outcome"));
    List<Referral> refs = new ArrayList<>();
    JsonNode ra = o.get("referrals");
    if (!ra.isArray() || ra.size() > 1000) {
      throw new IllegalArgumentException("referrals must be a list");
    }
    for (JsonNode r : ra) {
      if (!r.isObject() || r.size() != 2 || !r.has("to") || !r.has("stages") || !r.get("stages").isArray()) {
        throw new IllegalArgumentException("a referral of a statistical record is {to, stages}");
      }
      List<ReferralStage> stages = new ArrayList<>();
      for (JsonNode s : r.get("stages")) {
        stages.add(WireName.parse(ReferralStage.class, text(s, "stages")));
      }
      refs.add(new Referral(WireName.parse(ReferralTarget.class, text(r.get("to"), "to")), stages));
    }
    Map<String, String> deadlines = new TreeMap<>();
    JsonNode d = o.get("deadlines");
    if (!d.isObject()) {
      throw new IllegalArgumentException("deadlines must be an object");
    }
    d.fields().forEachRemaining(e -> deadlines.put(e.getKey(), text(e.getValue(), "deadlines")));
    Map<String, Integer> days = new TreeMap<>();
    JsonNode f = o.get("funnel_days");
    if (!f.isObject()) {
      throw new IllegalArgumentException("funnel_days must be an object");
    }
    f.fields().forEachRemaining(e -> {
      if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt()) {
        throw new IllegalArgumentException("funnel_days holds whole numbers of days");
      }
      days.put(e.getKey(), e.getValue().asInt());
    });
    return new StatsRecord(month, state, codes(o.get("category"), "category"), codes(o.get("agency"), "agency"),
        outcome, refs, bool(o.get("minors"), "minors"), bool(o.get("malformed"), "malformed"),
        deadlines, days);
  }

  /** Parses the JSON text of a record. */
  public static StatsRecord parse(String json) {
    try {
      return parse(JSON.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("a statistical record is not JSON");
    }
  }

  private static List<String> codes(JsonNode a, String field) {
    if (!a.isArray() || a.size() > 100) {
      throw new IllegalArgumentException(field + " must be a list of codes");
    }
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(text(n, field)));
    return out;
  }

  private static String text(JsonNode n, String field) {
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return n.asText();
  }

  private static boolean bool(JsonNode n, String field) {
    if (n == null || !n.isBoolean()) {
      throw new IllegalArgumentException(field + " must be true or false");
    }
    return n.asBoolean();
  }
}

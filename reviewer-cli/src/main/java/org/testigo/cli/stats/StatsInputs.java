package org.testigo.cli.stats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.cli.cases.CaseAction;
import org.testigo.cli.cases.CaseState;
import org.testigo.cli.cases.ReferralStage;
import org.testigo.cli.cases.ReferralUpdates;
import org.testigo.cli.cases.Status;

/**
 * Builds {@link StatsInput}s: from a replayed {@link CaseState} and its questionnaire, and
 * from the "stats input v1" JSON-lines file (one case per line, docs/spec/case-events.md §7 section 2).
 * Only enumerated fields are read; the questionnaire's free-text fields are never looked at.
 * Errors never repeat the rejected value.
 */
public final class StatsInputs {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> CASE_FIELDS = Set.of("received", "state", "categories",
      "agencies", "acknowledged", "firstFeedback", "closed", "outcome", "referrals");
  private static final Set<String> REFERRAL_FIELDS = Set.of("to", "referred",
      "investigationOpened", "charges", "sentence", "recommendation");

  private StatsInputs() {}

  /** The enumerated facts of a questionnaire v1 (docs/spec/payload-and-questionnaire.md §2): what, who, where.state. */
  public record ReportFacts(MxState state, Set<AbuseCategory> categories, Set<Perpetrator> agencies) {}

  /** Reads what, who and where.state of questionnaire v1 JSON; nothing else is read. */
  public static ReportFacts questionnaire(byte[] json) {
    JsonNode q;
    try {
      q = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the questionnaire is not JSON");
    }
    if (q == null || !q.isObject() || q.path("version").asInt(0) != 1) {
      throw new IllegalArgumentException("not a questionnaire of version 1");
    }
    JsonNode state = q.path("where").path("state");
    return new ReportFacts(state.isTextual() ? MxState.ofIso(state.asText()) : MxState.UNKNOWN,
        codes(q.path("what"), AbuseCategory.class, "what"), codes(q.path("who"), Perpetrator.class, "who"));
  }

  /**
   * The statistics view of a replayed case. Each referral carries its follow-up days from the
   * applied {@code referral_update} events that name it (the earliest of each stage):
   * investigation opened = {@code investigation_opened} (prosecutors) or
   * {@code complaint_admitted} (commissions); charges = {@code charges_filed}; sentence =
   * {@code sentence}; recommendation = {@code recommendation_issued}. Hearings, acquittals,
   * dismissals and conciliations are not funnel steps.
   */
  public static StatsInput fromCase(CaseState c, ReportFacts facts) {
    List<StatsInput.Referral> referrals = new ArrayList<>();
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(c)) {
      CaseAction.Refer r = o.referral().action();
      Institution to = Institution.valueOf(r.to().name());
      var u = o.updates();
      LocalDate opened = to.kind() == Institution.Kind.COMMISSION
          ? ReferralUpdates.earliest(u, ReferralStage.COMPLAINT_ADMITTED)
          : ReferralUpdates.earliest(u, ReferralStage.INVESTIGATION_OPENED);
      referrals.add(to.kind() == Institution.Kind.OTHER ? StatsInput.Referral.of(to, r.date())
          : new StatsInput.Referral(to, r.date(), opened,
              ReferralUpdates.earliest(u, ReferralStage.CHARGES_FILED),
              ReferralUpdates.earliest(u, ReferralStage.SENTENCE),
              ReferralUpdates.earliest(u, ReferralStage.RECOMMENDATION_ISSUED)));
    }
    boolean closed = c.status() == Status.CLOSED && c.closedAt() != null && c.outcome() != null;
    return new StatsInput(c.receivedDay(), facts.state(), facts.categories(), facts.agencies(),
        day(c.acknowledgedAt()), referrals, day(c.firstFeedbackAt()),
        closed ? day(c.closedAt()) : null,
        closed ? CaseOutcome.valueOf(c.outcome().name()) : CaseOutcome.OPEN);
  }

  private static LocalDate day(Instant i) {
    return i == null ? null : LocalDate.ofInstant(i, ZoneOffset.UTC);
  }

  /** Reads a stats-input v1 JSON-lines file; blank lines are skipped. */
  public static List<StatsInput> readJsonLines(Reader in) throws IOException {
    List<StatsInput> out = new ArrayList<>();
    BufferedReader r = new BufferedReader(in);
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(parseCase(JSON.readTree(line)));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + n + ": " + (e instanceof IOException
            ? "not a JSON object" : e.getMessage()));
      }
    }
    return out;
  }

  /** One line of a stats-input v1 file (no line end). */
  public static String toJsonLine(StatsInput c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("received", c.received().toString());
    o.put("state", c.state() == MxState.UNKNOWN ? null : c.state().code());
    ArrayNode what = o.putArray("categories");
    c.categories().forEach(x -> what.add(x.code()));
    ArrayNode who = o.putArray("agencies");
    c.agencies().forEach(x -> who.add(x.code()));
    putDay(o, "acknowledged", c.acknowledged());
    putDay(o, "firstFeedback", c.firstFeedback());
    putDay(o, "closed", c.closed());
    o.put("outcome", c.outcome().code());
    ArrayNode refs = o.putArray("referrals");
    for (StatsInput.Referral r : c.referrals()) {
      ObjectNode ro = refs.addObject();
      ro.put("to", r.to().code());
      putDay(ro, "referred", r.referred());
      putDay(ro, "investigationOpened", r.investigationOpened());
      putDay(ro, "charges", r.charges());
      putDay(ro, "sentence", r.sentence());
      putDay(ro, "recommendation", r.recommendation());
    }
    return o.toString();
  }

  private static void putDay(ObjectNode o, String name, LocalDate d) {
    o.put(name, d == null ? null : d.toString());
  }

  private static StatsInput parseCase(JsonNode o) {
    onlyFields(o, CASE_FIELDS, "case");
    JsonNode state = o.path("state");
    List<StatsInput.Referral> referrals = new ArrayList<>();
    JsonNode refs = o.path("referrals");
    if (!refs.isMissingNode() && !refs.isArray()) {
      throw new IllegalArgumentException("referrals must be a list");
    }
    for (JsonNode r : refs) {
      onlyFields(r, REFERRAL_FIELDS, "referral");
      referrals.add(new StatsInput.Referral(Code.parse(Institution.class, text(r, "to")),
          date(r, "referred"), date(r, "investigationOpened"), date(r, "charges"),
          date(r, "sentence"), date(r, "recommendation")));
    }
    return new StatsInput(date(o, "received"),
        state.isNull() || state.isMissingNode() ? MxState.UNKNOWN : MxState.ofIso(text(o, "state")),
        codes(o.path("categories"), AbuseCategory.class, "categories"),
        codes(o.path("agencies"), Perpetrator.class, "agencies"),
        date(o, "acknowledged"), referrals, date(o, "firstFeedback"), date(o, "closed"),
        Code.parse(CaseOutcome.class, text(o, "outcome")));
  }

  private static void onlyFields(JsonNode o, Set<String> allowed, String what) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a " + what + " must be a JSON object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      if (!allowed.contains(it.next())) {
        throw new IllegalArgumentException("a " + what + " has an unknown field");
      }
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.asText();
  }

  private static LocalDate date(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    try {
      return LocalDate.parse(text(o, field));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be a date yyyy-mm-dd");
    }
  }

  private static <E extends Enum<E> & Vocabulary> Set<E> codes(JsonNode list, Class<E> type,
      String field) {
    EnumSet<E> out = EnumSet.noneOf(type);
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(field + " must be a list");
    }
    for (JsonNode v : list) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException(field + " must hold strings");
      }
      try {
        out.add(Vocabulary.require(type, v.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + " holds an unknown code");
      }
    }
    return out;
  }
}

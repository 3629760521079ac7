package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.cli.stats.CachedStatsInputs;
import org.testigo.cli.stats.MxState;
import org.testigo.cli.stats.StatsEngine;
import org.testigo.cli.stats.StatsFiles;
import org.testigo.cli.stats.StatsInput;
import org.testigo.cli.stats.StatsInputs;
import org.testigo.cli.stats.StatsOptions;
import org.testigo.crypto.event.CaseId;

/** Statistical record v1 (docs/spec/retention-and-erasure.md §4.1). */
class StatsRecordTest {
  private static final String MARKER = "zqmarkerzq";
  private static final LocalDate TODAY = LocalDate.parse("2026-11-20");

  /** A case that uses every free-text field a case can carry, each holding the marker. */
  @Test
  void record_neverHoldsAnyFreeTextOfTheCase() {
    Sim maria = new Sim(MARKER.substring(0, 8));
    List<OpenedCaseEvent> ev = new ArrayList<>();
    ev.add(maria.act(new CaseAction.Acknowledge()));
    ev.add(maria.act(new CaseAction.Assign("a" + MARKER)));
    ev.add(maria.act(new CaseAction.Label(MARKER, true)));
    ev.add(maria.act(new CaseAction.Note("note " + MARKER)));
    CaseAction.Refer other = new CaseAction.Refer(ReferralTarget.OTHER, null, "inst " + MARKER, "ref " + MARKER,
        LocalDate.parse("2026-03-04"));
    ev.add(maria.act(other));
    OpenedCaseEvent fgr = maria.act(new CaseAction.Refer(ReferralTarget.FISCALIA_ESTATAL, "OAX", null,
        "FGEO/" + MARKER, LocalDate.parse("2026-03-05")));
    ev.add(fgr);
    maria.clock = Instant.parse("2026-04-02T10:00:00Z");
    ev.add(maria.act(new CaseAction.ReferralUpdate(fgr.event().eventId(), ReferralStage.INVESTIGATION_OPENED,
        LocalDate.parse("2026-04-01"), "update " + MARKER)));
    ev.add(maria.act(new CaseAction.ReplySent(new byte[32], "reply " + MARKER, "es")));
    ev.add(maria.act(new CaseAction.Link(CaseId.fromHex("00000000000000000000000000000001"), LinkRelation.RELATED)));
    ev.add(maria.act(new CaseAction.LegalHold(true, "hold " + MARKER)));
    ev.add(maria.act(new CaseAction.LegalHold(false, null)));
    ev.add(maria.act(new CaseAction.Close(Outcome.REFERRED)));
    CaseState st = CaseReplay.replay(Sim.CASE, LocalDate.parse("2026-03-01"), ev);
    assertThat(st.history()).allMatch(CaseState.HistoryEntry::applied);
    // the index entry of the report: every text field the index knows holds the marker too
    ReportIndex.Entry entry = new ReportIndex.Entry(Sim.CASE.hex(), 7, "report", Sim.CASE.hex(), "2026-03-01", 1234,
        true, "stamp " + MARKER, ReportIndex.Kind.REPORT, "problem " + MARKER, MARKER,
        List.of("extortion", MARKER), List.of("inm", MARKER), "CHP", "yes", true, List.of(5L));
    StatsRecord r = StatsRecord.of(st, entry, TODAY);
    String json = r.toJsonText();
    assertThat(json).doesNotContain(MARKER).doesNotContain(MARKER.substring(0, 8)).doesNotContain("2026-03-0")
        .doesNotContain(Sim.CASE.hex()).doesNotContain(fgr.event().eventId().hex());
    assertThat(json).contains("\"month\":\"2026-03\"", "\"state\":\"CHP\"", "\"category\":[\"extortion\"]",
        "\"agency\":[\"inm\"]", "\"outcome\":\"referred\"", "\"minors\":true",
        "{\"to\":\"other\",\"stages\":[]}", "{\"to\":\"fiscalia_estatal\",\"stages\":[\"investigation_opened\"]}");
    assertThat(StatsRecord.parse(json)).isEqualTo(r);
    // a state that is not a code of the list is dropped, not kept
    ReportIndex.Entry badState = new ReportIndex.Entry(Sim.CASE.hex(), 7, "report", Sim.CASE.hex(), "2026-03-01",
        1, true, "", ReportIndex.Kind.REPORT, null, null, List.of(), List.of(), MARKER, MARKER, false, List.of());
    assertThat(StatsRecord.of(st, badState, TODAY).toJsonText()).doesNotContain(MARKER).contains("\"state\":null");
  }

  /**
   * Every table of stats is the same whether a case is counted from its replayed events and
   * questionnaire or, once erased, from its statistical record.
   */
  @Test
  void statistics_countAnErasedCaseFromItsRecordExactlyAsBefore() {
    List<CaseState> states = new ArrayList<>();
    List<StatsInputs.ReportFacts> facts = new ArrayList<>();
    List<String> stateCodes = List.of("CHP", "OAX", "VER", "CHP", "TAB", "CHP", "OAX", "VER", "CHP", "SON", "CHP",
        "OAX");
    for (int i = 0; i < 12; i++) {
      CaseId id = CaseId.fromHex(String.format("%032x", i + 1));
      LocalDate received = LocalDate.parse("2026-01-05").plusDays(9L * i);
      Sim s = new Sim("r" + i);
      s.clock = received.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plus(Duration.ofHours(3));
      List<OpenedCaseEvent> ev = new ArrayList<>();
      if (i % 4 != 3) {
        s.clock = s.clock.plus(Duration.ofDays(i % 3 == 0 ? 2 : 11));
        ev.add(s.act(id, new CaseAction.Acknowledge()));
      }
      if (i % 2 == 0) {
        s.clock = s.clock.plus(Duration.ofDays(4 + i));
        OpenedCaseEvent ref = s.act(id, new CaseAction.Refer(i % 4 == 0 ? ReferralTarget.FGR : ReferralTarget.CNDH,
            null, null, "R" + i, LocalDate.ofInstant(s.clock, java.time.ZoneOffset.UTC)));
        ev.add(ref);
        s.clock = s.clock.plus(Duration.ofDays(20 + i));
        ev.add(s.act(id, new CaseAction.ReferralUpdate(ref.event().eventId(), i % 4 == 0
            ? ReferralStage.INVESTIGATION_OPENED : ReferralStage.COMPLAINT_ADMITTED,
            LocalDate.ofInstant(s.clock, java.time.ZoneOffset.UTC), null)));
        if (i % 8 == 0) {
          s.clock = s.clock.plus(Duration.ofDays(30));
          ev.add(s.act(id, new CaseAction.ReferralUpdate(ref.event().eventId(), ReferralStage.CHARGES_FILED,
              LocalDate.ofInstant(s.clock, java.time.ZoneOffset.UTC), null)));
        }
      }
      if (i % 3 != 1) {
        s.clock = s.clock.plus(Duration.ofDays(10 + 5 * i));
        ev.add(s.act(id, new CaseAction.ReplySent(new byte[32], "Gracias", "es")));
      }
      if (i % 5 != 4) {
        s.clock = s.clock.plus(Duration.ofDays(3));
        ev.add(s.act(id, new CaseAction.Close(i % 2 == 0 ? Outcome.REFERRED : Outcome.UNSUBSTANTIATED)));
      }
      assertThat(s.clock).isBefore(Instant.parse("2026-11-01T00:00:00Z"));
      CaseState st = CaseReplay.replay(id, received, ev);
      assertThat(st.history()).allMatch(CaseState.HistoryEntry::applied);
      states.add(st);
      Set<AbuseCategory> cats = i % 2 == 0 ? EnumSet.of(AbuseCategory.EXTORTION, AbuseCategory.ROBBERY)
          : EnumSet.of(AbuseCategory.KIDNAPPING);
      Set<Perpetrator> who = i % 3 == 0 ? EnumSet.of(Perpetrator.INM, Perpetrator.GUARDIA_NACIONAL)
          : EnumSet.noneOf(Perpetrator.class);
      facts.add(new StatsInputs.ReportFacts(MxState.ofIso(stateCodes.get(i)), cats, who));
    }
    StatsOptions options = new StatsOptions(2, null, null, TODAY, Deadlines.DEFAULT);
    List<StatsInput> inputs = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      inputs.add(StatsInputs.fromCase(states.get(i), facts.get(i)));
    }
    byte[] before = StatsFiles.csv(StatsEngine.compute(inputs, options));
    for (int erasedCount : List.of(1, 5, 12)) {
      List<StatsInput> kept = new ArrayList<>();
      List<StatsEngine.Counted> erased = new ArrayList<>();
      for (int i = 0; i < states.size(); i++) {
        if (i < erasedCount) {
          StatsInputs.ReportFacts f = facts.get(i);
          StatsRecord r = StatsRecord.of(states.get(i), f.state() == MxState.UNKNOWN ? null : f.state().code()
              .toUpperCase(java.util.Locale.ROOT), f.categories().stream().map(AbuseCategory::code).toList(),
              f.agencies().stream().map(Perpetrator::code).toList(), false, false, TODAY);
          erased.add(CachedStatsInputs.counted(StatsRecord.parse(r.toJsonText())));
        } else {
          kept.add(inputs.get(i));
        }
      }
      assertThat(StatsFiles.csv(StatsEngine.compute(kept, erased, options))).as(erasedCount + " erased")
          .isEqualTo(before);
    }
    // and the comparison is not vacuous: leaving the erased cases out changes the tables
    assertThat(StatsFiles.csv(StatsEngine.compute(inputs.subList(5, 12), options))).isNotEqualTo(before);
  }
}

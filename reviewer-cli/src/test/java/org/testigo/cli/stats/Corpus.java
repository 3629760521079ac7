package org.testigo.cli.stats;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;

/**
 * A generated corpus of 102 cases with known counts (see the table in each method). Cases are
 * numbered i = 0..101 in order of month, then state; case i of a (state, month) cell j is
 * received on day 1 + j of the month.
 */
final class Corpus {
  static final LocalDate AS_OF = LocalDate.of(2025, 7, 15);
  static final List<MxState> STATES =
      List.of(MxState.CHP, MxState.OAX, MxState.VER, MxState.TAM, MxState.UNKNOWN);
  /** Reports by state (rows as STATES) and month (2025-01..2025-06). OAX/Mar = 2 is small. */
  static final int[][] COUNTS = {
      {10, 8, 6, 0, 7, 9},   // CHP 40
      {6, 5, 2, 6, 5, 5},    // OAX 29
      {5, 6, 7, 5, 0, 6},    // VER 29
      {0, 0, 0, 0, 3, 0},    // TAM 3
      {1, 0, 0, 0, 0, 0}};   // unknown 1
  static final int TOTAL = 102;

  private Corpus() {}

  static List<StatsInput> cases() {
    List<StatsInput> out = new ArrayList<>();
    int i = 0;
    for (int m = 0; m < 6; m++) {
      YearMonth month = YearMonth.of(2025, 1 + m);
      for (int s = 0; s < STATES.size(); s++) {
        for (int j = 0; j < COUNTS[s][m]; j++) {
          out.add(build(i++, STATES.get(s), month.atDay(1 + j)));
        }
      }
    }
    return out;
  }

  private static StatsInput build(int i, MxState state, LocalDate received) {
    // Categories: extortion 60, kidnapping+robbery 30 each, assault 9, trafficking 3.
    Set<AbuseCategory> what = i < 60 ? EnumSet.of(AbuseCategory.EXTORTION)
        : i < 90 ? EnumSet.of(AbuseCategory.KIDNAPPING, AbuseCategory.ROBBERY)
        : i < 99 ? EnumSet.of(AbuseCategory.ASSAULT) : EnumSet.of(AbuseCategory.TRAFFICKING);
    // Agencies: inm 51 (even), criminal-group 51 (odd), guardia-nacional 4 (i < 4).
    Set<Perpetrator> who = EnumSet.of(i % 2 == 0 ? Perpetrator.INM : Perpetrator.CRIMINAL_GROUP);
    if (i < 4) {
      who.add(Perpetrator.GUARDIA_NACIONAL);
    }
    // Acknowledged for i < 90 after i % 10 days: 72 within 7 days, 18 late, 12 never.
    LocalDate ack = i < 90 ? received.plusDays(i % 10) : null;
    // First feedback after 30 days for January and February (i < 41).
    LocalDate feedback = i < 41 ? received.plusDays(30) : null;
    List<StatsInput.Referral> refs = new ArrayList<>();
    if (i < 40) {
      // Referred after 10 days: FGR (even), CNDH (odd). Investigation 30 days later, i < 20.
      LocalDate referred = received.plusDays(10);
      LocalDate inv = i < 20 ? referred.plusDays(30) : null;
      if (i % 2 == 0) {
        LocalDate charges = i < 8 ? inv.plusDays(60) : null;       // 4 cases: small
        LocalDate sentence = i == 0 ? charges.plusDays(60) : null;   // 1 case
        refs.add(new StatsInput.Referral(Institution.FGR, referred, inv, charges, sentence,
            null));
      } else {
        LocalDate rec = i < 12 ? inv.plusDays(90) : null;            // 6 cases
        refs.add(new StatsInput.Referral(Institution.CNDH, referred, inv, null, null, rec));
      }
    } else if (i < 43) {
      refs.add(StatsInput.Referral.of(Institution.COMAR, received.plusDays(5)));  // 3: small
    }
    // Closed after 60 days: substantiated 10, unsubstantiated 10, referred 7, withdrawn 3.
    CaseOutcome outcome = i < 10 ? CaseOutcome.SUBSTANTIATED : i < 20
        ? CaseOutcome.UNSUBSTANTIATED : i < 27 ? CaseOutcome.REFERRED : i < 30
        ? CaseOutcome.WITHDRAWN : CaseOutcome.OPEN;
    LocalDate closed = outcome == CaseOutcome.OPEN ? null : received.plusDays(60);
    return new StatsInput(received, state, what, who, ack, refs, feedback, closed, outcome);
  }
}

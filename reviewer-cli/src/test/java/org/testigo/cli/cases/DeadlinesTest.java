package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.cli.cases.CaseState.DeadlineKind;
import org.testigo.cli.cases.CaseState.DeadlineState;
import org.testigo.cli.cases.CaseState.DeadlineStatus;

class DeadlinesTest {
  private static final LocalDate RECEIVED = LocalDate.parse("2026-03-02");

  @Test
  void defaults_areSevenDaysAndThreeMonthsToTheEndOfTheDay() {
    assertThat(Deadlines.DEFAULT.acknowledgeDue(RECEIVED))
        .isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(Deadlines.DEFAULT.firstFeedbackDue(RECEIVED))
        .isEqualTo(Instant.parse("2026-06-03T00:00:00Z"));
  }

  @Test
  void unacknowledgedCase_isOverdueFromTheEighthDay() {
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED, List.of());
    assertThat(s.overdue(Instant.parse("2026-03-09T23:59:59Z"), Deadlines.DEFAULT)).isEmpty();
    assertThat(s.overdue(Instant.parse("2026-03-10T00:00:00Z"), Deadlines.DEFAULT))
        .extracting(DeadlineStatus::kind).containsExactly(DeadlineKind.ACKNOWLEDGE);
    assertThat(s.overdue(Instant.parse("2026-06-03T00:00:00Z"), Deadlines.DEFAULT))
        .extracting(DeadlineStatus::kind)
        .containsExactly(DeadlineKind.ACKNOWLEDGE, DeadlineKind.FIRST_FEEDBACK);
  }

  @Test
  void acknowledgementAndFeedback_stopTheClocksAndLateOnesAreMarkedLate() {
    Sim m = new Sim("maria");
    m.clock = Instant.parse("2026-03-12T08:00:00Z");
    OpenedCaseEvent ack = m.act(new CaseAction.Acknowledge());
    OpenedCaseEvent fb = m.act(new CaseAction.FeedbackGiven());
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(ack, fb));
    Instant later = Instant.parse("2026-09-01T00:00:00Z");
    assertThat(s.overdue(later, Deadlines.DEFAULT)).isEmpty();
    assertThat(s.deadlines(later, Deadlines.DEFAULT)).extracting(DeadlineStatus::state)
        .containsExactly(DeadlineState.MET_LATE, DeadlineState.MET);
  }

  @Test
  void closedCase_isNotOverdueButShowsTheUnmetDeadline() {
    Sim m = new Sim("maria");
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED,
        List.of(m.act(new CaseAction.Close(Outcome.DUPLICATE))));
    Instant later = Instant.parse("2026-09-01T00:00:00Z");
    assertThat(s.isOverdue(later, Deadlines.DEFAULT)).isFalse();
    assertThat(s.deadlines(later, Deadlines.DEFAULT)).extracting(DeadlineStatus::state)
        .containsExactly(DeadlineState.CLOSED_UNMET, DeadlineState.CLOSED_UNMET);
  }

  @Test
  void deadlines_areConfigurable() {
    Deadlines strict = new Deadlines(Period.ofDays(2), Period.ofDays(30));
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED, List.of());
    Instant t = Instant.parse("2026-03-05T00:00:00Z");
    assertThat(s.isOverdue(t, strict)).isTrue();
    assertThat(s.isOverdue(t, Deadlines.DEFAULT)).isFalse();
    assertThat(s.deadlines(t, Deadlines.DEFAULT)).extracting(DeadlineStatus::state)
        .containsExactly(DeadlineState.PENDING, DeadlineState.PENDING);
  }

  @Test
  void firstReplyTheSourceCanRead_meetsTheFirstFeedbackDeadline() {
    Sim m = new Sim("maria");
    m.clock = Instant.parse("2026-04-01T10:00:00Z");
    OpenedCaseEvent reply = m.act(new CaseAction.ReplySent(new byte[32]));
    m.clock = Instant.parse("2026-07-01T10:00:00Z");
    OpenedCaseEvent second = m.act(new CaseAction.ReplySent(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
    OpenedCaseEvent close = m.act(new CaseAction.Close(Outcome.UNSUBSTANTIATED));
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(reply, second, close));
    assertThat(s.firstFeedbackAt()).isEqualTo(reply.event().createdAt());
    Instant later = Instant.parse("2026-09-01T00:00:00Z");
    assertThat(s.deadlines(later, Deadlines.DEFAULT)).extracting(DeadlineStatus::state)
        .containsExactly(DeadlineState.CLOSED_UNMET, DeadlineState.MET);

    CaseState open = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(reply));
    assertThat(open.overdue(later, Deadlines.DEFAULT)).extracting(DeadlineStatus::kind)
        .containsExactly(DeadlineKind.ACKNOWLEDGE);
  }
}

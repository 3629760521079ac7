package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay of reopen events, kept replies and the follow-up-after-close mark (docs/spec/case-events.md §3, §4). */
class ReopenAndRepliesReplayTest {
  private static final LocalDate RECEIVED = LocalDate.parse("2026-03-01");

  private static CaseState replay(List<OpenedCaseEvent> events) {
    return CaseReplay.replay(Sim.CASE, RECEIVED, events);
  }

  private static CaseAction.Refer referral() {
    return new CaseAction.Refer(ReferralTarget.FGR, null, null, "FGR/1/2026", LocalDate.parse("2026-03-02"));
  }

  @Test
  void reopen_bringsAClosedCaseBackToTheStatusItHadBeforeTheClose() {
    Sim maria = new Sim("maria");
    List<OpenedCaseEvent> ev = new ArrayList<>(List.of(
        maria.act(new CaseAction.SetStatus(Status.INVESTIGATING)),
        maria.act(new CaseAction.Close(Outcome.INSUFFICIENT_EVIDENCE)),
        maria.act(new CaseAction.Reopen())));
    CaseState s = replay(ev);
    assertThat(s.status()).isEqualTo(Status.INVESTIGATING);
    assertThat(s.outcome()).isNull();
    assertThat(s.closedAt()).isNull();
    assertThat(s.history()).allMatch(CaseState.HistoryEntry::applied);

    ev.add(maria.act(referral()));
    ev.add(maria.act(new CaseAction.Close(Outcome.REFERRED)));
    ev.add(maria.act(new CaseAction.Reopen()));
    assertThat(replay(ev).status()).isEqualTo(Status.REFERRED);
  }

  @Test
  void reopen_ofACaseClosedWhileNewGoesBackToNew() {
    Sim maria = new Sim("maria");
    CaseState s = replay(List.of(maria.act(new CaseAction.Close(Outcome.SPAM)), maria.act(new CaseAction.Reopen())));
    assertThat(s.status()).isEqualTo(Status.NEW);
  }

  @Test
  void reopen_ofAnOpenCaseIsRejectedAndChangesNothing() {
    Sim maria = new Sim("maria");
    CaseState s = replay(List.of(maria.act(new CaseAction.SetStatus(Status.UNDER_REVIEW)),
        maria.act(new CaseAction.Reopen())));
    assertThat(s.status()).isEqualTo(Status.UNDER_REVIEW);
    assertThat(s.history().get(1).flag()).isEqualTo(CaseState.Flag.REJECTED);
    assertThat(s.history().get(1).reason()).isEqualTo("the case is not closed");
  }

  @Test
  void reopen_concurrentWithAnotherReviewersNote_convergesWhateverTheArrivalOrder() {
    Sim maria = new Sim("maria");
    Sim jose = new Sim("jose");
    List<OpenedCaseEvent> ev = new ArrayList<>();
    ev.add(maria.act(new CaseAction.SetStatus(Status.INVESTIGATING)));
    ev.add(maria.act(new CaseAction.Close(Outcome.WITHDRAWN)));
    jose.learn(ev);
    ev.add(maria.act(new CaseAction.Reopen()));
    ev.add(jose.act(new CaseAction.Note("La fuente volvió a escribir.")));
    CaseState one = replay(ev);
    List<OpenedCaseEvent> reversed = new ArrayList<>(ev);
    java.util.Collections.reverse(reversed);
    assertThat(replay(reversed)).isEqualTo(one);
    assertThat(one.status()).isEqualTo(Status.INVESTIGATING);
    assertThat(one.notes()).hasSize(1);
  }

  @Test
  void keptReply_isInTheStateWithItsTextLanguageAndSender_andMeetsFirstFeedback() {
    Sim maria = new Sim("maria");
    OpenedCaseEvent old = maria.act(new CaseAction.ReplySent(new byte[32]));
    OpenedCaseEvent kept = maria.act(new CaseAction.ReplySent(new byte[32], "Recibimos su denuncia.", "es"));
    CaseState s = replay(List.of(old, kept));
    assertThat(s.replies()).hasSize(2);
    assertThat(s.replies().get(0).action().kept()).isFalse();
    assertThat(s.replies().get(1).action().text()).isEqualTo("Recibimos su denuncia.");
    assertThat(s.replies().get(1).action().language()).isEqualTo("es");
    assertThat(s.replies().get(1).author()).isEqualTo("maria");
    assertThat(s.firstFeedbackAt()).isEqualTo(old.event().createdAt());
  }

  @Test
  void followUpAfterClose_isMarkedWhileClosedForAFollowUpOnOrAfterTheCloseDay() {
    Sim maria = new Sim("maria"); // clock starts 2026-03-02T09:00Z, one minute per event
    List<OpenedCaseEvent> ev = new ArrayList<>(List.of(maria.act(new CaseAction.Close(Outcome.WITHDRAWN))));
    CaseState closed = replay(ev);
    LocalDate closeDay = LocalDate.parse("2026-03-02");
    assertThat(closed.followUpAfterClose(List.of(closeDay.minusDays(1)))).isNull();
    assertThat(closed.followUpAfterClose(List.of(closeDay))).isEqualTo(closeDay);
    assertThat(closed.followUpAfterClose(List.of(closeDay.minusDays(3), closeDay.plusDays(4), closeDay.plusDays(2))))
        .isEqualTo(closeDay.plusDays(4));
    assertThat(closed.followUpAfterClose(List.of())).isNull();
    ev.add(maria.act(new CaseAction.Reopen()));
    assertThat(replay(ev).followUpAfterClose(List.of(closeDay.plusDays(4)))).isNull();
  }
}

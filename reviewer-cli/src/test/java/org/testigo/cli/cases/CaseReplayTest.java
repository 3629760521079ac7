package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testigo.cli.cases.CaseAction.Acknowledge;
import org.testigo.cli.cases.CaseAction.Assign;
import org.testigo.cli.cases.CaseAction.Close;
import org.testigo.cli.cases.CaseAction.FeedbackGiven;
import org.testigo.cli.cases.CaseAction.Label;
import org.testigo.cli.cases.CaseAction.Link;
import org.testigo.cli.cases.CaseAction.Note;
import org.testigo.cli.cases.CaseAction.Refer;
import org.testigo.cli.cases.CaseAction.ReplySent;
import org.testigo.cli.cases.CaseAction.SetPriority;
import org.testigo.cli.cases.CaseAction.SetStatus;
import org.testigo.cli.cases.CaseState.Flag;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;

class CaseReplayTest {
  private static final LocalDate RECEIVED = LocalDate.parse("2026-03-01");

  private static CaseState replay(List<OpenedCaseEvent> events) {
    return CaseReplay.replay(Sim.CASE, RECEIVED, events);
  }

  private static Refer referral() {
    return new Refer(ReferralTarget.FISCALIA_ESTATAL, "OAX", null, "FGEO/123/2026",
        LocalDate.parse("2026-03-04"));
  }

  @Test
  void replay_ofNoEventsIsANewUnassignedNormalCase() {
    CaseState s = replay(List.of());
    assertThat(s.status()).isEqualTo(Status.NEW);
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.assignee()).isNull();
    assertThat(s.labels()).isEmpty();
    assertThat(s.history()).isEmpty();
  }

  @Test
  void replay_followsASingleReviewersLifecycle() {
    Sim maria = new Sim("maria");
    List<OpenedCaseEvent> ev = List.of(
        maria.act(new Acknowledge()),
        maria.act(new Assign("jose")),
        maria.act(new SetPriority(Priority.URGENT)),
        maria.act(new Label("inm", true)),
        maria.act(new Label("extortion", true)),
        maria.act(new SetStatus(Status.INVESTIGATING)),
        maria.act(new Note("Testigo confirma retén en Arriaga.")),
        maria.act(referral()),
        maria.act(new Link(CaseId.fromHex("00000000000000000000000000000001"),
            LinkRelation.RELATED)),
        maria.act(new ReplySent(new byte[32])),
        maria.act(new FeedbackGiven()),
        maria.act(new Label("extortion", false)),
        maria.act(new Close(Outcome.REFERRED)));
    CaseState s = replay(ev);
    assertThat(s.status()).isEqualTo(Status.CLOSED);
    assertThat(s.outcome()).isEqualTo(Outcome.REFERRED);
    assertThat(s.assignee()).isEqualTo("jose");
    assertThat(s.priority()).isEqualTo(Priority.URGENT);
    assertThat(s.labels()).containsExactly("inm");
    assertThat(s.notes()).extracting(n -> n.action().text())
        .containsExactly("Testigo confirma retén en Arriaga.");
    assertThat(s.referrals()).hasSize(1);
    assertThat(s.links()).hasSize(1);
    assertThat(s.replies()).hasSize(1);
    assertThat(s.acknowledgedAt()).isEqualTo(ev.get(0).event().createdAt());
    // the reply (index 9) is the first feedback the source can read (issue #19), before feedback_given
    assertThat(s.firstFeedbackAt()).isEqualTo(ev.get(9).event().createdAt());
    assertThat(s.closedAt()).isEqualTo(ev.get(12).event().createdAt());
    assertThat(s.history()).hasSize(13).allMatch(CaseState.HistoryEntry::applied);
  }

  @Test
  void closedCase_refusesEverythingButReopenNotesLinksRepliesAndFeedback() {
    Sim m = new Sim("maria");
    List<OpenedCaseEvent> ev = new ArrayList<>(List.of(
        m.act(new Close(Outcome.UNSUBSTANTIATED)),
        m.act(new Assign("luis")),
        m.act(new SetPriority(Priority.HIGH)),
        m.act(new Label("x", true)),
        m.act(new Acknowledge()),
        m.act(new Close(Outcome.DUPLICATE)),
        m.act(referral()),
        m.act(new Note("after close")),
        m.act(new FeedbackGiven())));
    CaseState s = replay(ev);
    assertThat(s.status()).isEqualTo(Status.CLOSED);
    assertThat(s.outcome()).isEqualTo(Outcome.UNSUBSTANTIATED);
    assertThat(s.assignee()).isNull();
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.labels()).isEmpty();
    assertThat(s.history()).extracting(CaseState.HistoryEntry::flag).containsExactly(
        Flag.APPLIED, Flag.REJECTED, Flag.REJECTED, Flag.REJECTED, Flag.REJECTED,
        Flag.REJECTED, Flag.REJECTED, Flag.APPLIED, Flag.APPLIED);
    assertThat(s.history().get(1).reason()).contains("closed");

    ev.add(m.act(new SetStatus(Status.UNDER_REVIEW)));
    ev.add(m.act(new Assign("luis")));
    CaseState reopened = replay(ev);
    assertThat(reopened.status()).isEqualTo(Status.UNDER_REVIEW);
    assertThat(reopened.outcome()).isNull();
    assertThat(reopened.closedAt()).isNull();
    assertThat(reopened.assignee()).isEqualTo("luis");
  }

  @Test
  void referredOutcomeOrStatus_needsARecordedReferral() {
    Sim m = new Sim("maria");
    OpenedCaseEvent status = m.act(new SetStatus(Status.REFERRED));
    OpenedCaseEvent close = m.act(new Close(Outcome.REFERRED));
    CaseState s = replay(List.of(status, close));
    assertThat(s.status()).isEqualTo(Status.NEW);
    assertThat(s.history()).allMatch(h -> h.flag() == Flag.REJECTED);
    OpenedCaseEvent refer = m.act(referral());
    OpenedCaseEvent close2 = m.act(new Close(Outcome.REFERRED));
    CaseState t = replay(List.of(status, close, refer, close2));
    assertThat(t.status()).isEqualTo(Status.CLOSED);
    assertThat(t.outcome()).isEqualTo(Outcome.REFERRED);
  }

  @Test
  void referral_setsStatusReferredAndAcknowledgeOnlyMovesANewCase() {
    Sim m = new Sim("maria");
    OpenedCaseEvent status = m.act(new SetStatus(Status.INVESTIGATING));
    OpenedCaseEvent ack = m.act(new Acknowledge());
    CaseState s = replay(List.of(status, ack));
    assertThat(s.status()).isEqualTo(Status.INVESTIGATING);
    assertThat(s.acknowledgedAt()).isEqualTo(ack.event().createdAt());
    CaseState r = replay(List.of(status, ack, m.act(referral())));
    assertThat(r.status()).isEqualTo(Status.REFERRED);
  }

  @Test
  void concurrentRegisterWrites_lastWriterByLamportThenEventIdWins() {
    Sim a = new Sim("maria");
    Sim b = new Sim("jose");
    OpenedCaseEvent base = a.act(new Acknowledge());
    b.learn(List.of(base));
    OpenedCaseEvent fromA = a.act(new Assign("maria"));
    OpenedCaseEvent fromB = b.act(new Assign("jose"));
    assertThat(fromA.event().lamport()).isEqualTo(fromB.event().lamport());
    String expected = fromA.event().eventId().compareTo(fromB.event().eventId()) > 0
        ? "maria" : "jose";
    assertThat(replay(List.of(base, fromA, fromB)).assignee()).isEqualTo(expected);
    assertThat(replay(List.of(fromB, base, fromA)).assignee()).isEqualTo(expected);
    b.learn(List.of(fromA));
    OpenedCaseEvent later = b.act(new Assign(null));
    assertThat(replay(List.of(later, fromA, base, fromB)).assignee()).isNull();
  }

  @Test
  void concurrentCloseAndAssign_endTheSameWhateverTheArrivalOrder() {
    Sim a = new Sim("maria");
    Sim b = new Sim("jose");
    OpenedCaseEvent base = a.act(new Acknowledge());
    b.learn(List.of(base));
    OpenedCaseEvent close = a.act(new Close(Outcome.WITHDRAWN));
    OpenedCaseEvent assign = b.act(new Assign("jose"));
    CaseState one = replay(List.of(base, close, assign));
    CaseState two = replay(List.of(assign, close, base));
    assertThat(one).isEqualTo(two);
    assertThat(one.status()).isEqualTo(Status.CLOSED);
    boolean assignFirst = assign.event().eventId().compareTo(close.event().eventId()) < 0;
    assertThat(one.assignee()).isEqualTo(assignFirst ? "jose" : null);
  }

  @Test
  void labels_concurrentAddWinsOverRemoveThatDidNotSeeIt() {
    Sim a = new Sim("maria");
    Sim b = new Sim("jose");
    OpenedCaseEvent add = a.act(new Label("inm", true));
    b.learn(List.of(add));
    OpenedCaseEvent remove = b.act(new Label("inm", false));
    OpenedCaseEvent concurrentAdd = a.act(new Label("inm", true));
    assertThat(replay(List.of(add, remove)).labels()).isEmpty();
    assertThat(replay(List.of(add, remove, concurrentAdd)).labels()).containsExactly("inm");
    assertThat(replay(List.of(concurrentAdd, remove, add)).labels()).containsExactly("inm");
    a.learn(List.of(remove));
    OpenedCaseEvent removeAll = a.act(new Label("inm", false));
    assertThat(replay(List.of(add, remove, concurrentAdd, removeAll)).labels()).isEmpty();
  }

  @Test
  void eventsWithMissingParents_areHeldBackWithTheirDescendants() {
    Sim m = new Sim("maria");
    OpenedCaseEvent first = m.act(new Assign("maria"));
    OpenedCaseEvent second = m.act(new SetPriority(Priority.HIGH));
    OpenedCaseEvent third = m.act(new Label("inm", true));
    CaseState s = replay(List.of(first, third));
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.labels()).isEmpty();
    assertThat(s.history()).extracting(CaseState.HistoryEntry::flag)
        .containsExactly(Flag.APPLIED, Flag.MISSING_PARENTS);
    OpenedCaseEvent fourth = m.act(new Note("n"));
    assertThat(replay(List.of(first, third, fourth)).history())
        .extracting(CaseState.HistoryEntry::flag)
        .containsExactly(Flag.APPLIED, Flag.MISSING_PARENTS, Flag.MISSING_PARENTS);
    assertThat(replay(List.of(first, second, third, fourth)).history())
        .allMatch(CaseState.HistoryEntry::applied);
  }

  @Test
  void eventWithLamportNotAfterItsParent_isFlaggedAndIgnored() {
    Sim m = new Sim("maria");
    OpenedCaseEvent first = m.act(new Assign("maria"));
    SignedCaseEvent bad = SignedCaseEvent.signHash(m.key, Sim.CASE, first.event().lamport(),
        List.of(first.event().eventId()), first.event().createdAt().plusSeconds(5),
        new byte[32]);
    CaseState s = replay(List.of(first, new OpenedCaseEvent(bad, "maria", new Assign(null))));
    assertThat(s.assignee()).isEqualTo("maria");
    assertThat(s.history().get(1).flag()).isEqualTo(Flag.BAD_LAMPORT);
  }

  @Test
  void unreadableAndWrongCaseEvents_stayInHistoryAndChangeNothing() {
    Sim m = new Sim("maria");
    OpenedCaseEvent ok = m.act(new SetPriority(Priority.LOW));
    OpenedCaseEvent readable = m.act(new SetPriority(Priority.URGENT));
    OpenedCaseEvent unreadable = new OpenedCaseEvent(readable.event(), "maria", null);
    OpenedCaseEvent other = new Sim("jose").act(CaseId.fromHex("ffffffffffffffffffffffffffffffff"),
        new Close(Outcome.DUPLICATE));
    CaseState s = replay(List.of(other, unreadable, ok, other));
    assertThat(s.priority()).isEqualTo(Priority.LOW);
    assertThat(s.status()).isEqualTo(Status.NEW);
    assertThat(s.history()).extracting(CaseState.HistoryEntry::flag)
        .containsExactly(Flag.APPLIED, Flag.UNREADABLE, Flag.WRONG_CASE);
  }

  @Test
  void linkToItself_isRejected() {
    Sim m = new Sim("maria");
    CaseState s = replay(List.of(m.act(new Link(Sim.CASE, LinkRelation.DUPLICATE_OF))));
    assertThat(s.links()).isEmpty();
    assertThat(s.history().get(0).flag()).isEqualTo(Flag.REJECTED);
  }

  @Test
  void replayOrder_isTheSortByLamportThenEventIdWhenCountersAreValid() {
    List<OpenedCaseEvent> events = simulate(new Random(11), 3, 60);
    CaseState s = replay(events);
    List<OpenedCaseEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing((OpenedCaseEvent o) -> o.event().lamport())
        .thenComparing(o -> o.event().eventId()));
    assertThat(s.history()).extracting(CaseState.HistoryEntry::eventId)
        .containsExactlyElementsOf(sorted.stream().map(o -> o.event().eventId()).toList());
  }

  /**
   * Property: reviewers acting concurrently (random syncs, random actions, forks and merges),
   * then the resulting event set replayed in 1000 random arrival orders (with duplicates)
   * for each of 20 histories, gives one identical state.
   */
  @Test
  void replay_isIdenticalForEveryArrivalOrderOfConcurrentEvents() {
    Random random = new Random(20260302);
    Set<Status> statusesSeen = new HashSet<>();
    int concurrentHistories = 0;
    for (int history = 0; history < 20; history++) {
      List<OpenedCaseEvent> events = simulate(random, 2 + random.nextInt(3), 25 + random.nextInt(40));
      CaseState reference = replay(events);
      statusesSeen.add(reference.status());
      if (events.stream().anyMatch(e -> e.event().parents().size() > 1)) {
        concurrentHistories++;
      }
      for (int shuffle = 0; shuffle < 1000; shuffle++) {
        List<OpenedCaseEvent> arrival = new ArrayList<>(events);
        if (shuffle % 10 == 0) {
          arrival.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(arrival, random);
        assertThat(replay(arrival)).isEqualTo(reference);
      }
    }
    assertThat(concurrentHistories).isGreaterThan(10);
    assertThat(statusesSeen.size()).isGreaterThan(1);
  }

  /** Reviewers who sometimes sync and otherwise act on their own stale view. */
  static List<OpenedCaseEvent> simulate(Random random, int reviewers, int steps) {
    String[] names = {"maria", "jose", "luis", "ana"};
    List<Sim> sims = new ArrayList<>();
    for (int i = 0; i < reviewers; i++) {
      sims.add(new Sim(names[i]));
    }
    List<OpenedCaseEvent> all = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      Sim s = sims.get(random.nextInt(sims.size()));
      if (random.nextInt(4) == 0) {
        s.learn(all);
      } else {
        all.add(s.act(randomAction(random, names)));
      }
    }
    return all;
  }

  static CaseAction randomAction(Random r, String[] names) {
    String[] labels = {"inm", "extortion", "minor"};
    return switch (r.nextInt(12)) {
      case 0 -> new Acknowledge();
      case 1 -> new Assign(r.nextInt(4) == 0 ? null : names[r.nextInt(names.length)]);
      case 2 -> new SetStatus(Status.values()[1 + r.nextInt(4)]);
      case 3 -> new SetPriority(Priority.values()[r.nextInt(4)]);
      case 4, 5 -> new Label(labels[r.nextInt(labels.length)], r.nextBoolean());
      case 6 -> new Note("note " + r.nextInt(1000));
      case 7 -> referral();
      case 8 -> new Close(Outcome.values()[r.nextInt(Outcome.values().length)]);
      case 9 -> new Link(CaseId.fromHex("0000000000000000000000000000000" + r.nextInt(10)),
          LinkRelation.values()[r.nextInt(2)]);
      case 10 -> new ReplySent(Sim.sha256("reply" + r.nextInt()));
      default -> new FeedbackGiven();
    };
  }
}

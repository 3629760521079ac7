package org.testigo.cli.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.testigo.cli.cases.CaseState.Flag;
import org.testigo.cli.cases.CaseState.HistoryEntry;
import org.testigo.cli.cases.CaseState.Recorded;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;

/**
 * Replays the verified events of one case into its {@link CaseState}. A pure function of
 * the SET of events: the order in which they are given, and duplicates, make no difference.
 *
 * <p>Replay order: a topological order of the parent graph (Kahn's algorithm) that always
 * takes, among the events whose known parents are all done, the least by
 * (Lamport, event id as unsigned bytes). When every event's Lamport counter exceeds its
 * parents' (checked; others are flagged {@link Flag#BAD_LAMPORT}), this order is exactly the
 * sort by (Lamport, event id), so "last applied" is "last writer by (Lamport, event id)".
 *
 * <p>Rules (docs/spec/case-events.md, "Replay"): a case starts NEW, priority NORMAL, unassigned.
 * An event for another case, with a missing ancestor, with a bad Lamport counter, or whose
 * content is unreadable is kept in the history and ignored. A closed case accepts only a
 * status event or a reopen event (which reopen it and clear the outcome; reopen restores the
 * status the case had when it was closed), notes, links, replies and feedback. Closing needs an outcome; outcome or status "referred" needs a recorded
 * referral; a label removal removes only the additions it had seen (its ancestors), so a
 * concurrent addition wins. The first reply or feedback_given meets the first-feedback
 * deadline (docs/spec/case-events.md §5). {@code legal_hold set} puts the case under hold (also a
 * closed case) until a {@code release} (refused when not held); an {@code erasure} event changes
 * nothing (docs/spec/retention-and-erasure.md §4).
 */
public final class CaseReplay {
  static final Comparator<SignedCaseEvent> ORDER =
      Comparator.comparingLong(SignedCaseEvent::lamport).thenComparing(SignedCaseEvent::eventId);

  private CaseReplay() {}

  /** Replays {@code events} (any order, duplicates ignored) for {@code caseId}. */
  public static CaseState replay(CaseId caseId, LocalDate receivedDay,
      Collection<OpenedCaseEvent> events) {
    Map<EventId, OpenedCaseEvent> byId = new HashMap<>();
    List<OpenedCaseEvent> wrongCase = new ArrayList<>();
    for (OpenedCaseEvent e : events) {
      if (!e.event().caseId().equals(caseId)) {
        wrongCase.add(e);
      } else {
        byId.putIfAbsent(e.event().eventId(), e);
      }
    }
    List<OpenedCaseEvent> order = topologicalOrder(byId);
    Replayer r = new Replayer(caseId, receivedDay, byId, order);
    for (OpenedCaseEvent e : order) {
      r.step(e);
    }
    wrongCase.sort(Comparator.comparing(OpenedCaseEvent::event, ORDER));
    EventId last = null;
    for (OpenedCaseEvent e : wrongCase) {
      if (!e.event().eventId().equals(last)) {
        r.flag(e, Flag.WRONG_CASE, "signed for another case");
      }
      last = e.event().eventId();
    }
    return r.state();
  }

  private static final CaseState FRESH = replay(CaseId.fromHex("00".repeat(CaseId.LENGTH)), LocalDate.EPOCH,
      List.of());

  /**
   * The state of a case without events: what {@link #replay} gives for no events, without
   * replaying (list computes it for every report that nobody has touched yet).
   */
  public static CaseState fresh(CaseId caseId, LocalDate receivedDay) {
    CaseState f = FRESH;
    return new CaseState(caseId, receivedDay, f.status(), f.assignee(), f.priority(), f.outcome(),
        f.labels(), f.notes(), f.referrals(), f.links(), f.replies(), f.acknowledgedAt(),
        f.firstFeedbackAt(), f.closedAt(), f.history(), f.legalHold());
  }

  private static List<OpenedCaseEvent> topologicalOrder(Map<EventId, OpenedCaseEvent> byId) {
    Map<EventId, Integer> pending = new HashMap<>();
    Map<EventId, List<OpenedCaseEvent>> children = new HashMap<>();
    for (OpenedCaseEvent e : byId.values()) {
      int known = 0;
      for (EventId p : e.event().parents()) {
        if (byId.containsKey(p)) {
          known++;
          children.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
        }
      }
      pending.put(e.event().eventId(), known);
    }
    PriorityQueue<OpenedCaseEvent> ready =
        new PriorityQueue<>(Comparator.comparing(OpenedCaseEvent::event, ORDER));
    for (OpenedCaseEvent e : byId.values()) {
      if (pending.get(e.event().eventId()) == 0) {
        ready.add(e);
      }
    }
    List<OpenedCaseEvent> out = new ArrayList<>(byId.size());
    while (!ready.isEmpty()) {
      OpenedCaseEvent e = ready.poll();
      out.add(e);
      for (OpenedCaseEvent c : children.getOrDefault(e.event().eventId(), List.of())) {
        if (pending.merge(c.event().eventId(), -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    // An event id is the hash of a body naming its parents, so a cycle would need a SHA-256
    // preimage; should one ever be given, its events are still placed, in (Lamport, id) order.
    if (out.size() < byId.size()) {
      List<OpenedCaseEvent> rest = new ArrayList<>();
      Set<EventId> placed = new java.util.HashSet<>();
      out.forEach(e -> placed.add(e.event().eventId()));
      for (OpenedCaseEvent e : byId.values()) {
        if (!placed.contains(e.event().eventId())) {
          rest.add(e);
        }
      }
      rest.sort(Comparator.comparing(OpenedCaseEvent::event, ORDER));
      out.addAll(rest);
    }
    return out;
  }

  /** Sequential application in replay order. */
  private static final class Replayer {
    private final CaseId caseId;
    private final LocalDate receivedDay;
    private final Map<EventId, OpenedCaseEvent> byId;
    private final Map<EventId, Integer> index = new HashMap<>();
    private final List<BitSet> ancestors = new ArrayList<>();
    private final Set<EventId> incomplete = new java.util.HashSet<>();
    private Status status = Status.NEW;
    private String assignee;
    private Priority priority = Priority.NORMAL;
    private Outcome outcome;
    /** The status the case had when it was last closed (what {@code reopen} restores). */
    private Status beforeClose = Status.NEW;
    /** label -> indexes of the applied additions not yet removed by a later-seeing removal. */
    private final Map<String, Set<Integer>> labelAdds = new TreeMap<>();
    private final List<Recorded<CaseAction.Note>> notes = new ArrayList<>();
    private final List<Recorded<CaseAction.Refer>> referrals = new ArrayList<>();
    private final List<Recorded<CaseAction.Link>> links = new ArrayList<>();
    private final List<Recorded<CaseAction.ReplySent>> replies = new ArrayList<>();
    private Instant acknowledgedAt;
    private Instant firstFeedbackAt;
    private Instant closedAt;
    private String legalHold;
    private final List<HistoryEntry> history = new ArrayList<>();

    Replayer(CaseId caseId, LocalDate receivedDay, Map<EventId, OpenedCaseEvent> byId,
        List<OpenedCaseEvent> order) {
      this.caseId = caseId;
      this.receivedDay = receivedDay;
      this.byId = byId;
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i).event().eventId(), i);
      }
    }

    void step(OpenedCaseEvent o) {
      SignedCaseEvent e = o.event();
      BitSet anc = new BitSet();
      boolean missing = false;
      long maxParentLamport = 0;
      for (EventId p : e.parents()) {
        Integer pi = index.get(p);
        if (pi == null || pi >= ancestors.size()) {
          missing = true;
          continue;
        }
        anc.set(pi);
        anc.or(ancestors.get(pi));
        missing |= incomplete.contains(p);
        maxParentLamport = Math.max(maxParentLamport, byId.get(p).event().lamport());
      }
      ancestors.add(anc);
      if (missing) {
        incomplete.add(e.eventId());
        flag(o, Flag.MISSING_PARENTS, "an earlier event of this case is not known yet");
      } else if (e.lamport() <= maxParentLamport) {
        flag(o, Flag.BAD_LAMPORT, "Lamport counter not after its parents");
      } else if (o.action() == null) {
        flag(o, Flag.UNREADABLE, "content cannot be opened with this key");
      } else {
        String refusal = apply(o, index.get(e.eventId()), anc);
        if (refusal == null) {
          flag(o, Flag.APPLIED, null);
        } else {
          flag(o, Flag.REJECTED, refusal);
        }
      }
    }

    void flag(OpenedCaseEvent o, Flag flag, String reason) {
      SignedCaseEvent e = o.event();
      history.add(new HistoryEntry(e.eventId(), o.authorAlias(), e.lamport(), e.createdAt(),
          o.action(), flag, reason));
    }

    /** Applies the action, or returns why it breaks a rule (then nothing changed). */
    private String apply(OpenedCaseEvent o, int self, BitSet anc) {
      CaseAction a = o.action();
      SignedCaseEvent e = o.event();
      boolean closed = status == Status.CLOSED;
      if (closed && !(a instanceof CaseAction.SetStatus || a instanceof CaseAction.Note
          || a instanceof CaseAction.Link || a instanceof CaseAction.ReplySent
          || a instanceof CaseAction.FeedbackGiven || a instanceof CaseAction.Reopen
          || a instanceof CaseAction.StatusPublished || a instanceof CaseAction.ReferralUpdate
          || a instanceof CaseAction.ContentRewrap || a instanceof CaseAction.LegalHold
          || a instanceof CaseAction.Erasure)) {
        return "the case is closed; reopen it first";
      }
      if (a instanceof CaseAction.Acknowledge) {
        if (status == Status.NEW) {
          status = Status.ACKNOWLEDGED;
        }
        if (acknowledgedAt == null) {
          acknowledgedAt = e.createdAt();
        }
      } else if (a instanceof CaseAction.Assign as) {
        assignee = as.assignee();
      } else if (a instanceof CaseAction.SetStatus s) {
        if (s.status() == Status.REFERRED && referrals.isEmpty()) {
          return "status referred needs a recorded referral";
        }
        if (closed) {
          outcome = null;
          closedAt = null;
        }
        status = s.status();
      } else if (a instanceof CaseAction.SetPriority p) {
        priority = p.priority();
      } else if (a instanceof CaseAction.Label l) {
        Set<Integer> live = labelAdds.computeIfAbsent(l.label(), k -> new TreeSet<>());
        if (l.add()) {
          live.add(self);
        } else {
          live.removeIf(anc::get);
        }
      } else if (a instanceof CaseAction.Note n) {
        notes.add(new Recorded<>(e.eventId(), o.authorAlias(), e.createdAt(), n));
      } else if (a instanceof CaseAction.Refer r) {
        referrals.add(new Recorded<>(e.eventId(), o.authorAlias(), e.createdAt(), r));
        status = Status.REFERRED;
      } else if (a instanceof CaseAction.Close c) {
        if (c.outcome() == Outcome.REFERRED && referrals.isEmpty()) {
          return "outcome referred needs a recorded referral";
        }
        beforeClose = status;
        status = Status.CLOSED;
        outcome = c.outcome();
        closedAt = e.createdAt();
      } else if (a instanceof CaseAction.Link l) {
        if (l.other().equals(caseId)) {
          return "a case cannot be linked to itself";
        }
        links.add(new Recorded<>(e.eventId(), o.authorAlias(), e.createdAt(), l));
      } else if (a instanceof CaseAction.ReplySent r) {
        replies.add(new Recorded<>(e.eventId(), o.authorAlias(), e.createdAt(), r));
        if (firstFeedbackAt == null) {
          firstFeedbackAt = e.createdAt(); // the first reply the source can read is first feedback
        }
      } else if (a instanceof CaseAction.Reopen) {
        if (!closed) {
          return "the case is not closed";
        }
        status = beforeClose;
        outcome = null;
        closedAt = null;
      } else if (a instanceof CaseAction.FeedbackGiven) {
        if (firstFeedbackAt == null) {
          firstFeedbackAt = e.createdAt();
        }
      } else if (a instanceof CaseAction.ReferralUpdate u) {
        return ReferralUpdates.refusal(u, e.createdAt(), referrals, history);
      } else if (a instanceof CaseAction.LegalHold h) {
        if (!h.set() && legalHold == null) {
          return "the case is not under legal hold";
        }
        legalHold = h.set() ? h.reference() : null;
      } else if (a instanceof CaseAction.ContentRewrap r) {
        if (!byId.containsKey(r.event()) || r.event().equals(e.eventId())) {
          return "the content rewrap names no other event of this case";
        }
      }
      return null;
    }

    CaseState state() {
      TreeSet<String> labels = new TreeSet<>();
      labelAdds.forEach((label, live) -> {
        if (!live.isEmpty()) {
          labels.add(label);
        }
      });
      return new CaseState(caseId, receivedDay, status, assignee, priority, outcome,
          Collections.unmodifiableSortedSet(labels), List.copyOf(notes), List.copyOf(referrals),
          List.copyOf(links), List.copyOf(replies), acknowledgedAt, firstFeedbackAt, closedAt,
          List.copyOf(history), legalHold);
    }
  }

  /** The ids of the events no other known event names as a parent, in (Lamport, id) order. */
  static List<SignedCaseEvent> heads(Collection<SignedCaseEvent> known) {
    Set<EventId> referenced = new java.util.HashSet<>();
    for (SignedCaseEvent e : known) {
      referenced.addAll(e.parents());
    }
    Set<SignedCaseEvent> heads = new LinkedHashSet<>();
    for (SignedCaseEvent e : known) {
      if (!referenced.contains(e.eventId())) {
        heads.add(e);
      }
    }
    List<SignedCaseEvent> out = new ArrayList<>(heads);
    out.sort(ORDER);
    return out;
  }
}

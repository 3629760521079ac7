package org.testigo.cli.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;

/**
 * The state of one case as replayed by {@link CaseReplay} from its verified events: a pure
 * value. Registers (status, assignee, priority, outcome) hold the value of the last applied
 * event in replay order; labels are an add-wins observed-remove set; notes, referrals, links
 * and replies are in replay order; {@code history} lists every event given to the replay,
 * applied or not, in replay order, each with its {@link Flag}. {@code legalHold} is the
 * reference of the legal hold in force, null when the case is not held.
 */
public record CaseState(CaseId caseId, LocalDate receivedDay, Status status, String assignee,
    Priority priority, Outcome outcome, SortedSet<String> labels,
    List<Recorded<CaseAction.Note>> notes, List<Recorded<CaseAction.Refer>> referrals,
    List<Recorded<CaseAction.Link>> links, List<Recorded<CaseAction.ReplySent>> replies,
    Instant acknowledgedAt, Instant firstFeedbackAt, Instant closedAt,
    List<HistoryEntry> history, String legalHold) {

  /** A state without a legal hold (the form before legal holds existed). */
  public CaseState(CaseId caseId, LocalDate receivedDay, Status status, String assignee,
      Priority priority, Outcome outcome, SortedSet<String> labels,
      List<Recorded<CaseAction.Note>> notes, List<Recorded<CaseAction.Refer>> referrals,
      List<Recorded<CaseAction.Link>> links, List<Recorded<CaseAction.ReplySent>> replies,
      Instant acknowledgedAt, Instant firstFeedbackAt, Instant closedAt,
      List<HistoryEntry> history) {
    this(caseId, receivedDay, status, assignee, priority, outcome, labels, notes, referrals, links, replies,
        acknowledgedAt, firstFeedbackAt, closedAt, history, null);
  }

  /** True while a {@code legal_hold set} is in force (no later release): the case is never due for erasure. */
  public boolean held() {
    return legalHold != null;
  }

  /** An appended item and the event that recorded it. */
  public record Recorded<A extends CaseAction>(EventId eventId, String author, Instant at,
      A action) {}

  /** Why an event did or did not change the state. */
  public enum Flag {
    /** Applied to the state. */
    APPLIED,
    /** Verified, but breaks a transition rule (reason given); kept in history only. */
    REJECTED,
    /** Content could not be opened or parsed by this reviewer. */
    UNREADABLE,
    /** A parent (or an ancestor's parent) is not among the known events yet. */
    MISSING_PARENTS,
    /** Its Lamport counter is not greater than every parent's. */
    BAD_LAMPORT,
    /** Signed for another case. */
    WRONG_CASE
  }

  /** One event in replay order. {@code action} is null when unreadable. */
  public record HistoryEntry(EventId eventId, String author, long lamport, Instant createdAt,
      CaseAction action, Flag flag, String reason) {
    public boolean applied() {
      return flag == Flag.APPLIED;
    }
  }

  /** The deadline kinds. */
  public enum DeadlineKind { ACKNOWLEDGE, FIRST_FEEDBACK }

  /** Where a deadline stands at a given time. */
  public enum DeadlineState {
    MET, MET_LATE, PENDING, OVERDUE,
    /** The case was closed before the deadline was met; no longer counted as overdue. */
    CLOSED_UNMET
  }

  /** One deadline of this case. {@code due} is exclusive; {@code metAt} null if not met. */
  public record DeadlineStatus(DeadlineKind kind, Instant due, Instant metAt,
      DeadlineState state) {}

  /** Both deadlines as they stand at {@code now}. */
  public List<DeadlineStatus> deadlines(Instant now, Deadlines rules) {
    return List.of(
        deadline(DeadlineKind.ACKNOWLEDGE, rules.acknowledgeDue(receivedDay), acknowledgedAt, now),
        deadline(DeadlineKind.FIRST_FEEDBACK, rules.firstFeedbackDue(receivedDay),
            firstFeedbackAt, now));
  }

  /** The deadlines that are overdue at {@code now} (unmet, past due, case not closed). */
  public List<DeadlineStatus> overdue(Instant now, Deadlines rules) {
    List<DeadlineStatus> out = new ArrayList<>();
    for (DeadlineStatus d : deadlines(now, rules)) {
      if (d.state() == DeadlineState.OVERDUE) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * The "follow-up after close" mark: while the case is closed, the received day of its
   * latest follow-up that arrived on or after the day of the close, else null. Derived, not
   * stored: the server keeps a submission's received day only, so a follow-up of the day of
   * the close counts (it may have come after it). Reopening the case clears the mark.
   */
  public LocalDate followUpAfterClose(java.util.Collection<LocalDate> followUpDays) {
    if (status != Status.CLOSED || closedAt == null) {
      return null;
    }
    LocalDate closedDay = closedAt.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    LocalDate latest = null;
    for (LocalDate d : followUpDays) {
      if (!d.isBefore(closedDay) && (latest == null || d.isAfter(latest))) {
        latest = d;
      }
    }
    return latest;
  }

  public boolean isOverdue(Instant now, Deadlines rules) {
    return !overdue(now, rules).isEmpty();
  }

  private DeadlineStatus deadline(DeadlineKind kind, Instant due, Instant metAt, Instant now) {
    DeadlineState s;
    if (metAt != null) {
      s = metAt.isBefore(due) ? DeadlineState.MET : DeadlineState.MET_LATE;
    } else if (status == Status.CLOSED) {
      s = DeadlineState.CLOSED_UNMET;
    } else {
      s = now.isBefore(due) ? DeadlineState.PENDING : DeadlineState.OVERDUE;
    }
    return new DeadlineStatus(kind, due, metAt, s);
  }
}

package org.testigo.cli.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.cases.CaseState.HistoryEntry;
import org.testigo.cli.cases.CaseState.Recorded;

/**
 * The replay rule of {@code referral_update} (docs/spec/case-events.md §4) and the views of a
 * case's referral outcomes. Updates are not a register of {@link CaseState}: they are the
 * applied {@code referral_update} entries of its history, so this class reads them from there.
 */
public final class ReferralUpdates {
  private ReferralUpdates() {}

  /** A referral and the applied updates that name it, in replay order. */
  public record Outcomes(Recorded<CaseAction.Refer> referral, List<Recorded<CaseAction.ReferralUpdate>> updates) {}

  /**
   * Why {@code u} cannot be applied after the referrals and history replayed so far, or null.
   * The referral must be an applied {@code refer} of the case; the stage must suit its
   * institution; the date may not precede the referral, may not be after the day the event
   * was created, and must agree with the stages already recorded for that referral (not
   * before a lower-ranked stage, not after a higher-ranked one).
   */
  static String refusal(CaseAction.ReferralUpdate u, Instant createdAt, List<Recorded<CaseAction.Refer>> referrals,
      List<HistoryEntry> history) {
    Recorded<CaseAction.Refer> ref = referrals.stream().filter(r -> r.eventId().equals(u.referral()))
        .findFirst().orElse(null);
    if (ref == null) {
      return "the referral it updates is not a recorded referral of this case";
    }
    ReferralTarget to = ref.action().to();
    if (!u.stage().allowedFor(to)) {
      return "stage " + u.stage().wire() + " is not one of " + to.wire() + "'s: " + ReferralStage.namesFor(to);
    }
    if (u.date().isBefore(ref.action().date())) {
      return "the stage's date is before the referral's";
    }
    if (u.date().isAfter(LocalDate.ofInstant(createdAt, ZoneOffset.UTC))) {
      return "the stage's date is after the day it was recorded";
    }
    int rank = u.stage().rank(to);
    for (Recorded<CaseAction.ReferralUpdate> earlier : applied(history)) {
      CaseAction.ReferralUpdate o = earlier.action();
      if (!o.referral().equals(u.referral())) {
        continue;
      }
      int r = o.stage().rank(to);
      if (r < rank && u.date().isBefore(o.date()) || r > rank && u.date().isAfter(o.date())) {
        return "the stage's date contradicts " + o.stage().wire() + " on " + o.date();
      }
    }
    return null;
  }

  /** The applied referral updates of a replayed history, in replay order. */
  public static List<Recorded<CaseAction.ReferralUpdate>> applied(List<HistoryEntry> history) {
    List<Recorded<CaseAction.ReferralUpdate>> out = new ArrayList<>();
    for (HistoryEntry h : history) {
      if (h.applied() && h.action() instanceof CaseAction.ReferralUpdate u) {
        out.add(new Recorded<>(h.eventId(), h.author(), h.createdAt(), u));
      }
    }
    return out;
  }

  /** Each referral of {@code state} with its applied updates. */
  public static List<Outcomes> of(CaseState state) {
    List<Recorded<CaseAction.ReferralUpdate>> all = applied(state.history());
    List<Outcomes> out = new ArrayList<>();
    for (Recorded<CaseAction.Refer> r : state.referrals()) {
      out.add(new Outcomes(r, all.stream().filter(u -> u.action().referral().equals(r.eventId())).toList()));
    }
    return out;
  }

  /** The earliest date of {@code stage} among {@code updates}, or null. */
  public static LocalDate earliest(List<Recorded<CaseAction.ReferralUpdate>> updates, ReferralStage stage) {
    LocalDate d = null;
    for (Recorded<CaseAction.ReferralUpdate> u : updates) {
      if (u.action().stage() == stage && (d == null || u.action().date().isBefore(d))) {
        d = u.action().date();
      }
    }
    return d;
  }

  /** The applied status_published entries of a replayed history: what the source has been shown. */
  public static List<Recorded<CaseAction.StatusPublished>> published(CaseState state) {
    List<Recorded<CaseAction.StatusPublished>> out = new ArrayList<>();
    for (HistoryEntry h : state.history()) {
      if (h.applied() && h.action() instanceof CaseAction.StatusPublished p) {
        out.add(new Recorded<>(h.eventId(), h.author(), h.createdAt(), p));
      }
    }
    return out;
  }
}

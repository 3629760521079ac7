package org.testigo.cli.cases;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.manifest.RetentionPolicy;

/**
 * When the retention policy makes a case due for erasure (docs/spec/retention-and-erasure.md
 * §1.1), computed from the replayed case: only reviewers can, since the server cannot read case
 * state. A pure function of the policy, the state and whether the report is malformed.
 */
public final class Retention {
  /** The label that puts a case under the short retention of spam. */
  public static final String SPAM_LABEL = "spam";
  /** Stages after which a referral is no longer open. */
  static final Set<ReferralStage> FINAL = Set.of(ReferralStage.SENTENCE, ReferralStage.ACQUITTAL,
      ReferralStage.DISMISSED, ReferralStage.RECOMMENDATION_ISSUED);

  private Retention() {}

  /** Why a case is due, or why not. {@code day} is null when it is never due as it stands. */
  public record Due(LocalDate day, ErasureDecision.Reason reason, String why) {
    /** True when due on or before {@code today}. */
    public boolean dueBy(LocalDate today) {
      return day != null && !day.isAfter(today);
    }
  }

  /** The day the policy makes the case due, with the reason a decision by policy would give. */
  public static Due due(RetentionPolicy policy, CaseState st, boolean malformed) {
    if (st.held()) {
      return new Due(null, null, "under legal hold (" + Text.cell(st.legalHold(), 80) + ")");
    }
    if (malformed || st.labels().contains(SPAM_LABEL)) {
      return new Due(policy.dueAsSpam(st.receivedDay()), ErasureDecision.Reason.SPAM,
          (malformed ? "not a valid report" : "labelled spam") + ", kept " + policy.spamDays() + " days after receipt");
    }
    if (st.status() == Status.CLOSED && st.closedAt() != null) {
      LocalDate closed = st.closedAt().atZone(ZoneOffset.UTC).toLocalDate();
      boolean open = referralOpen(st);
      return new Due(policy.dueAfterClose(closed, open), ErasureDecision.Reason.RETENTION_DUE,
          "closed on " + closed + (open ? ", a referral still open: kept " + policy.referralDays()
              : ", kept " + policy.closedDays()) + " days after the close");
    }
    return new Due(null, null, "open (" + st.status().wire() + "): a case is due only once closed");
  }

  /**
   * True when a referral is open: to a prosecutor or a human-rights commission without a final
   * stage (sentence, acquittal, dismissed, recommendation issued), or to COMAR or another
   * institution (which have no stages: kept the longer time).
   */
  static boolean referralOpen(CaseState st) {
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(st)) {
      if (ReferralStage.pathOf(o.referral().action().to()) == null) {
        return true;
      }
      if (o.updates().stream().noneMatch(u -> FINAL.contains(u.action().stage()))) {
        return true;
      }
    }
    return false;
  }
}

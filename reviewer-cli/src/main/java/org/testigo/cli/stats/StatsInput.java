package org.testigo.cli.stats;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;

/**
 * What the statistics know about one case: the day it was received, enumerated facts from the
 * questionnaire, and the dated milestones of its case history. It has no text field at all,
 * so nothing a source or a reviewer wrote can reach a published table (a test checks every
 * component type).
 *
 * <p>Milestones are UTC days; null means "not reached". A milestone before {@code received}
 * is refused. {@code outcome} is {@link CaseOutcome#OPEN} exactly when {@code closed} is null.
 */
public record StatsInput(LocalDate received, MxState state, Set<AbuseCategory> categories,
    Set<Perpetrator> agencies, LocalDate acknowledged, List<Referral> referrals,
    LocalDate firstFeedback, LocalDate closed, CaseOutcome outcome) {

  public StatsInput {
    if (received == null || state == null || categories == null || agencies == null
        || referrals == null || outcome == null) {
      throw new IllegalArgumentException("received, state, categories, agencies, referrals and"
          + " outcome are required");
    }
    categories = categories.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(AbuseCategory.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(categories));
    agencies = agencies.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Perpetrator.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(agencies));
    referrals = List.copyOf(referrals);
    notBefore(received, acknowledged, "acknowledged");
    notBefore(received, firstFeedback, "firstFeedback");
    notBefore(received, closed, "closed");
    for (Referral r : referrals) {
      notBefore(received, r.referred(), "referral");
    }
    if ((closed == null) != (outcome == CaseOutcome.OPEN)) {
      throw new IllegalArgumentException("a closed case needs an outcome, an open one none");
    }
  }

  /**
   * One referral and what the institution did with it (referral follow-up events). Which
   * follow-ups are possible depends on the institution: charges and sentences come from
   * prosecutors, recommendations from human-rights commissions; COMAR and others have none.
   * Follow-ups cannot precede the referral or each other in funnel order.
   */
  public record Referral(Institution to, LocalDate referred, LocalDate investigationOpened,
      LocalDate charges, LocalDate sentence, LocalDate recommendation) {

    public Referral {
      if (to == null || referred == null) {
        throw new IllegalArgumentException("a referral needs an institution and a date");
      }
      Institution.Kind k = to.kind();
      if (k == Institution.Kind.OTHER && (investigationOpened != null || charges != null
          || sentence != null || recommendation != null)) {
        throw new IllegalArgumentException("only prosecutors and commissions have follow-ups");
      }
      if (k == Institution.Kind.COMMISSION && (charges != null || sentence != null)) {
        throw new IllegalArgumentException("commissions neither charge nor sentence");
      }
      if (k == Institution.Kind.PROSECUTOR && recommendation != null) {
        throw new IllegalArgumentException("prosecutors do not issue recommendations");
      }
      notBefore(referred, investigationOpened, "investigationOpened");
      notBefore(investigationOpened == null ? referred : investigationOpened, charges,
          "charges");
      notBefore(charges == null ? referred : charges, sentence, "sentence");
      notBefore(referred, recommendation, "recommendation");
    }

    /** Only the referral date: nothing heard back yet. */
    public static Referral of(Institution to, LocalDate referred) {
      return new Referral(to, referred, null, null, null, null);
    }
  }

  private static void notBefore(LocalDate start, LocalDate d, String what) {
    if (d != null && d.isBefore(start)) {
      throw new IllegalArgumentException(what + " is before the day it follows");
    }
  }
}

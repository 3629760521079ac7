package org.testigo.cli.cases;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines for {@code show} and {@code history} about referral outcomes ({@code referral_update})
 * and what was published to the source ({@code status_published}). Free text (notes,
 * institution, reference) is passed through {@link Text#cell}, so control characters never
 * reach the terminal.
 */
final class ProgressLines {
  private ProgressLines() {}

  /** The case lines of {@code show}: each referral's stages, and the status lines published. */
  static List<String> show(CaseState st) {
    List<String> out = new ArrayList<>();
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(st)) {
      for (CaseState.Recorded<CaseAction.ReferralUpdate> u : o.updates()) {
        out.add("  referral " + o.referral().action().to().wire() + " " + Text.cell(o.referral().action().reference(), 40)
            + ": " + detail(u.action()) + " (" + u.author() + ", " + u.at() + ")");
      }
    }
    for (CaseState.Recorded<CaseAction.StatusPublished> p : ReferralUpdates.published(st)) {
      out.add("  published to the source (" + p.author() + ", " + p.at() + "): " + detail(p.action()));
    }
    return out;
  }

  /** A one-line detail of the two event types, or null for other types. */
  static String detail(CaseAction a) {
    if (a instanceof CaseAction.ReferralUpdate u) {
      return u.stage().wire() + " on " + u.date() + " (referral " + u.referral().hex().substring(0, 12) + ")"
          + (u.note() == null ? "" : ": " + Text.cell(u.note(), 120));
    }
    if (a instanceof CaseAction.StatusPublished p) {
      return Text.cell(PublishCommand.english(p.progress()), 200);
    }
    return null;
  }
}

package org.testigo.cli.cases;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines for {@code show} and {@code history} about referral outcomes ({@code referral_update}),
 * what was published to the source ({@code status_published}) and content rewraps, in the
 * reviewer's language ({@link CaseText}). Free text (notes, institution, reference) is passed
 * through {@link Text#cell}, so control characters never reach the terminal.
 */
final class ProgressLines {
  private ProgressLines() {}

  /** The case lines of {@code show}: each referral's stages, and the status lines published. */
  static List<String> show(CaseState st, CaseText text) {
    List<String> out = new ArrayList<>();
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(st)) {
      for (CaseState.Recorded<CaseAction.ReferralUpdate> u : o.updates()) {
        out.add("  " + text.format("show.referralStage", o.referral().action().to().wire(),
            Text.cell(o.referral().action().reference(), 40), detail(u.action(), text), u.author(), u.at()));
      }
    }
    for (CaseState.Recorded<CaseAction.StatusPublished> p : ReferralUpdates.published(st)) {
      out.add("  " + text.format("show.published", p.author(), p.at(), published(p.action().progress(), text)));
    }
    return out;
  }

  /** A one-line detail of referral_update, status_published and content_rewrap, or null for other types. */
  static String detail(CaseAction a, CaseText text) {
    if (a instanceof CaseAction.ReferralUpdate u) {
      return text.format("event.referralUpdate", text.get("stage." + u.stage().wire()), u.date(),
          u.referral().hex().substring(0, 12)) + (u.note() == null ? "" : ": " + Text.cell(u.note(), 120));
    }
    if (a instanceof CaseAction.StatusPublished p) {
      return text.format("event.statusPublished", published(p.progress(), text));
    }
    if (a instanceof CaseAction.ContentRewrap r) {
      return text.format("event.contentRewrap", r.event().hex().substring(0, 16));
    }
    return null;
  }

  /** What the source was shown, told to the team in the reviewer's language. */
  static String published(org.testigo.api.progress.SourceProgress p, CaseText text) {
    String line = switch (p.status()) {
      case RECEIVED -> text.get("published.received");
      case INVESTIGATING -> text.get("published.investigating");
      case REFERRED -> text.format("published.referred", Text.cell(p.institution(), 100))
          + (p.reference() == null ? "" : text.format("published.reference", Text.cell(p.reference(), 60)));
      case CLOSED -> text.format("published.closed", text.get("outcome." + p.outcome().code()));
    };
    return Text.cell(line, 240);
  }
}

package org.testigo.cli.cases;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code referral-update ID --stage STAGE --date YYYY-MM-DD [--note TEXT] [--referral EVENT]}:
 * records what an institution did with a referral of the case (content type
 * {@code referral_update}, docs/spec/case-events.md §3). The referral is the case's only one,
 * or the one whose event id starts with {@code --referral}; the stage must suit its
 * institution, and the replay's date rules are checked before anything is sent.
 */
@Command(name = "referral-update", mixinStandardHelpOptions = true,
    description = {"Record what happened to a referral, with the day it happened.",
        "Prosecutors (fgr, fiscalia_estatal): investigation_opened, charges_filed, hearing, sentence, acquittal,"
            + " dismissed. Commissions (cndh, comision_estatal_dh): complaint_admitted, conciliation,"
            + " recommendation_issued, dismissed. COMAR and other institutions have no stages (use note)."})
public final class ReferralUpdateCommand extends TriageCommands.Append {
  @Option(names = "--stage", required = true, paramLabel = "STAGE", description = "The stage reached (see above).")
  String stage;
  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
      description = "The day it happened (not before the referral, not in the future).")
  LocalDate date;
  @Option(names = "--note", paramLabel = "TEXT",
      description = "Optional detail for the team, e.g. the court or the recommendation's number (sealed to the team).")
  String note;
  @Option(names = "--referral", paramLabel = "EVENT",
      description = "The referral's event id or a prefix of 8+ hex characters (see history); needed when the case"
          + " has several referrals.")
  String referral;

  @Override
  CaseAction action() {
    throw new IllegalStateException("built in call()");
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    ReferralStage st = TriageCommands.parse(ReferralStage.class, stage);
    if (date.isAfter(LocalDate.now(Clock.systemUTC()))) {
      throw new CliException(ExitCodes.USAGE, "--date " + date + " is in the future");
    }
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      LocalCache.Submission report = TriageCommands.report(s.cache, id);
      CaseLog.sync(s.client, s.cache);
      CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
      CaseState state = log.state(report.id(), report.day());
      CaseState.Recorded<CaseAction.Refer> ref = pick(state.referrals(), referral);
      ReferralTarget to = ref.action().to();
      if (!st.allowedFor(to)) {
        List<String> allowed = ReferralStage.namesFor(to);
        throw new CliException(ExitCodes.USAGE, "stage " + st.wire() + " does not apply to a referral to " + to.wire()
            + (allowed.isEmpty() ? ": it has no stages; record its news with note" : "; its stages are " + allowed));
      }
      CaseAction.ReferralUpdate action;
      try {
        action = new CaseAction.ReferralUpdate(ref.eventId(), st, date, note == null ? null : note.strip());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      TriageCommands.Posted posted = TriageCommands.record(s, log, report, action);
      CaseLog.sync(s.client, s.cache);
      spec.commandLine().getOut().println("Recorded referral_update " + st.wire() + " on " + date + " for the referral"
          + " to " + to.wire() + " (" + ref.action().reference() + ") of case " + report.id() + " (event "
          + posted.eventHex().substring(0, 16) + ")");
      return ExitCodes.OK;
    }
  }

  /** The referral named by an event-id prefix, or the only one. */
  static CaseState.Recorded<CaseAction.Refer> pick(List<CaseState.Recorded<CaseAction.Refer>> referrals, String prefix) {
    if (referrals.isEmpty()) {
      throw new CliException(ExitCodes.REFUSED, "the case has no referral yet: record it with refer first");
    }
    if (prefix == null) {
      if (referrals.size() > 1) {
        throw new CliException(ExitCodes.USAGE, "the case has " + referrals.size() + " referrals; choose one with"
            + " --referral EVENT: " + String.join(", ", referrals.stream().map(r -> r.eventId().hex().substring(0, 12)
                + " (" + r.action().to().wire() + ")").toList()));
      }
      return referrals.get(0);
    }
    String p = prefix.strip().toLowerCase(Locale.ROOT);
    if (p.length() < 8 || !p.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
      throw new CliException(ExitCodes.USAGE, "--referral takes 8 or more hex characters of the referral's event id");
    }
    List<CaseState.Recorded<CaseAction.Refer>> m = referrals.stream().filter(r -> r.eventId().hex().startsWith(p)).toList();
    if (m.size() != 1) {
      throw new CliException(ExitCodes.USAGE, m.isEmpty() ? "no referral of this case has an event id starting so"
          : "several referrals match; give more characters");
    }
    return m.get(0);
  }
}

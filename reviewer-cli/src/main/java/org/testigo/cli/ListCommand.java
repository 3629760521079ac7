package org.testigo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.cli.report.Text;
import org.testigo.cli.triage.CaseState;
import org.testigo.cli.triage.Deadlines;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code list}: a table of the synced reports, decrypted in memory (nothing decrypted is
 * written), newest last, with filters on the questionnaire.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List synced reports (decrypted in memory): id, received day, category, state, agency.")
public final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--category", paramLabel = "WHAT", description = "Only reports of this kind, e.g. extortion.")
  String category;
  @Option(names = "--state", paramLabel = "CODE", description = "Only reports from this state (ISO code, e.g. CHP).")
  String state;
  @Option(names = "--agency", paramLabel = "WHO", description = "Only reports naming this perpetrator, e.g. inm.")
  String agency;
  @Option(names = "--status", paramLabel = "STATUS", description = "Only cases in this status, e.g. new, investigating.")
  String status;
  @Option(names = "--assignee", paramLabel = "ALIAS", description = "Only cases assigned to this reviewer.")
  String assignee;
  @Option(names = "--overdue", description = "Only open cases past a deadline.")
  boolean overdue;

  @Override
  public Integer call() throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    CachedReports reports;
    CaseLog log = null;
    try {
      reports = CachedReports.open(cache, identity.encryptionKey());
      if (cache.manifest().isPresent()) {
        log = CaseLog.load(cache, RemoteSession.server(home), identity);
      }
    } finally {
      identity.destroy();
    }
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-12s  %-10s  %-24s  %-5s  %-20s  %5s  %3s  %-13s  %-12s%s%n";
    out.printf(format, "ID", "RECEIVED", "CATEGORY", "STATE", "AGENCY", "FILES", "F/U", "STATUS", "ASSIGNEE", "");
    int shown = 0;
    java.time.Instant now = java.time.Instant.now();
    for (CachedReports.Case c : reports.cases.values()) {
      DecryptedSubmission r = c.report();
      CaseState st = log == null ? org.testigo.cli.triage.CaseReplay.replay(
          org.testigo.crypto.event.CaseId.fromHex(r.listing().id()), r.listing().day(), List.of())
          : log.state(r.listing().id(), r.listing().day());
      boolean late = st.isOverdue(now, Deadlines.DEFAULT);
      if (!matches(r) || status != null && !st.status().name().equalsIgnoreCase(status.replace('-', '_'))
          || assignee != null && !assignee.equals(st.assignee()) || overdue && !late) {
        continue;
      }
      out.printf(format, r.listing().id().substring(0, 12), r.listing().receivedDay(),
          Text.cell(String.join(",", r.list("what")), 24), Text.cell(r.text("where", "state"), 5),
          Text.cell(String.join(",", r.list("who")), 20), r.files().size(), c.followUps().size(),
          st.status().name().toLowerCase(Locale.ROOT), st.assignee() == null ? "-" : st.assignee(),
          late ? "  OVERDUE" : "");
      shown++;
    }
    out.println(shown + " report(s)" + (reports.unreadable > 0
        ? "; " + reports.unreadable + " submission(s) do not open with your key" : "")
        + (reports.invalid > 0 ? "; " + reports.invalid + " cached entry(ies) are invalid and were left out"
            + " (delete them and run sync to fetch them again)" : ""));
    return ExitCodes.OK;
  }

  private boolean matches(DecryptedSubmission r) {
    return (category == null || r.list("what").contains(category.toLowerCase(Locale.ROOT)))
        && (state == null || r.text("where", "state").equalsIgnoreCase(state))
        && (agency == null || r.list("who").contains(agency.toLowerCase(Locale.ROOT)));
  }

}

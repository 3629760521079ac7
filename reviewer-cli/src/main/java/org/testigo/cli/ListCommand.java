package org.testigo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.cli.report.Text;
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

  @Override
  public Integer call() throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    CachedReports reports;
    try {
      reports = CachedReports.open(cache, identity.encryptionKey());
    } finally {
      identity.destroy();
    }
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-12s  %-10s  %-28s  %-5s  %-24s  %5s  %3s%n";
    out.printf(format, "ID", "RECEIVED", "CATEGORY", "STATE", "AGENCY", "FILES", "F/U");
    int shown = 0;
    for (CachedReports.Case c : reports.cases.values()) {
      DecryptedSubmission r = c.report();
      if (!matches(r)) {
        continue;
      }
      out.printf(format, r.listing().id().substring(0, 12), r.listing().receivedDay(),
          Text.cell(String.join(",", r.list("what")), 28), Text.cell(r.text("where", "state"), 5),
          Text.cell(String.join(",", r.list("who")), 24), r.files().size(), c.followUps().size());
      shown++;
    }
    out.println(shown + " report(s)" + (reports.unreadable > 0
        ? "; " + reports.unreadable + " submission(s) do not open with your key" : ""));
    return ExitCodes.OK;
  }

  private boolean matches(DecryptedSubmission r) {
    return (category == null || r.list("what").contains(category.toLowerCase(Locale.ROOT)))
        && (state == null || r.text("where", "state").equalsIgnoreCase(state))
        && (agency == null || r.list("who").contains(agency.toLowerCase(Locale.ROOT)));
  }

}

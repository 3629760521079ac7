package org.testigo.cli.cases;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code show ID}: one report and its follow-ups, decrypted in memory and labelled. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show a synced report, decrypted in memory, with its follow-ups.")
public final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--lang", defaultValue = "es", description = "Labels in es or en (default: ${DEFAULT-VALUE}).")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 6+ characters).")
  String id;

  @Override
  public Integer call() throws IOException, CryptoException {
    if (!ReportRenderer.LANGUAGES.contains(lang)) {
      throw new CliException(ExitCodes.USAGE, "--lang must be one of " + ReportRenderer.LANGUAGES);
    }
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    CachedReports.Case c;
    List<String> caseLines = new java.util.ArrayList<>();
    ReportRenderer renderer = new ReportRenderer(lang);
    try {
      ReportIndex index = ReportIndex.forCommand(home, cache, identity, spec.commandLine().getErr());
      c = CachedReports.open(index, cache, id, identity.encryptionKey(), null);
      for (ReportIndex.Entry f : c.notOpened()) {
        caseLines.add("  follow-up " + f.id() + " (" + f.receivedDay() + ", " + f.size() + " bytes): "
            + (f.kind() == ReportIndex.Kind.MALFORMED ? "not a valid follow-up: " + f.problem()
                : "does not open with your key"));
      }
      if (cache.manifest().isPresent()) {
        var l = c.report().listing();
        var st = CaseLog.load(cache, RemoteSession.server(home), identity, index.eventSeqs(l.id())).state(l.id(), l.day());
        caseLines.add(String.format("%-28s %s; %s %s; priority %s; labels %s", renderer.label("field.status") + ":",
            st.status().name().toLowerCase(java.util.Locale.ROOT), renderer.label("field.assignee").toLowerCase(java.util.Locale.ROOT),
            st.assignee() == null ? "-" : st.assignee(), st.priority().name().toLowerCase(java.util.Locale.ROOT), st.labels()));
        for (var d : st.deadlines(java.time.Instant.now(), Deadlines.DEFAULT)) {
          caseLines.add(String.format("%-28s %s due %s", "  " + d.kind().name().toLowerCase(java.util.Locale.ROOT) + ":",
              d.state().name().toLowerCase(java.util.Locale.ROOT), d.due()));
        }
        for (var n : st.notes()) {
          caseLines.add("  note (" + n.author() + ", " + n.at() + "): " + Text.cell(n.action().text(), 200));
        }
        for (var r : st.referrals()) {
          var a = r.action();
          caseLines.add("  referral (" + r.author() + ", " + r.at() + "): " + a.to().wire()
              + (a.state() == null ? "" : " " + a.state()) + (a.institution() == null ? "" : " " + Text.cell(a.institution(), 80))
              + (a.reference() == null ? "" : ", reference " + Text.cell(a.reference(), 80)));
        }
        for (var k : st.links()) {
          caseLines.add("  link (" + k.author() + ", " + k.at() + "): " + k.action().relation().wire() + " " + k.action().other().hex());
        }
        caseLines.addAll(ProgressLines.show(st));
      }
    } finally {
      identity.destroy();
    }
    spec.commandLine().getOut().print(renderer.render(c.report(), c.followUps(), caseLines));
    return ExitCodes.OK;
  }
}

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
  @Option(names = "--lang", defaultValue = "${env:TESTIGO_LANG:-es}", paramLabel = "es|en",
      description = "Your language for labels and the case's events: es or en (default: $TESTIGO_LANG, else es).")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
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
      ReportIndex index = ReportIndex.forCase(home, cache, identity, id, spec.commandLine().getErr());
      c = CachedReports.open(index, cache, id, identity.encryptionKey(), null);
      CaseText text = new CaseText(lang);
      for (ReportIndex.Entry f : c.notOpened()) {
        if (f.kind() == ReportIndex.Kind.ERASURE_REQUEST) {
          caseLines.add("  " + text.format("show.erasureRequest", f.id(), f.receivedDay(), f.caseId().substring(0, 12)));
          continue;
        }
        caseLines.add("  " + text.format(f.kind() == ReportIndex.Kind.MALFORMED ? "show.followUpMalformed"
            : "show.followUpUnreadable", f.id(), f.receivedDay(), f.size(), Text.cell(f.problem(), 100)));
      }
      if (cache.manifest().isPresent()) {
        var l = c.report().listing();
        var st = CaseLog.load(cache, RemoteSession.server(home), identity, index.eventSeqs(l.id())).state(l.id(), l.day());
        caseLines.addAll(text.caseLines(st, index.followUpDays(l.id()), java.time.Instant.now()));
        caseLines.addAll(ProgressLines.show(st, text));
      }
    } finally {
      identity.destroy();
    }
    spec.commandLine().getOut().print(renderer.render(c.report(), c.followUps(), caseLines));
    return ExitCodes.OK;
  }
}

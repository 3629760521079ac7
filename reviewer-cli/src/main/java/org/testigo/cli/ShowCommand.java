package org.testigo.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.report.ReportRenderer;
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
    try {
      c = CachedReports.open(cache, identity.encryptionKey()).find(cache, id);
    } finally {
      identity.destroy();
    }
    spec.commandLine().getOut().print(new ReportRenderer(lang).render(c.report(), c.followUps(), List.of()));
    return ExitCodes.OK;
  }
}

package org.testigo.shelter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code outbox list}: what waits to be uploaded (opens every entry; needs the passphrase). */
@Command(name = "outbox", mixinStandardHelpOptions = true,
    description = "The encrypted outbox of reports waiting to be uploaded.",
    subcommands = OutboxCommand.ListCommand.class)
final class OutboxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the reports in the outbox (decrypts each entry to check it).")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;
    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() throws IOException, CryptoException {
      ShelterProfile profile = ShelterProfile.load(home.path());
      List<Path> entries = Outbox.entries(profile.outbox());
      PrintWriter out = spec.commandLine().getOut();
      if (entries.isEmpty()) {
        out.println("The outbox is empty.");
        return ExitCodes.OK;
      }
      ReviewerIdentity identity = FileCommand.openKeystore(profile, passphrase);
      try {
        out.printf("%-32s  %-10s  %-4s  %-5s  %-6s  %s%n", "ID", "FILED", "LANG", "FILES",
            "SIGNED", "BYTES");
        for (Path e : entries) {
          Outbox.Meta m = Outbox.open(e, identity.encryptionKey(), null);
          out.printf("%-32s  %-10s  %-4s  %5d  %-6s  %d%n", m.submissionId(), m.createdDay(),
              m.language(), m.attachments(), m.attested() ? "yes" : "no", Files.size(e));
        }
        out.println(entries.size() + " report(s) waiting; send them with: testigo-shelter upload");
      } finally {
        identity.destroy();
      }
      return ExitCodes.OK;
    }
  }
}

package org.testigo.cli.inbox;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inbox}: the full-screen interface for investigators who would rather not type
 * commands. See {@link Inbox}. On a terminal that cannot be drawn on (a dumb terminal, a pipe)
 * it refuses with exit 2 and names the commands to use instead.
 */
@Command(name = "inbox", mixinStandardHelpOptions = true,
    description = {"A full-screen inbox: asks for the passphrase once, lists the cases (sort and filter with"
        + " keys), opens one, and runs ack, assign, status, priority, note, refer, close, feedback, reply and"
        + " sync with keys. The key stays in this process's memory only.",
        "Needs a terminal of at least 60x16 (80x24 is best); on a dumb terminal use the commands instead."})
public final class InboxCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Option(names = "--lang", defaultValue = "es", paramLabel = "es|en",
      description = "Language of the inbox's screens and of show's labels: es or en (default: ${DEFAULT-VALUE}).")
  String lang;

  @Override
  public Integer call() throws IOException {
    if (!Messages.LANGUAGES.contains(lang)) {
      throw new CliException(ExitCodes.USAGE, "--lang must be one of " + Messages.LANGUAGES);
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      return new Inbox(terminal, home, keystore, lang).run();
    }
  }
}

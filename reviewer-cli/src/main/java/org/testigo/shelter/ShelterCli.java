package org.testigo.shelter;

import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import org.testigo.cli.common.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code testigo-shelter}: the shelter staff's command line. Files a report on a migrant's
 * behalf, with their consent, sealed on the laptop to the reviewers of a verified key
 * manifest; keeps it in an encrypted outbox while offline and uploads it later, directly or
 * through Tor's SOCKS port. The laptop never holds a reviewer private key, and the outbox
 * never holds plaintext.
 */
@Command(name = "testigo-shelter",
    mixinStandardHelpOptions = true,
    versionProvider = ShelterCli.Version.class,
    description = "Testigo for shelters: file a report for a migrant (with consent), keep it"
        + " encrypted while offline, upload it later, print the migrant's receipt.",
    subcommands = {
        InitCommand.class,
        ManifestRefreshCommand.Group.class,
        FileCommand.class,
        OutboxCommand.class,
        UploadCommand.class,
        CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  done",
        "  1  internal error (a bug; the message has an error id)",
        "  2  wrong usage",
        "  3  decryption or verification failed (wrong passphrase, manifest that does not"
            + " verify or does not extend the stored one)",
        "  4  a file could not be read or written",
        "  5  input is not in the expected format (questionnaire, answers, server reply)",
        "  6  refused: no consent, would overwrite, or nothing to do without a verified"
            + " manifest",
        "  7  the server could not be reached (entries stay in the outbox)",
        "  8  the server refused the request (entries stay in the outbox)"
    })
public final class ShelterCli {

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the tool in-process (tests) with the given standard streams; returns the exit code. */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    Terminal terminal = new Terminal(in, out);
    CommandLine cmd = new CommandLine(new ShelterCli(), new Factory(terminal));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(new org.testigo.cli.common.ErrorHandler("testigo-shelter"));
    cmd.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("testigo-shelter: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec()
          .qualifiedName() + " --help'.");
      return ExitCodes.USAGE;
    });
    return cmd.execute(args);
  }

  /** Gives commands that take a {@link Terminal} in their constructor the run's terminal. */
  private static final class Factory implements CommandLine.IFactory {
    private final Terminal terminal;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Terminal.class);
        c.setAccessible(true);
        return c.newInstance(terminal);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ShelterCli.class.getPackage().getImplementationVersion();
      return new String[] {"testigo-shelter " + (v == null ? "development build" : v)};
    }
  }
}

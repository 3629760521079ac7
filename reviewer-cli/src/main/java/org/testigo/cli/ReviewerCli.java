package org.testigo.cli;

import java.io.PrintWriter;
import org.testigo.cli.audit.AuditCommand;
import org.testigo.cli.audit.ProofCommand;
import org.testigo.cli.cases.ExportCommand;
import org.testigo.cli.cases.FilesCommand;
import org.testigo.cli.cases.ListCommand;
import org.testigo.cli.cases.PublishCommand;
import org.testigo.cli.cases.ReferralUpdateCommand;
import org.testigo.cli.cases.ReplyCommand;
import org.testigo.cli.cases.ReopenCommand;
import org.testigo.cli.cases.RewrapCommand;
import org.testigo.cli.cases.ShowCommand;
import org.testigo.cli.cases.SyncCommand;
import org.testigo.cli.cases.TriageCommands;
import org.testigo.cli.common.ErrorHandler;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.custody.CustodyCommand;
import org.testigo.cli.custody.ManifestCommand;
import org.testigo.cli.inbox.InboxCommand;
import org.testigo.cli.keys.KeysCommand;
import org.testigo.cli.keys.OpenCommand;
import org.testigo.cli.keys.SealCommand;
import org.testigo.cli.keys.TorCommand;
import org.testigo.cli.poster.PosterCommand;
import org.testigo.cli.remote.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code testigo-reviewer}: the investigators' command line. Holds the private keys,
 * decrypts offline, verifies manifests.
 */
@Command(name = "testigo-reviewer",
    mixinStandardHelpOptions = true,
    versionProvider = ReviewerCli.Version.class,
    description = "Testigo reviewer tool: keys, envelopes, manifests, root key custody, proofs of"
        + " filing, sync, reading, triage and replying to reports, statistics.",
    subcommands = {
        KeysCommand.class,
        SealCommand.class,
        OpenCommand.class,
        ManifestCommand.class,
        AuditCommand.class,
        CustodyCommand.class,
        ProofCommand.class,
        ServerCommand.class,
        PosterCommand.class,
        TorCommand.class,
        SyncCommand.class,
        ListCommand.class,
        ShowCommand.class,
        FilesCommand.class,
        ExportCommand.class,
        ReplyCommand.class,
        RewrapCommand.class,
        InboxCommand.class,
        TriageCommands.Ack.class,
        TriageCommands.Assign.class,
        TriageCommands.SetStatus.class,
        TriageCommands.SetPriority.class,
        TriageCommands.Label.class,
        TriageCommands.Note.class,
        TriageCommands.Refer.class,
        TriageCommands.Close.class,
        TriageCommands.Link.class,
        TriageCommands.Feedback.class,
        ReopenCommand.class,
        org.testigo.cli.cases.HoldCommand.class,
        org.testigo.cli.cases.EraseCommand.class,
        TriageCommands.History.class,
        TriageCommands.Overdue.class,
        PublishCommand.class,
        ReferralUpdateCommand.class,
        org.testigo.cli.stats.StatsCommand.class,
        CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  done (also when there was nothing to do)",
        "  1  internal error (a bug; the message has an error id)",
        "  2  wrong usage",
        "  3  decryption or verification failed (wrong passphrase or key, modified input)",
        "  4  a file could not be read or written",
        "  5  input is not in the expected format (also an id prefix matching no case, or several)",
        "  6  refused: would overwrite a file or reveal a secret, or a case rule forbids the action (nothing recorded)",
        "  7  the server could not be reached, or refused or failed the request"
    })
public final class ReviewerCli {

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    // Autoflush covers println only: commands that print() a rendered page (show, history)
    // would lose it at System.exit without this.
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the tool in-process (used by tests) and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ReviewerCli());
    cmd.setOut(out);
    cmd.setErr(err);
    ErrorHandler.install(cmd, "testigo-reviewer");
    return cmd.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ReviewerCli.class.getPackage().getImplementationVersion();
      return new String[] {"testigo-reviewer " + (v == null ? "development build" : v)};
    }
  }
}

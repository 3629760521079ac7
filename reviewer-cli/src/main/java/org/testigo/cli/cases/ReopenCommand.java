package org.testigo.cli.cases;

import java.io.IOException;
import java.util.Locale;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reopen ID [--note TEXT]}: a signed {@code reopen} event (docs/spec/case-events.md §3)
 * that brings a closed case back to the open status it had before it was closed, clearing the
 * outcome; with {@code --note}, a note (sealed to the team) is recorded after it. Refused, with
 * nothing recorded, when the case is not closed.
 */
@Command(name = "reopen", mixinStandardHelpOptions = true,
    description = {"Reopen a closed case: it goes back to the status it had before it was closed (the outcome"
        + " is cleared), e.g. after a follow-up from the source arrived after the close.",
        "Refused, recording nothing, if the case is not closed."})
public final class ReopenCommand extends TriageCommands.Append {
  @Option(names = "--note", paramLabel = "TEXT",
      description = "Why it is reopened; recorded as a note sealed to the team, like the note command.")
  String note;

  @Override
  CaseAction action() {
    if (note != null) {
      new CaseAction.Note(note);
    }
    return new CaseAction.Reopen();
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    CaseAction reopen;
    try {
      reopen = action();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--note: " + e.getMessage());
    }
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      LocalCache.Submission report = TriageCommands.report(s.cache, id);
      CaseLog.sync(s.client, s.cache);
      CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
      CaseState before = log.state(report.id(), report.day());
      if (before.status() != Status.CLOSED) {
        throw new CliException(ExitCodes.REFUSED, "case " + report.id() + " is not closed (status "
            + before.status().wire() + "); nothing recorded");
      }
      TriageCommands.Posted posted = TriageCommands.record(s, log, report, reopen);
      String status = posted.would().status().name().toLowerCase(Locale.ROOT);
      if (note != null) {
        CaseLog.sync(s.client, s.cache);
        log = CaseLog.load(s.cache, s.server, s.identity);
        TriageCommands.record(s, log, report, new CaseAction.Note(note));
      }
      CaseLog.sync(s.client, s.cache);
      spec.commandLine().getOut().println("Recorded reopen" + (note == null ? "" : " and a note") + " on case "
          + report.id() + " (event " + posted.eventHex().substring(0, 16) + "); status now " + status);
      return ExitCodes.OK;
    }
  }
}

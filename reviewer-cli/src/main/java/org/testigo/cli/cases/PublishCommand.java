package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.testigo.api.client.ClientException;
import org.testigo.api.progress.SourceProgress;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.ReplyKey;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.key.RecipientPublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code publish ID --status S [--institution X [--reference R]] [--outcome O]}: publishes a
 * status line to the source of a report (source progress record v1, docs/spec/receipt-and-mailbox.md
 * §4), sealed to the report's reply key like a reply; the source's status page shows it in the
 * source's language from a fixed vocabulary. The line is shown and sent only once the reviewer
 * confirms ({@code --yes} for scripts), then a {@code status_published} case event records what
 * was published, for the team. Nothing reaches the source unless this command is run.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Show the source a status line on their status page (in their language, from a fixed list):"
        + " received; being investigated; referred to an institution with a reference; closed with an outcome.",
        "Sealed to the report's reply key like a reply; recorded as a status_published event for the team."})
public final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 6+ characters).")
  String id;
  @Option(names = "--status", required = true, paramLabel = "STATUS",
      description = "received, investigating, referred or closed.")
  String status;
  @Option(names = "--institution", paramLabel = "NAME",
      description = "With --status referred: the institution's name as the source should read it"
          + " (1-100 characters), e.g. \"Fiscalía General de la República\".")
  String institution;
  @Option(names = "--reference", paramLabel = "REF",
      description = "With --status referred, optional: the reference number the source can quote there (1-60 characters).")
  String reference;
  @Option(names = "--outcome", paramLabel = "OUTCOME",
      description = "With --status closed: substantiated, unsubstantiated, insufficient_evidence, duplicate,"
          + " withdrawn or referred.")
  String outcome;
  @Option(names = "--yes", description = "Publish without showing the line and asking for confirmation (for scripts).")
  boolean yes;

  /** The record the options describe as publication {@code n}; usage errors name the option, never its value. */
  SourceProgress progress(int n) {
    SourceProgress.Status st = code(SourceProgress.Status.class, status, "--status");
    if (st != SourceProgress.Status.REFERRED && (institution != null || reference != null)) {
      throw new CliException(ExitCodes.USAGE, "--institution and --reference go with --status referred");
    }
    if (st != SourceProgress.Status.CLOSED && outcome != null) {
      throw new CliException(ExitCodes.USAGE, "--outcome goes with --status closed");
    }
    try {
      return switch (st) {
        case RECEIVED -> SourceProgress.received(n);
        case INVESTIGATING -> SourceProgress.investigating(n);
        case REFERRED -> {
          if (institution == null) {
            throw new CliException(ExitCodes.USAGE, "--status referred needs --institution NAME");
          }
          yield SourceProgress.referred(n, institution.strip(), reference == null ? null : reference.strip());
        }
        case CLOSED -> {
          if (outcome == null) {
            throw new CliException(ExitCodes.USAGE, "--status closed needs --outcome OUTCOME");
          }
          yield SourceProgress.closed(n, code(SourceProgress.Outcome.class, outcome, "--outcome"));
        }
      };
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage() + "; nothing was published");
    }
  }

  /** The line as an English-reading source would see it (the page uses the source's language). */
  static String english(SourceProgress p) {
    return switch (p.status()) {
      case RECEIVED -> "Your report was received.";
      case INVESTIGATING -> "Your report is being investigated.";
      case REFERRED -> "Your report was referred to " + p.institution()
          + (p.reference() == null ? "" : " with reference number " + p.reference()) + ".";
      case CLOSED -> "Your case was closed: " + switch (p.outcome()) {
        case SUBSTANTIATED -> "the facts were confirmed";
        case UNSUBSTANTIATED -> "the facts were not confirmed";
        case INSUFFICIENT_EVIDENCE -> "there was not enough evidence";
        case DUPLICATE -> "it is handled in another report";
        case WITHDRAWN -> "the report was withdrawn";
        case REFERRED -> "the case went to another institution";
      } + ".";
    };
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    progress(1); // refuses bad options before the keystore is opened
    PrintWriter out = spec.commandLine().getOut();
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      LocalCache.Submission report = TriageCommands.report(s.cache, id);
      if (!report.hasMailbox()) {
        throw new CliException(ExitCodes.REFUSED, "report " + report.id() + " has no mailbox: its source has no"
            + " status page; nothing was published");
      }
      CaseLog.sync(s.client, s.cache);
      CaseState before = CaseLog.load(s.cache, s.server, s.identity).state(report.id(), report.day());
      SourceProgress progress = progress(ReferralUpdates.published(before).stream()
          .mapToInt(p -> p.action().progress().n()).max().orElse(0) + 1);
      if (!confirmed(report.id(), progress)) {
        out.println("Not published.");
        return ExitCodes.REFUSED;
      }
      byte[] sealed = seal(s, report.id(), progress);
      Accepted stored = s.client.reply(report.id(), sealed);
      out.println("Published to the source of report " + report.id() + " (stored as "
          + Objects.toString(stored.id(), "") + " on " + Objects.toString(stored.receivedDay(), "")
          + "): " + english(progress));
      try {
        CaseLog.sync(s.client, s.cache);
        CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
        TriageCommands.record(s, log, report,
            new CaseAction.StatusPublished(progress, SignedCaseEvent.contentHash(sealed)));
        CaseLog.sync(s.client, s.cache);
      } catch (IllegalStateException | CliException | ClientException e) {
        spec.commandLine().getErr().println("testigo-reviewer: warning: the status was published but its"
            + " status_published event was not recorded: " + e.getMessage());
        return ExitCodes.SERVER;
      }
      return ExitCodes.OK;
    }
  }

  private boolean confirmed(String reportId, SourceProgress progress) {
    if (yes) {
      return true;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("The source of report " + reportId + " will read this on their status page, in their language:");
    out.println("  " + english(progress));
    out.flush();
    String answer = ReplyCommand.terminal.ask("Publish this status? [y/N] ");
    if (answer == null) {
      throw new CliException(ExitCodes.USAGE, "no terminal to confirm on: check the line and run again with --yes;"
          + " nothing was published");
    }
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes") || a.equals("s") || a.equals("si") || a.equals("sí");
  }

  /** The record's payload sealed to the report's reply key, checked against its fingerprint. */
  private static byte[] seal(RemoteSession s, String reportId, SourceProgress progress) throws IOException {
    ReplyKey key = s.client.replyKey(reportId);
    RecipientPublicKey replyKey;
    try {
      replyKey = RecipientPublicKey.fromBytes(Base64.getUrlDecoder().decode(Objects.toString(key.replyPublicKey(), "")));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.SERVER, "the server sent a malformed reply key; nothing was published");
    }
    if (!replyKey.fingerprint().hex().equals(key.fingerprint())) {
      throw new CliException(ExitCodes.SERVER, "the server's reply key and its fingerprint disagree; nothing was published");
    }
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(progress.payload()), sealed, List.of(replyKey), Envelope.CONTEXT_REPLY,
        new SecureRandom());
    return sealed.toByteArray();
  }

  private static <E extends Enum<E>> E code(Class<E> type, String wire, String option) {
    List<String> names = new java.util.ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
      if (c.name().equalsIgnoreCase(wire.strip().replace('-', '_'))) {
        return c;
      }
    }
    throw new CliException(ExitCodes.USAGE, option + " must be one of " + names);
  }
}

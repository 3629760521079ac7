package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.merkle.SignedTreeHead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code audit}: check a server's key manifests and transparency log, without any key. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audit a Testigo server from its public endpoints: key manifests, signed tree"
        + " heads, the log's entries, the recipients of every submission, case-event signatures and"
        + " possession challenges. Needs no key (except 'challenge answer', which a reviewer runs).",
    subcommands = {AuditCommand.Verify.class, AuditCommand.State.class, AuditChallengeCommand.class})
public final class AuditCommand {

  /** Shared {@code --server} and {@code --state-dir}. */
  static final class ServerOptions {
    @Option(names = "--server", required = true, paramLabel = "URL",
        description = "The server's base URL, e.g. http://xyz.onion/ (through a local proxy) or http://127.0.0.1:8080/.")
    URI server;
    @Option(names = "--socks", paramLabel = "HOST:PORT",
        description = "Reach the server through this SOCKS5 proxy (tor's SocksPort, e.g. 127.0.0.1:9050);"
            + " required for an .onion URL, whose name is resolved only by tor.")
    String socks;
    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "Where the last verified tree head of each server is kept (default ~/.testigo/audit).")
    Path stateDir;

    /** The client of the server's public endpoints, through {@code --socks} if given. */
    LogClient client() {
      return new LogClient(server, socks == null ? java.util.Optional.empty()
          : java.util.Optional.of(org.testigo.api.client.Socks5.Address.parse(socks)));
    }

    Path stateFile() {
      if (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
        throw new CliException(ExitCodes.USAGE, "--server must be an http:// or https:// URL");
      }
      return AuditState.file(stateDir != null ? stateDir : AuditState.defaultDirectory(), server);
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Replay the manifest chain from the pinned root, verify the latest signed tree head"
          + " and its consistency with the last one this auditor saw, recompute the root from every"
          + " entry, and check that each submission was sealed to exactly the reviewers in force."
          + " Exit 0 if everything holds, 3 if something does not.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions options;
    @Option(names = "--root", required = true, paramLabel = "HEX",
        description = "The organisation's published root fingerprint (64 hex characters).")
    String root;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Option(names = "--challenge-max-age-days", paramLabel = "DAYS", defaultValue = "90",
        description = "A reviewer whose last passed possession challenge is older is flagged (default ${DEFAULT-VALUE}).")
    int challengeMaxAgeDays;

    @Override
    public Integer call() throws IOException {
      if (challengeMaxAgeDays < 1) {
        throw new CliException(ExitCodes.USAGE, "--challenge-max-age-days must be at least 1");
      }
      Fingerprint pinned;
      try {
        pinned = Fingerprint.fromHex(root.replace(" ", "").toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--root must be the 64 hex characters of the root fingerprint");
      }
      Path stateFile = options.stateFile();
      Optional<SignedTreeHead> previous = AuditState.load(stateFile);
      ChallengeCheck.Policy challenges = new ChallengeCheck.Policy(java.time.Duration.ofDays(challengeMaxAgeDays),
          ChallengeLedger.issuedIds(ChallengeLedger.file(stateFile)), Instant.now());
      LogAudit.Outcome outcome = new LogAudit(options.client(), pinned, challenges).run(previous);
      AuditReport report = outcome.report();
      report.facts.put("server", options.server.toString());
      report.facts.put("stateFile", stateFile.toString());
      if (outcome.toRemember().isPresent()) {
        AuditState.save(stateFile, options.server, pinned.hex(), outcome.toRemember().get(), Instant.now());
        report.facts.put("stateUpdated", true);
      } else {
        report.facts.put("stateUpdated", false);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
      } else {
        out.println("Audit of " + options.server + " (root " + pinned.shortForm() + ")");
        out.print(report.toText());
        out.println(outcome.toRemember().isPresent()
            ? "Recorded the verified tree head in " + stateFile + " (print it with: audit state)."
            : "The tree head was NOT recorded: " + stateFile + " keeps the last one that verified.");
      }
      out.flush();
      return report.holds() ? ExitCodes.OK : ExitCodes.CRYPTO;
    }
  }

  @Command(name = "state", mixinStandardHelpOptions = true,
      description = "Print the last verified tree head recorded for a server, to compare with other auditors.")
  static final class State implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions options;

    @Override
    public Integer call() throws IOException {
      Path file = options.stateFile();
      if (!Files.exists(file)) {
        throw new CliException(ExitCodes.BAD_INPUT, "no audit state for " + options.server + " in " + file);
      }
      AuditState.load(file);
      spec.commandLine().getOut().print(Files.readString(file, StandardCharsets.UTF_8));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}

package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testigo.api.client.ClientException;
import org.testigo.api.wire.ChallengeAnswered;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.challenge.ChallengeAnswer;
import org.testigo.crypto.challenge.PossessionChallenge;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.SignedTreeHead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code audit challenge}: possession challenges (docs/spec/merkle-log-and-proofs.md §5.1). The auditor issues a
 * challenge file sealed to one reviewer's current key (no private key needed) and hands it
 * over by any channel; the reviewer answers it with their keystore, which posts the answer
 * to the server; the auditor checks the log for it.
 */
@Command(name = "challenge", mixinStandardHelpOptions = true,
    description = "Possession challenges: prove that a reviewer can still open envelopes sealed to their key.",
    subcommands = {AuditChallengeCommand.Issue.class, AuditChallengeCommand.Answer.class,
        AuditChallengeCommand.Status.class})
public final class AuditChallengeCommand {

  static Fingerprint pinned(String root) {
    try {
      return Fingerprint.fromHex(root.replace(" ", "").toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--root must be the 64 hex characters of the root fingerprint");
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Seal a random nonce to exactly one reviewer's current X-Wing key (from the manifest chain,"
          + " verified from the pinned root) and write the challenge to a file for that reviewer. The nonce is"
          + " not kept; the challenge id is recorded beside the audit state, so that only challenges issued"
          + " here count as proof in this auditor's reports.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AuditCommand.ServerOptions options;
    @Option(names = "--root", required = true, paramLabel = "HEX",
        description = "The organisation's published root fingerprint (64 hex characters).")
    String root;
    @Option(names = "--reviewer", required = true, paramLabel = "ALIAS|FINGERPRINT",
        description = "The reviewer: alias, or the 64-hex reviewer, signing-key or encryption-key fingerprint.")
    String reviewer;
    @Option(names = "--out", paramLabel = "FILE",
        description = "Where to write the challenge (default challenge-<id>.tchal here). Never overwritten.")
    Path out;

    @Override
    public Integer call() throws IOException {
      Fingerprint pin = pinned(root);
      Path ledger = ChallengeLedger.file(options.stateFile());
      KeyManifest latest;
      try {
        latest = ManifestChain.verify(SignedManifest.parseArmored(options.client().manifestChain()), pin);
      } catch (CryptoException | RuntimeException e) {
        if (e instanceof CliException || e instanceof ClientException) {
          throw (RuntimeException) e;
        }
        throw new CliException(ExitCodes.CRYPTO, "the server's manifest chain does not verify from the pinned root "
            + pin.shortForm());
      }
      Instant now = Instant.now();
      ReviewerEntry who = find(latest, reviewer, now);
      PossessionChallenge c = PossessionChallenge.issue(who.signingKey(), who.encryptionKey(), now, new SecureRandom());
      Path file = out != null ? out : Path.of("challenge-" + c.idHex().substring(0, 16) + ".tchal");
      if (Files.exists(file)) {
        throw new CliException(ExitCodes.REFUSED, file + " exists; choose another --out");
      }
      Files.write(file, c.encoded(), java.nio.file.StandardOpenOption.CREATE_NEW);
      ChallengeLedger.record(ledger, options.server, c, who.alias());
      PrintWriter pw = spec.commandLine().getOut();
      pw.println("Challenge " + c.idHex() + " for " + who.alias() + " (encryption key "
          + who.encryptionKey().fingerprint().shortForm() + ") written to " + file + ".");
      pw.println("Give the file to " + who.alias() + " by any channel; they answer with:");
      pw.println("  testigo-reviewer audit challenge answer " + file.getFileName() + " -k KEYSTORE");
      pw.println("Recorded in " + ledger + ". Check later with: testigo-reviewer audit challenge status");
      pw.flush();
      return ExitCodes.OK;
    }

    static ReviewerEntry find(KeyManifest m, String wanted, Instant now) {
      String w = wanted.strip().toLowerCase(Locale.ROOT);
      List<ReviewerEntry> matches = m.reviewers().stream().filter(e -> e.alias().equals(wanted.strip())
          || e.fingerprint().hex().equals(w) || e.signingKey().fingerprint().hex().equals(w)
          || e.encryptionKey().fingerprint().hex().equals(w)).toList();
      if (matches.isEmpty()) {
        throw new CliException(ExitCodes.BAD_INPUT, "no reviewer '" + wanted + "' in manifest " + m.sequence()
            + "; give an alias or a full 64-hex fingerprint (see: testigo-reviewer manifest show)");
      }
      ReviewerEntry e = matches.get(0);
      if (matches.size() > 1) {
        throw new CliException(ExitCodes.BAD_INPUT, "'" + wanted + "' names more than one reviewer; give a fingerprint");
      }
      if (!e.receivesReports() || !e.isValidAt(now)) {
        throw new CliException(ExitCodes.BAD_INPUT, e.alias() + " is not a report recipient valid now in manifest "
            + m.sequence() + "; only current reviewers and admins can be challenged");
      }
      return e;
    }
  }

  @Command(name = "answer", mixinStandardHelpOptions = true,
      description = "Open a challenge with your keystore, sign the answer, and send it to the server, which"
          + " checks it and records it in its transparency log. Each challenge can be answered once.")
  static final class Answer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOptions home;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "FILE", description = "The challenge file from the auditor.")
    Path file;

    @Override
    public Integer call() throws IOException, CryptoException {
      PossessionChallenge c;
      try {
        c = PossessionChallenge.parse(Files.readAllBytes(file));
      } catch (CryptoException e) {
        throw new CliException(ExitCodes.BAD_INPUT, file + " is not a v1 possession challenge");
      }
      try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
        if (!c.reviewerKey().equals(s.identity.signingKey().publicKey())) {
          throw new CliException(ExitCodes.REFUSED, "this challenge is for another reviewer (signing key "
              + c.reviewerKey().fingerprint().shortForm() + ")");
        }
        byte[] nonce;
        try {
          nonce = c.openNonce(s.identity.encryptionKey());
        } catch (CryptoException e) {
          throw new CliException(ExitCodes.CRYPTO, "your key does not open this challenge: it was sealed to key "
              + c.recipient().shortForm() + "; tell the auditor and your admin");
        }
        ChallengeAnswer a = ChallengeAnswer.sign(c, nonce, s.identity.signingKey(), Instant.now());
        ChallengeAnswered r = s.client.answerChallenge(LengthPrefixed.join(c.encoded(), a.encoded()));
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("Answered challenge " + c.idHex() + "; the server verified it and logged it (position "
            + r.seq() + ").");
        pw.flush();
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Audit the server (as audit verify, without recording the tree head) and print, per report"
          + " recipient of the current manifest, the last challenge issued here that they passed. Exit 0 if"
          + " everything verifies, 3 if not; with --strict also 3 if a reviewer is not recently proven.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AuditCommand.ServerOptions options;
    @Option(names = "--root", required = true, paramLabel = "HEX",
        description = "The organisation's published root fingerprint (64 hex characters).")
    String root;
    @Option(names = "--max-age-days", paramLabel = "DAYS", defaultValue = "90",
        description = "A proof older than this is stale (default ${DEFAULT-VALUE}).")
    int maxAgeDays;
    @Option(names = "--strict", description = "Exit 3 also when a reviewer is not recently proven.")
    boolean strict;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      if (maxAgeDays < 1) {
        throw new CliException(ExitCodes.USAGE, "--max-age-days must be at least 1");
      }
      Fingerprint pin = pinned(root);
      Path stateFile = options.stateFile();
      Optional<SignedTreeHead> previous = AuditState.load(stateFile);
      ChallengeCheck.Policy policy = new ChallengeCheck.Policy(Duration.ofDays(maxAgeDays),
          ChallengeLedger.issuedIds(ChallengeLedger.file(stateFile)), Instant.now());
      AuditReport report = new LogAudit(options.client(), pin, policy).run(previous).report();
      PrintWriter pw = spec.commandLine().getOut();
      if (json) {
        pw.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
      } else {
        pw.println("Possession of report keys on " + options.server + " (root " + pin.shortForm() + ")");
        for (JsonNode r : report.facts.path("possession")) {
          pw.printf("  %-16s %-15s last passed here: %-10s last answered (any issuer): %s%n", r.path("alias").asText(),
              r.path("state").asText(), r.path("lastPassedHere").asText("-"), r.path("lastAnsweredAny").asText("-"));
        }
        pw.print(report.toText());
      }
      pw.flush();
      boolean proven = report.statusOf("challenges") == AuditReport.Status.PASS;
      return report.holds() && (proven || !strict) ? ExitCodes.OK : ExitCodes.CRYPTO;
    }
  }
}

package org.testigo.cli.custody;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.cli.common.Bundles;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.custody.RootKeyCeremony;
import org.testigo.crypto.custody.RootShare;
import org.testigo.crypto.sign.SigningPublicKey;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code manifest}: verify a chain of signed key manifests from the pinned root, and (with
 * custodians' shares) issue the next manifest: genesis, add, remove or revoke a reviewer,
 * rotate the log key. Each change verifies the current chain from the root key of the
 * shares, signs the next manifest with the rebuilt root, verifies the whole new chain and
 * writes it to a new file.
 */
@Command(name = "manifest", description = "Check signed key manifests; sign changes with"
    + " the custodians' shares.",
    mixinStandardHelpOptions = true, subcommands = {ManifestCommand.Verify.class,
        ManifestCommand.New.class, ManifestCommand.AddReviewer.class, ManifestCommand.SetTorKey.class,
        ManifestCommand.RemoveReviewer.class, ManifestCommand.RevokeReviewer.class,
        ManifestCommand.RotateLogKey.class, ManifestCommand.SetRetention.class})
public final class ManifestCommand {
  private ManifestCommand() {}


  @Command(name = "new", mixinStandardHelpOptions = true,
      description = "Sign the first manifest (sequence 0) of a new chain with M shares.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--organisation", required = true, description = "Organisation name, as shown to sources"
        + " and auditors.") String organisation;
    @Option(names = "--log-key", required = true, paramLabel = "FILE",
        description = "The server's log public key file.")
    Path logKey;
    @Option(names = "--admin", paramLabel = "BUNDLE", description = "Public key bundle of an admin (repeatable).")
    List<Path> admins;
    @Option(names = "--reviewer", paramLabel = "BUNDLE", description = "Public key bundle of a reviewer (repeatable).")
    List<Path> reviewers;
    @Option(names = "--auditor", paramLabel = "BUNDLE", description = "Public key bundle of an auditor (repeatable).")
    List<Path> auditors;
    @Option(names = "--valid-days", defaultValue = "365",
        description = "Days each listed key stays valid (default: ${DEFAULT-VALUE}).") int validDays;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
        description = "New chain file to create.")
    Path out;
    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<ShareInputs.ShareArg> shares;

    @Override
    public Integer call() throws IOException {
      Manifests.refuseExisting(out);
      Instant now = Instant.now();
      SigningPublicKey log = Manifests.readLogKey(logKey);
      List<ReviewerEntry> entries = Manifests.entries(admins, reviewers, auditors, now,
          validDays);
      List<RootShare> s = ShareInputs.read(shares);
      try {
        SigningPublicKey root = RootKeyCeremony.checkShares(s).rootKey();
        KeyManifest m;
        try {
          m = ManifestUpdates.genesis(organisation, root, log, entries, now);
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCodes.BAD_INPUT, "cannot build the manifest: "
              + e.getMessage());
        }
        SignedManifest signed = RootKeyCeremony.signManifest(s, m);
        Manifests.writeChain(out, List.of(signed));
        spec.commandLine().getOut().println("Signed manifest 0 for " + organisation
            + " (root " + KeyManifest.rootFingerprint(root).shortForm() + "): " + out);
        return ExitCodes.OK;
      } finally {
        ShareInputs.destroy(s);
      }
    }
  }

  /** Template of a change: verify the chain, build the next manifest, sign, append, write. */
  abstract static class Change implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--chain", required = true, paramLabel = "FILE",
        description = "The current manifest chain (armored, oldest first).")
    Path chainFile;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
        description = "New chain file to create (the whole chain plus the new manifest).")
    Path out;
    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<ShareInputs.ShareArg> shares;

    abstract KeyManifest change(SignedManifest current, Instant now) throws IOException;

    abstract String done();

    @Override
    public Integer call() throws IOException {
      Manifests.refuseExisting(out);
      List<SignedManifest> chain = Manifests.readChain(chainFile);
      List<RootShare> s = ShareInputs.read(shares);
      try {
        Fingerprint pinned = RootKeyCeremony.checkShares(s).rootFingerprint();
        try {
          ManifestChain.verify(chain, pinned);
        } catch (CryptoException e) {
          throw new CliException(ExitCodes.CRYPTO, chainFile + " does not verify from the"
              + " root key of these shares (" + pinned.shortForm() + ")");
        }
        KeyManifest next;
        try {
          next = change(chain.get(chain.size() - 1), Instant.now());
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
        SignedManifest signed = RootKeyCeremony.signManifest(s, next);
        List<SignedManifest> longer;
        try {
          longer = ManifestUpdates.append(chain, signed, pinned);
        } catch (CryptoException e) {
          throw new CliException(ExitCodes.CRYPTO, "the new manifest does not chain to the"
              + " current one");
        }
        Manifests.writeChain(out, longer);
        spec.commandLine().getOut().println(done() + ": manifest " + next.sequence()
            + " signed; chain of " + longer.size() + " written to " + out);
        return ExitCodes.OK;
      } finally {
        ShareInputs.destroy(s);
      }
    }
  }

  @Command(name = "add-reviewer", mixinStandardHelpOptions = true,
      description = "Add a key holder from their public bundle.")
  static final class AddReviewer extends Change {
    @Parameters(paramLabel = "BUNDLE", description = "Public key bundle file.") Path bundle;
    @Option(names = "--role", defaultValue = ReviewerEntry.ROLE_REVIEWER,
        description = "reviewer, admin or auditor (default: ${DEFAULT-VALUE}).")
    String role;
    @Option(names = "--valid-days", defaultValue = "365",
        description = "Days the added key stays valid (default: ${DEFAULT-VALUE}).") int validDays;
    private String alias;

    @Override
    KeyManifest change(SignedManifest current, Instant now) throws IOException {
      ReviewerEntry e = Manifests.entry(bundle, role, now, validDays);
      alias = e.alias();
      return ManifestUpdates.addReviewer(current, e, now);
    }

    @Override
    String done() {
      return "Added " + alias + " (" + role + ")";
    }
  }

  @Command(name = "set-tor-key", mixinStandardHelpOptions = true,
      description = "Give a listed key holder the Tor client-auth key of their public bundle v2"
          + " ('keys public'), so that the reviewer onion admits them; the bundle's keys must be"
          + " those of the listed entry, its Tor key signed by them.")
  static final class SetTorKey extends Change {
    @Parameters(paramLabel = "BUNDLE", description = "Public key bundle file (v2).") Path bundle;
    private String alias;

    @Override
    KeyManifest change(SignedManifest current, Instant now) throws IOException {
      org.testigo.crypto.identity.ReviewerPublicBundle b = Bundles.read(bundle);
      alias = b.alias();
      return ManifestUpdates.setTorKey(current, b, now);
    }

    @Override
    String done() {
      return "Set the Tor client-auth key of " + alias;
    }
  }

  @Command(name = "remove-reviewer", mixinStandardHelpOptions = true,
      description = "Remove a key holder from the manifest.")
  static final class RemoveReviewer extends Change {
    @Parameters(paramLabel = "ALIAS", description = "Alias of the reviewer, as listed in the manifest.") String alias;

    @Override
    KeyManifest change(SignedManifest current, Instant now) {
      return ManifestUpdates.removeReviewer(current, alias, now);
    }

    @Override
    String done() {
      return "Removed " + alias;
    }
  }

  @Command(name = "revoke-reviewer", mixinStandardHelpOptions = true,
      description = "End a key holder's validity now (the entry stays, with notAfter = now).")
  static final class RevokeReviewer extends Change {
    @Parameters(paramLabel = "ALIAS", description = "Alias of the reviewer, as listed in the manifest.") String alias;

    @Override
    KeyManifest change(SignedManifest current, Instant now) {
      return ManifestUpdates.revokeReviewer(current, alias, now);
    }

    @Override
    String done() {
      return "Revoked " + alias;
    }
  }

  @Command(name = "rotate-log-key", mixinStandardHelpOptions = true,
      description = "Replace the server's log-signing key.")
  static final class RotateLogKey extends Change {
    @Parameters(paramLabel = "LOGPUBKEYFILE", description = "File with the server's new log public key.") Path logKey;

    @Override
    KeyManifest change(SignedManifest current, Instant now) throws IOException {
      return ManifestUpdates.rotateLogKey(current, Manifests.readLogKey(logKey), now);
    }

    @Override
    String done() {
      return "Log key rotated";
    }
  }

  @Command(name = "set-retention", mixinStandardHelpOptions = true,
      description = {"Set (or replace) the retention policy that says when cases may be erased"
          + " (docs/spec/retention-and-erasure.md §1); the new manifest is of version 3.",
          "Under a manifest without a policy nothing may be erased. The default offered is "
              + "365 / 1825 / 30 days and 2 signatures."})
  static final class SetRetention extends Change {
    @Option(names = "--closed-days", required = true, paramLabel = "N",
        description = "Days a case is kept after it is closed (1..3650), e.g. 365.") int closedDays;
    @Option(names = "--referral-days", required = true, paramLabel = "N",
        description = "Days a closed case is kept while a referral is open (1..3650, at least --closed-days),"
            + " e.g. 1825.") int referralDays;
    @Option(names = "--spam-days", required = true, paramLabel = "N",
        description = "Days after receipt a case labelled spam, or a malformed report, is kept (1..3650),"
            + " e.g. 30.") int spamDays;
    @Option(names = "--early-signatures", required = true, paramLabel = "N",
        description = "Distinct reviewers who must sign an erasure before the policy's date, or one a"
            + " source asked for (1..8), e.g. 2.") int earlySignatures;
    private RetentionPolicy policy;

    @Override
    KeyManifest change(SignedManifest current, Instant now) {
      policy = new RetentionPolicy(closedDays, referralDays, spamDays, earlySignatures);
      return ManifestUpdates.setRetention(current, policy, now);
    }

    @Override
    String done() {
      return "Retention policy set (" + describe(policy) + ")";
    }
  }

  /** A policy in words: "closed 365 days, referral open 1825 days, spam 30 days, early erasure: 2 signatures". */
  static String describe(RetentionPolicy p) {
    return "closed cases kept " + p.closedDays() + " days, " + p.referralDays() + " days while a referral is"
        + " open, spam and malformed reports " + p.spamDays() + " days after receipt; early erasure needs "
        + p.earlySignatures() + " signature(s)";
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify a manifest chain (armored text files, oldest first) from the"
          + " organisation's published root fingerprint, and print who can read new"
          + " reports.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--root", required = true, paramLabel = "HEX",
        description = "Root fingerprint, 64 hex characters, as the organisation publishes"
            + " it.")
    String root;
    @Parameters(paramLabel = "FILE", arity = "1..*",
        description = "Armored manifest or manifest-chain files, oldest first.")
    List<Path> files;

    @Override
    public Integer call() throws IOException, CryptoException {
      Fingerprint pinned;
      try {
        pinned = Fingerprint.fromHex(root.replace(" ", ""));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "--root must be the 64 hex characters of"
            + " the root fingerprint");
      }
      List<SignedManifest> chain = new ArrayList<>();
      for (Path f : files) {
        if (Files.size(f) > 16L * 1024 * 1024) {
          throw new CliException(ExitCodes.BAD_INPUT, f + " is too large to be a manifest");
        }
        chain.addAll(SignedManifest.parseArmored(Files.readString(f, StandardCharsets.UTF_8)));
      }
      KeyManifest current = ManifestChain.verify(chain, pinned);
      PrintWriter out = spec.commandLine().getOut();
      out.println("OK: " + chain.size() + " manifest(s) verified from root "
          + pinned.shortForm());
      out.println("organisation: " + current.organisation());
      out.println("sequence:     " + current.sequence());
      out.println("issued:       " + current.issuedAt());
      out.println("log key:      " + current.logKey().fingerprint().hex());
      out.println("retention:    " + current.retentionPolicy().map(ManifestCommand::describe)
          .orElse("none (nothing may be erased; set one with manifest set-retention)"));
      out.println("reviewers:");
      for (ReviewerEntry r : current.reviewers()) {
        out.printf("  %-16s %-9s %s  valid %s .. %s%n", r.alias(), r.role(),
            r.fingerprint().shortForm(), r.notBefore(), r.notAfter());
      }
      return ExitCodes.OK;
    }
  }
}

package org.testigo.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.custody.Manifests;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.sign.SigningPublicKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code proof}: check a proof of filing offline. */
@Command(name = "proof", mixinStandardHelpOptions = true,
    description = "Check a proof of filing offline.", subcommands = {ProofCommand.Verify.class})
public final class ProofCommand {

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify a proof of filing: that an entry was in the Testigo transparency"
          + " log at the time of a signed tree head. Needs no network and reveals nothing of"
          + " the report's content.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "PROOFFILE", description = "The proof of filing (text).")
    Path proofFile;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Trust trust;

    static final class Trust {
      @ArgGroup(exclusive = false)
      FromManifest manifest;
      @Option(names = "--log-key", paramLabel = "FILE", description = "Trust this log public"
          + " key file directly (the key is then not checked against a manifest).")
      Path logKey;
    }

    static final class FromManifest {
      @Option(names = "--manifest", required = true, paramLabel = "CHAIN",
          description = "The organisation's key manifest chain.")
      Path chain;
      @Option(names = "--root", required = true, paramLabel = "HEX",
          description = "The published root fingerprint (64 hex characters).")
      String root;
    }

    @Override
    public Integer call() throws IOException {
      if (Files.size(proofFile) > 64 * 1024) {
        throw new CliException(ExitCodes.BAD_INPUT, proofFile + " is too large to be a proof");
      }
      FilingProof proof;
      try {
        proof = FilingProof.parseArmored(Files.readString(proofFile, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, proofFile + ": " + e.getMessage());
      } catch (CryptoException e) {
        throw failed();
      }
      String basis;
      try {
        if (trust.logKey != null) {
          SigningPublicKey key = Manifests.readLogKey(trust.logKey);
          proof.verify(key);
          basis = "signed by the log key " + key.fingerprint().hex() + " given with --log-key"
              + " (not checked against a key manifest)";
        } else {
          Fingerprint pinned;
          try {
            pinned = Fingerprint.fromHex(trust.manifest.root.replace(" ", ""));
          } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--root must be the 64 hex characters"
                + " of the root fingerprint");
          }
          List<SignedManifest> chain = Manifests.readChain(trust.manifest.chain);
          KeyManifest latest;
          try {
            latest = ManifestChain.verify(chain, pinned);
          } catch (CryptoException e) {
            throw new CliException(ExitCodes.CRYPTO, trust.manifest.chain + " does not verify"
                + " from the root fingerprint " + pinned.shortForm());
          }
          long seq = proof.verify(chain, pinned);
          basis = "signed by the log key " + proof.logKeyFingerprint().hex()
              + ", the one in force in key manifest " + seq + " of " + latest.organisation()
              + " (root " + pinned.shortForm() + ")";
        }
      } catch (CryptoException e) {
        throw failed();
      }
      PrintWriter w = spec.commandLine().getOut();
      Instant at = Instant.ofEpochMilli(proof.treeHead().timestampMillis());
      w.println("OK: the proof of filing verifies.");
      w.println("An entry with hash " + HexFormat.of().formatHex(proof.leaf().objectHash())
          + " (" + proof.leaf().type().label() + ", accepted on " + proof.leaf().day() + ")");
      w.println("existed in the log at " + at + ", as entry " + proof.leafIndex() + " of "
          + proof.treeHead().treeSize() + ",");
      w.println(basis + ".");
      w.println("It proves that the entry existed at that time; it reveals nothing of the"
          + " content.");
      return ExitCodes.OK;
    }

    private static CliException failed() {
      return new CliException(ExitCodes.CRYPTO, "the proof of filing does not verify: it was"
          + " changed, or it does not come from this log");
    }
  }
}

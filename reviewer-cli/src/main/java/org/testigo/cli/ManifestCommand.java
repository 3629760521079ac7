package org.testigo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code manifest}: verify a chain of signed key manifests from the pinned root. */
@Command(name = "manifest", description = "Check signed key manifests.",
    mixinStandardHelpOptions = true, subcommands = {ManifestCommand.Verify.class})
public final class ManifestCommand {

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
      out.println("reviewers:");
      for (ReviewerEntry r : current.reviewers()) {
        out.printf("  %-16s %-9s %s  valid %s .. %s%n", r.alias(), r.role(),
            r.fingerprint().shortForm(), r.notBefore(), r.notAfter());
      }
      return ExitCodes.OK;
    }
  }
}

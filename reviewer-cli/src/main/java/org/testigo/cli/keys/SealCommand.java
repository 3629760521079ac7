package org.testigo.cli.keys;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.common.Bundles;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.key.RecipientPublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code seal}: encrypt a file into a v1 envelope for one or more public key bundles. */
@Command(name = "seal", mixinStandardHelpOptions = true,
    description = "Seal IN into a v1 envelope OUT that only the given recipients can open.")
public final class SealCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--to", required = true, paramLabel = "BUNDLE",
      description = "Recipient public key bundle file (repeat for several recipients).")
  List<Path> to;
  @Option(names = "--context", defaultValue = Envelope.CONTEXT_REPORT,
      description = "Envelope context bound into the header (default: ${DEFAULT-VALUE}).")
  String context;
  @Parameters(index = "0", paramLabel = "IN", description = "Plaintext file.")
  Path in;
  @Parameters(index = "1", paramLabel = "OUT", description = "Envelope file to create.")
  Path out;

  @Override
  public Integer call() throws IOException {
    List<RecipientPublicKey> recipients = new ArrayList<>();
    for (Path bundle : to) {
      ReviewerPublicBundle b = Bundles.read(bundle);
      if (recipients.contains(b.encryptionKey())) {
        throw new CliException(ExitCodes.BAD_INPUT, "recipient given twice: " + bundle);
      }
      recipients.add(b.encryptionKey());
    }
    if (recipients.size() > Envelope.MAX_RECIPIENTS) {
      throw new CliException(ExitCodes.BAD_INPUT, "at most " + Envelope.MAX_RECIPIENTS
          + " recipients per envelope");
    }
    try (InputStream src = new BufferedInputStream(Files.newInputStream(in), 1 << 16);
        OutputStream dst = new BufferedOutputStream(Files.newOutputStream(out,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
      Envelope.seal(src, dst, recipients, context, new SecureRandom());
    } catch (IllegalArgumentException e) {
      Files.deleteIfExists(out);
      throw new CliException(ExitCodes.BAD_INPUT, "cannot seal: " + e.getMessage());
    }
    spec.commandLine().getOut().println("Sealed " + in + " to " + recipients.size()
        + " recipient(s): " + out);
    return ExitCodes.OK;
  }
}

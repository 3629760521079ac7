package org.testigo.cli.keys;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code open}: decrypt a v1 envelope with the reviewer's keystore. The plaintext is
 * written to a private temporary file beside OUT (mode 0600) and moved into place only once
 * the whole envelope has been authenticated; on any failure nothing is left behind.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
    description = "Open (decrypt) envelope IN into OUT with your keystore.")
public final class OpenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--context", defaultValue = Envelope.CONTEXT_REPORT,
      description = "Expected envelope context (default: ${DEFAULT-VALUE}).")
  String context;
  @Parameters(index = "0", paramLabel = "IN", description = "Envelope file.")
  Path in;
  @Parameters(index = "1", paramLabel = "OUT", description = "Plaintext file to create.")
  Path out;

  @Override
  public Integer call() throws IOException, CryptoException {
    if (Files.exists(out)) {
      throw new CliException(ExitCodes.REFUSED, "refusing to overwrite " + out);
    }
    if (!Files.isRegularFile(in)) {
      throw new CliException(ExitCodes.IO, "file not found: " + in);
    }
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".testigo-open-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    boolean done = false;
    try (InputStream src = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
      try (OutputStream dst = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        Envelope.open(src, dst, identity.encryptionKey(), context);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    } finally {
      identity.destroy();
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    spec.commandLine().getOut().println("Opened " + in + " into " + out
        + " (plaintext: keep it on this machine)");
    return ExitCodes.OK;
  }
}

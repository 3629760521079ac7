package org.testigo.cli.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.PrintableShare;
import org.testigo.crypto.custody.RootShare;
import org.testigo.crypto.custody.ShareFile;
import org.testigo.crypto.custody.ShareHeader;
import org.testigo.crypto.identity.Passphrase;
import picocli.CommandLine.Option;

/**
 * Reads the root-key shares a custodian hands in: a share file (asks for, or reads, that
 * custodian's passphrase) or a printed share typed back into a text file.
 */
final class ShareInputs {
  private ShareInputs() {}

  /** One {@code --share FILE [--share-passphrase-file FILE]} pair. */
  static final class ShareArg {
    @Option(names = "--share", required = true, paramLabel = "FILE",
        description = "A custodian's share file (.tshare) or printed share (text). Repeat"
            + " for each custodian present.")
    Path file;
    @Option(names = "--share-passphrase-file", paramLabel = "FILE",
        description = "Passphrase of the preceding share file (first line); without it the"
            + " custodian is asked to type it.")
    Path passphraseFile;
  }

  /** Opens every share; the caller destroys them ({@link #destroy}). */
  static List<RootShare> read(List<ShareArg> args) throws IOException {
    List<RootShare> out = new ArrayList<>();
    try {
      for (ShareArg a : args) {
        out.add(read(a));
      }
      return out;
    } catch (RuntimeException | IOException e) {
      destroy(out);
      throw e;
    }
  }

  static void destroy(List<RootShare> shares) {
    shares.forEach(RootShare::destroy);
  }

  private static RootShare read(ShareArg a) throws IOException {
    if (Files.size(a.file) > 64 * 1024) {
      throw new CliException(ExitCodes.BAD_INPUT, a.file + " is too large to be a share");
    }
    byte[] bytes = Files.readAllBytes(a.file);
    try {
      if (ShareFile.looksLikeShareFile(bytes)) {
        return openFile(a, bytes);
      }
      try {
        return PrintableShare.parse(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, a.file + ": " + e.getMessage());
      }
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static RootShare openFile(ShareArg a, byte[] bytes) throws IOException {
    ShareHeader h;
    try {
      h = ShareFile.peek(bytes);
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.BAD_INPUT, a.file + " is not a valid share file v1");
    }
    PassphraseOptions po = new PassphraseOptions();
    po.passphraseFile = a.passphraseFile;
    char[] chars = po.read("Passphrase of custodian " + h.custodian() + " (share "
        + h.index() + " of " + h.total() + ")");
    Passphrase p = Passphrase.of(chars);
    Arrays.fill(chars, '\0');
    try {
      return ShareFile.decrypt(bytes, p);
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "could not open " + a.file + " (custodian "
          + h.custodian() + "): wrong passphrase, or the file was modified");
    } finally {
      p.destroy();
    }
  }
}

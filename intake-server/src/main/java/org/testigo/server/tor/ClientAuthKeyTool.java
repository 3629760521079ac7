package org.testigo.server.tor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * {@code ClientAuthKeyTool <reviewer onion address> <private key file>}: generates a
 * reviewer's client-authorisation key pair, writes the private half as a tor
 * {@code ClientOnionAuthDir} file (mode 0600; an existing file is never overwritten) and
 * prints only the public line for the server's {@code reviewer-client-keys} file.
 * Meant to run on the reviewer's own machine.
 *
 * @deprecated superseded by the reviewer CLI: the key now derives from the reviewer's
 *     keystore ({@code testigo-reviewer keys tor}), goes into the signed manifest through the
 *     public bundle v2, and {@code testigo-reviewer tor client-file} writes tor's file. Kept
 *     only for deployments still on the {@code reviewer-client-keys} migration path (used
 *     while the manifest in force lists no Tor key; see ReviewerOnionClients).
 */
@Deprecated
public final class ClientAuthKeyTool {
  private ClientAuthKeyTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println("usage: ClientAuthKeyTool <reviewer onion address> <private key file>");
      return 2;
    }
    OnionAddress address;
    try {
      address = OnionAddress.parse(args[0]);
    } catch (IllegalArgumentException e) {
      err.println("not a v3 onion address");
      return 2;
    }
    Path file = Path.of(args[1]);
    ClientAuthKeyPair pair = ClientAuthKeyPair.generate(new SecureRandom());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pair.clientAuthFileLine(address) + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      err.println("cannot create " + file + " (" + e.getClass().getSimpleName()
          + "; an existing file is never overwritten)");
      return 1;
    } finally {
      pair.destroy();
    }
    out.println(pair.publicKey().authFileLine());
    return 0;
  }
}

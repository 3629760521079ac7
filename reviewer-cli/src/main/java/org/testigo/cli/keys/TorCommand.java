package org.testigo.cli.keys;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.testigo.api.client.HttpTransport;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.Base32;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tor client-file}: give the reviewer's tor (or Tor Browser) the client-auth key. */
@Command(name = "tor", description = "Set up your Tor client for the reviewer onion.",
    mixinStandardHelpOptions = true, subcommands = {TorCommand.ClientFile.class})
public final class TorCommand {

  @Command(name = "client-file", mixinStandardHelpOptions = true,
      description = "Write the file tor reads from its ClientOnionAuthDir"
          + " (<ALIAS>.auth_private, mode 0600: '<onion>:descriptor:x25519:<private key>') so"
          + " that your tor can reach the reviewer onion; or, with --tor-browser, print the"
          + " private key Tor Browser asks for. The key is derived from your keystore; it works"
          + " only while the manifest in force lists your Tor key. Never overwrites a file.")
  static final class ClientFile implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Mixin HomeOptions home;
    @Option(names = "--onion", paramLabel = "ADDRESS",
        description = "The reviewer onion (56 characters, with or without .onion); default: the"
            + " host of the registered server (--server).")
    String onion;
    @Option(names = "--dir", paramLabel = "DIR",
        description = "tor's ClientOnionAuthDir (e.g. /var/lib/tor/onion-auth); the file is"
            + " written there.")
    Path dir;
    @Option(names = "--tor-browser",
        description = "Print the private key for Tor Browser's prompt instead of writing a file"
            + " (it is a secret: nobody else should see the screen).")
    boolean torBrowser;

    @Override
    public Integer call() throws IOException, CryptoException {
      if ((dir == null) == !torBrowser) {
        throw new CliException(ExitCodes.USAGE, "give either --dir DIR (tor's ClientOnionAuthDir)"
            + " or --tor-browser");
      }
      String id = serviceId();
      Path file = dir == null ? null : dir.resolve(id.substring(0, 16) + ".auth_private");
      if (file != null && Files.exists(file)) {
        throw new CliException(ExitCodes.REFUSED, file + " already exists; refusing to"
            + " overwrite it (remove it first if it is an old key)");
      }
      ReviewerIdentity identity = Identities.open(keystore, passphrase);
      SecretBytes key = identity.torClientAuthPrivateKey();
      try {
        String privateBase32 = Base32.encodeUpper(key.exposeSecret());
        PrintWriter out = spec.commandLine().getOut();
        if (torBrowser) {
          out.println("Onion: " + id + ".onion");
          out.println("Private key for Tor Browser's prompt: " + privateBase32);
          return ExitCodes.OK;
        }
        Files.createDirectories(dir);
        PrivateFiles.writeAtomically(file, (id + ":descriptor:x25519:" + privateBase32 + "\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.println("Wrote " + file + " (mode 0600). In torrc: ClientOnionAuthDir " + dir
            + " ; then reload tor (the directory must belong to tor's user, mode 0700).");
        out.println("Your Tor client-auth public key: " + identity.torClientAuthPublicKey().base32());
        return ExitCodes.OK;
      } finally {
        key.destroy();
        identity.destroy();
      }
    }

    private String serviceId() throws IOException {
      String h = onion;
      if (h == null) {
        ServerRegistry.Server s = RemoteSession.server(home);
        h = s.url().getHost();
        if (!HttpTransport.isOnion(h)) {
          throw new CliException(ExitCodes.USAGE, "the registered server " + s.url() + " is not"
              + " an onion; give --onion ADDRESS");
        }
      }
      h = h.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "").replaceAll("\\.onion$", "");
      if (!h.matches("[a-z2-7]{55}d")) {
        throw new CliException(ExitCodes.BAD_INPUT, "not a v3 onion address (56 characters"
            + " a-z and 2-7, ending in d)");
      }
      return h;
    }
  }
}

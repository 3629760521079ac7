package org.testigo.cli.keys;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.testigo.cli.common.Bundles;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keys}: create a reviewer identity, show its public key, change its passphrase. */
@Command(name = "keys", description = "Create and manage your reviewer keys.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Init.class, KeysCommand.Public.class,
        KeysCommand.Passwd.class, KeysCommand.Fingerprint.class, KeysCommand.Tor.class})
public final class KeysCommand {
  static final int MIN_PASSPHRASE = 12;

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a new reviewer identity (X-Wing encryption key + Ed25519 signing"
          + " key) in a passphrase-protected keystore. Never overwrites an existing one.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Option(names = "--alias", required = true, description = "Short name, e.g. maria"
        + " (letters, digits, . _ -).")
    String alias;
    @Option(names = "--argon2-memory-mib", description = "Argon2id memory in MiB"
        + " (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int memoryMiB;
    @Option(names = "--argon2-iterations", description = "Argon2id passes (default:"
        + " ${DEFAULT-VALUE}).", defaultValue = "3")
    int iterations;

    @Override
    public Integer call() throws IOException {
      if (!Alias.isValid(alias)) {
        throw new CliException(ExitCodes.BAD_INPUT, "an alias is 1 to 32 characters of"
            + " a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
      }
      Path path = keystore.path();
      if (Files.exists(path)) {
        throw new CliException(ExitCodes.REFUSED, "a keystore already exists at " + path
            + "; refusing to overwrite it");
      }
      KeystoreParams params;
      try {
        params = new KeystoreParams(memoryMiB * 1024, iterations, 1);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "Argon2id parameters out of range");
      }
      char[] chars = passphrase.readNew("New passphrase", MIN_PASSPHRASE);
      Passphrase p = Passphrase.of(chars);
      Arrays.fill(chars, '\0');
      ReviewerIdentity identity = ReviewerIdentity.generate(alias, new SecureRandom());
      try {
        byte[] file = Keystore.encrypt(identity, p, params, new SecureRandom());
        if (path.toAbsolutePath().getParent() != null) {
          Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Keystore.write(path, file, false);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Keystore written to " + path);
        out.println("Fingerprint (read it aloud to compare): "
            + identity.fingerprint().shortForm());
        out.println("Full fingerprint: " + identity.fingerprint().hex());
        out.println("Tor client-auth key (for the reviewer onion, kept in this keystore): "
            + identity.torClientAuthPublicKey().base32());
        out.println("Give your public key to the organisation with: testigo-reviewer keys"
            + " public");
        return ExitCodes.OK;
      } finally {
        identity.destroy();
        p.destroy();
      }
    }
  }

  @Command(name = "public", mixinStandardHelpOptions = true,
      description = "Print your public key bundle (safe to send by email): encryption and"
          + " signing keys and your Tor client-auth key for the reviewer onion, signed by you"
          + " (bundle v2). The keystore is opened so the printed keys are proven to match your"
          + " private keys.")
  static final class Public implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
        description = "Write the bundle to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException, CryptoException {
      ReviewerIdentity identity = Identities.open(keystore, passphrase);
      try {
        String text = identity.publicBundleWithTorKey().toText();
        if (out == null) {
          spec.commandLine().getOut().print(text);
          spec.commandLine().getOut().flush();
        } else {
          Files.writeString(out, text, StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE_NEW);
          spec.commandLine().getOut().println("Public key bundle written to " + out);
        }
        return ExitCodes.OK;
      } finally {
        identity.destroy();
      }
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Change the keystore passphrase. Your keys stay the same.")
  static final class Passwd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;
    @Option(names = "--new-passphrase-file", paramLabel = "FILE",
        description = "Read the new passphrase from FILE instead of prompting.")
    Path newPassphraseFile;

    @Override
    public Integer call() throws IOException, CryptoException {
      Path path = keystore.path();
      byte[] file = Keystore.readBytes(path);
      char[] oldChars = passphrase.read("Current passphrase");
      PassphraseOptions next = new PassphraseOptions();
      next.passphraseFile = newPassphraseFile;
      char[] newChars = next.readNew("New passphrase", MIN_PASSPHRASE);
      Passphrase oldP = Passphrase.of(oldChars);
      Passphrase newP = Passphrase.of(newChars);
      Arrays.fill(oldChars, '\0');
      Arrays.fill(newChars, '\0');
      try {
        KeystoreParams params = Keystore.params(file);
        byte[] changed = Keystore.changePassphrase(file, oldP, newP, params,
            new SecureRandom());
        Keystore.write(path, changed, true);
        spec.commandLine().getOut().println("Passphrase changed for " + path
            + ". Delete any old copies of the keystore: they still open with the old one.");
        return ExitCodes.OK;
      } finally {
        oldP.destroy();
        newP.destroy();
      }
    }
  }

  @Command(name = "fingerprint", mixinStandardHelpOptions = true,
      description = "Show the fingerprint of a public key bundle file.")
  static final class Fingerprint implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "BUNDLE", description = "Public key bundle file.")
    Path bundle;

    @Override
    public Integer call() throws IOException {
      ReviewerPublicBundle b = Bundles.read(bundle);
      spec.commandLine().getOut().println(b.alias() + "  " + b.fingerprint().shortForm()
          + "  " + b.fingerprint().hex());
      return ExitCodes.OK;
    }
  }

  @Command(name = "tor", mixinStandardHelpOptions = true,
      description = "Show your Tor client-auth public key (x25519) for the reviewer onion. It"
          + " is derived from the keys in your keystore, so every keystore has one, old ones"
          + " included: send 'keys public' (bundle v2) to the custodians so that they sign it"
          + " into the manifest ('manifest set-tor-key' for a reviewer already listed). Then"
          + " write tor's file with 'testigo-reviewer tor client-file'.")
  static final class Tor implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystore;
    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() throws IOException, CryptoException {
      ReviewerIdentity identity = Identities.open(keystore, passphrase);
      try {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Tor client-auth public key: " + identity.torClientAuthPublicKey().base32());
        out.println("It reaches the reviewer onion only once a manifest in force lists it"
            + " (custodians: manifest add-reviewer or manifest set-tor-key with your 'keys public').");
        return ExitCodes.OK;
      } finally {
        identity.destroy();
      }
    }
  }
}

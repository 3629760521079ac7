package org.testigo.shelter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testigo.api.client.Socks5;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.receipt.ReceiptParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code init}: creates a shelter profile. Generates the shelter's keys (an X-Wing key that
 * seals the outbox, an Ed25519 key for optional attestations) into a passphrase-protected
 * keystore (the reviewer keystore format v1, docs/spec/keystore-and-bundle.md §4), pins the root fingerprint and
 * fetches the manifest chain (or reads it from {@code --manifest}, for a laptop that is
 * offline from the start). Never overwrites an existing profile.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create a shelter profile: server address, pinned root fingerprint, shelter"
        + " keys, and the verified key manifest.")
final class InitCommand implements Callable<Integer> {
  static final int MIN_PASSPHRASE = 12;
  @Spec CommandSpec spec;
  @Mixin HomeOption home;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--server", required = true, paramLabel = "URL",
      description = "The intake server, e.g. http://abc...xyz.onion")
  String server;
  @Option(names = "--root", required = true, paramLabel = "FINGERPRINT",
      description = "The organisation's root fingerprint (64 hex characters), as published on"
          + " its posters.")
  String root;
  @Option(names = "--socks", paramLabel = "HOST:PORT",
      description = "Reach the server through this SOCKS5 proxy, e.g. Tor's 127.0.0.1:9050."
          + " Host names are resolved by the proxy, never locally.")
  String socks;
  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Take the manifest chain from FILE (e.g. a USB stick) instead of the server.")
  Path manifest;
  @Option(names = "--offline", description = "Do not contact the server now.")
  boolean offline;
  @Option(names = "--alias", defaultValue = "shelter",
      description = "Name of the shelter's key (default: ${DEFAULT-VALUE}).")
  String alias;
  @Option(names = "--argon2-memory-mib", defaultValue = "256",
      description = "Argon2id memory for the shelter keystore in MiB (default: ${DEFAULT-VALUE}).")
  int memoryMiB;
  @Option(names = "--argon2-iterations", defaultValue = "3",
      description = "Argon2id passes for the shelter keystore (default: ${DEFAULT-VALUE}).")
  int iterations;
  @Option(names = "--receipt-memory-kib", defaultValue = "65536",
      description = "Receipt Argon2id memory in KiB; must equal the server's receipts.memoryKiB"
          + " (default: ${DEFAULT-VALUE}).")
  int receiptMemoryKiB;
  @Option(names = "--receipt-iterations", defaultValue = "3",
      description = "Receipt Argon2id passes; must equal the server's (default: ${DEFAULT-VALUE}).")
  int receiptIterations;
  @Option(names = "--receipt-parallelism", defaultValue = "1",
      description = "Receipt Argon2id lanes; must equal the server's (default: ${DEFAULT-VALUE}).")
  int receiptParallelism;

  @Override
  public Integer call() throws IOException {
    Path dir = home.path();
    if (Files.exists(dir.resolve(ShelterProfile.SETTINGS))) {
      throw new CliException(ExitCodes.REFUSED, "a shelter profile already exists in " + dir
          + "; refusing to overwrite it");
    }
    Fingerprint pinned;
    try {
      pinned = Fingerprint.fromHex(root.strip().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "--root must be the 64 hex characters of the"
          + " root fingerprint");
    }
    if (!Alias.isValid(alias)) {
      throw new CliException(ExitCodes.BAD_INPUT, "--alias is 1 to 32 characters of a-z, 0-9,"
          + " '.', '_' or '-'");
    }
    var uri = ShelterProfile.serverUri(server);
    Optional<Socks5.Address> proxy = socks == null ? Optional.empty()
        : Optional.of(Socks5.Address.parse(socks));
    KeystoreParams params;
    ReceiptParams receiptParams;
    try {
      params = new KeystoreParams(memoryMiB * 1024, iterations, 1);
      receiptParams = new ReceiptParams(receiptMemoryKiB, receiptIterations, receiptParallelism);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "Argon2id parameters out of range");
    }
    String chainText = null;
    if (manifest != null) {
      chainText = Files.readString(manifest, StandardCharsets.US_ASCII);
    }
    char[] chars = passphrase.readNew("New passphrase for the shelter keystore", MIN_PASSPHRASE);
    Passphrase p = Passphrase.of(chars);
    Arrays.fill(chars, '\0');
    ShelterProfile.createPrivateDirectory(dir);
    ShelterProfile.createPrivateDirectory(dir.resolve(ShelterProfile.OUTBOX));
    ReviewerIdentity identity = ReviewerIdentity.generate(alias, new SecureRandom());
    PrintWriter out = spec.commandLine().getOut();
    try {
      Keystore.write(dir.resolve(ShelterProfile.KEYSTORE),
          Keystore.encrypt(identity, p, params, new SecureRandom()), false);
      ShelterProfile.writeAtomically(dir.resolve(ShelterProfile.PUBLIC),
          identity.publicBundle().toText().getBytes(StandardCharsets.US_ASCII));
      out.println("Shelter keys written to " + dir.resolve(ShelterProfile.KEYSTORE));
      out.println("Shelter attestation key fingerprint (give it to the organisation): "
          + identity.signingKey().publicKey().fingerprint().shortForm());
    } finally {
      identity.destroy();
      p.destroy();
    }
    ShelterProfile profile = ShelterProfile.create(dir, uri, pinned, proxy, receiptParams);
    out.println("Profile written to " + dir.resolve(ShelterProfile.SETTINGS));
    KeyManifest latest = null;
    if (chainText != null) {
      latest = ManifestSync.accept(profile, chainText, manifest.toString());
    } else if (!offline) {
      try {
        latest = ManifestSync.refresh(profile, new ShelterHttp(proxy, 60_000));
      } catch (CliException e) {
        if (e.exitCode() != ShelterExitCodes.UNREACHABLE) {
          throw e;
        }
        out.println("Server not reachable now (" + e.getMessage() + ").");
      }
    }
    if (latest == null) {
      out.println("No manifest yet: run 'testigo-shelter manifest refresh' when online.");
    } else {
      describe(out, latest);
    }
    return ExitCodes.OK;
  }

  static void describe(PrintWriter out, KeyManifest m) {
    out.println("Verified key manifest " + m.sequence() + " of " + m.organisation() + ": "
        + m.recipients(java.time.Instant.now()).size() + " reviewer key(s); root fingerprint "
        + m.rootFingerprint().shortForm());
  }
}

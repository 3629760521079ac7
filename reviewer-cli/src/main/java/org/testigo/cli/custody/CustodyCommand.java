package org.testigo.cli.custody;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.custody.PrintableShare;
import org.testigo.crypto.custody.RootKeyCeremony;
import org.testigo.crypto.custody.RootShare;
import org.testigo.crypto.custody.ShareFile;
import org.testigo.crypto.custody.ShareHeader;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.crypto.sign.SigningPublicKeyText;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code custody}: the organisation root key ceremonies (ops/runbooks/key-ceremony.md).
 * The root key exists only in memory while a command runs; it is never written.
 */
@Command(name = "custody", mixinStandardHelpOptions = true,
    description = "Root key ceremonies: create the root key split among custodians,"
        + " re-issue shares, inspect a share.",
    subcommands = {CustodyCommand.Init.class, CustodyCommand.Reshare.class,
        CustodyCommand.Show.class})
public final class CustodyCommand {
  static final int MIN_PASSPHRASE = 12;

  /** Options shared by the commands that write a new share set. */
  static class NewShareSet {
    @Option(names = "--custodian", required = true, paramLabel = "NAME[=PASSFILE]",
        description = "A custodian (repeat for each). With =PASSFILE the share passphrase is"
            + " read from that file; otherwise the custodian types it at the prompt.")
    List<String> custodians;
    @Option(names = "-m", required = true, paramLabel = "M",
        description = "How many custodians must come together to use the root key.")
    int threshold;
    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Directory for the share files (created if needed; must not hold"
            + " shares of the same names).")
    Path out;
    @Option(names = "--argon2-memory-mib", defaultValue = "256",
        description = "Argon2id memory per share file in MiB (default: ${DEFAULT-VALUE}).")
    int memoryMiB;
    @Option(names = "--argon2-iterations", defaultValue = "3",
        description = "Argon2id passes (default: ${DEFAULT-VALUE}).")
    int iterations;

    /** Name to passphrase file (null = prompt), in order, validated. */
    Map<String, Path> parseCustodians() {
      Map<String, Path> out = new LinkedHashMap<>();
      for (String c : custodians) {
        int eq = c.indexOf('=');
        String name = eq < 0 ? c : c.substring(0, eq);
        Path pass = eq < 0 ? null : Path.of(c.substring(eq + 1));
        if (!Alias.isValid(name)) {
          throw new CliException(ExitCodes.BAD_INPUT, "invalid custodian name '" + name
              + "': 1 to 32 characters of a-z, 0-9, '.', '_' or '-'");
        }
        if (out.put(name, pass) != null || out.size() > ShareHeader.MAX_SHARES) {
          throw new CliException(ExitCodes.BAD_INPUT, "custodian " + name + " is named twice");
        }
      }
      if (threshold < 2 || threshold > out.size()) {
        throw new CliException(ExitCodes.BAD_INPUT, "-m must be between 2 and the number of"
            + " custodians (" + out.size() + ")");
      }
      return out;
    }

    KeystoreParams params() {
      try {
        return new KeystoreParams(memoryMiB * 1024, iterations, 1);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "Argon2id parameters out of range");
      }
    }

    void checkOutput(Map<String, Path> custodians) throws IOException {
      Files.createDirectories(out);
      for (String name : custodians.keySet()) {
        for (Path p : List.of(shareFile(name), printable(name))) {
          if (Files.exists(p)) {
            throw new CliException(ExitCodes.REFUSED, "refusing to overwrite " + p);
          }
        }
      }
    }

    Path shareFile(String name) {
      return out.resolve(name + ".tshare");
    }

    Path printable(String name) {
      return out.resolve(name + ".share.txt");
    }

    /** Asks every passphrase first, so nothing is written if one is refused. */
    List<Passphrase> passphrases(Map<String, Path> custodians) throws IOException {
      List<Passphrase> out = new ArrayList<>();
      try {
        for (Map.Entry<String, Path> e : custodians.entrySet()) {
          PassphraseOptions po = new PassphraseOptions();
          po.passphraseFile = e.getValue();
          char[] chars = po.readNew("New share passphrase for custodian " + e.getKey(),
              MIN_PASSPHRASE);
          out.add(Passphrase.of(chars));
          Arrays.fill(chars, '\0');
        }
        return out;
      } catch (RuntimeException | IOException ex) {
        out.forEach(Passphrase::destroy);
        throw ex;
      }
    }

    void writeShares(RootKeyCeremony.Result r, List<Passphrase> passphrases, PrintWriter w)
        throws IOException {
      KeystoreParams params = params();
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < r.shares().size(); i++) {
        RootShare s = r.shares().get(i);
        String name = s.header().custodian();
        Keystore.write(shareFile(name), ShareFile.encrypt(s, passphrases.get(i), params,
            random), false);
        Keystore.write(printable(name), PrintableShare.toText(s)
            .getBytes(StandardCharsets.UTF_8), false);
        w.println("  " + s.header().describe() + ": " + shareFile(name) + " and "
            + printable(name));
      }
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Genesis ceremony: create the organisation root key, split it M-of-N"
          + " among the custodians, write one passphrase-protected share file and one"
          + " printable share per custodian, and the root public key. With --log-key, also"
          + " sign the first key manifest. The root key itself is never written.")
  static final class Init extends NewShareSet implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--organisation", required = true, description = "Organisation name as"
        + " it appears in manifests.")
    String organisation;
    @Option(names = "--log-key", paramLabel = "FILE", description = "The server's log public"
        + " key file: also write the first manifest (chain.txt).")
    Path logKey;
    @Option(names = "--admin", paramLabel = "BUNDLE", description = "Admin public bundle for"
        + " the first manifest (repeatable).")
    List<Path> admins;
    @Option(names = "--reviewer", paramLabel = "BUNDLE", description = "Reviewer public bundle"
        + " for the first manifest (repeatable).")
    List<Path> reviewers;
    @Option(names = "--auditor", paramLabel = "BUNDLE", description = "Auditor public bundle"
        + " for the first manifest (repeatable).")
    List<Path> auditors;
    @Option(names = "--valid-days", defaultValue = "365", description = "Validity of the"
        + " listed keys in days (default: ${DEFAULT-VALUE}).")
    int validDays;

    @Override
    public Integer call() throws IOException, CryptoException {
      Map<String, Path> custodians = parseCustodians();
      params();
      Instant now = Instant.now();
      SigningPublicKey log = logKey == null ? null : Manifests.readLogKey(logKey);
      var entries = Manifests.entries(admins, reviewers, auditors, now, validDays);
      if (log == null && !entries.isEmpty()) {
        throw new CliException(ExitCodes.USAGE, "listing keys needs --log-key (the first"
            + " manifest names the server's log key)");
      }
      Path chainFile = out.resolve("chain.txt");
      Path rootFile = out.resolve("root.pub");
      checkOutput(custodians);
      Manifests.refuseExisting(rootFile);
      if (log != null) {
        Manifests.refuseExisting(chainFile);
      }
      List<Passphrase> passphrases = passphrases(custodians);
      RootKeyCeremony.Result r = null;
      try {
        r = RootKeyCeremony.create(new ArrayList<>(custodians.keySet()), threshold, now,
            new SecureRandom());
        PrintWriter w = spec.commandLine().getOut();
        SignedManifest genesis = null;
        if (log != null) {
          try {
            genesis = RootKeyCeremony.signManifest(r.shares(), ManifestUpdates.genesis(
                organisation, r.rootKey(), log, entries, now));
          } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot build the manifest: "
                + e.getMessage());
          }
        }
        Files.writeString(rootFile, SigningPublicKeyText.toText(SigningPublicKeyText.Kind.ROOT,
            r.rootKey()), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
        w.println("Root key created and split " + threshold + "-of-" + custodians.size()
            + " (ceremony " + r.ceremonyId() + "):");
        writeShares(r, passphrases, w);
        if (genesis != null) {
          Manifests.writeChain(chainFile, List.of(genesis));
          w.println("First key manifest (sequence 0): " + chainFile);
        }
        w.println("Root public key: " + rootFile);
        w.println("ROOT FINGERPRINT (publish it; read it aloud to compare): "
            + KeyManifest.rootFingerprint(r.rootKey()).shortForm());
        w.println("Full root fingerprint: " + KeyManifest.rootFingerprint(r.rootKey()).hex());
        w.println("The root key was never written. Hand each custodian their own two files"
            + " and nothing else.");
        return ExitCodes.OK;
      } finally {
        passphrases.forEach(Passphrase::destroy);
        if (r != null) {
          r.destroy();
        }
      }
    }
  }

  @Command(name = "reshare", mixinStandardHelpOptions = true,
      description = "Rebuild the root key from M shares of the current set and split it again"
          + " for a new set of custodians (replace a custodian, change M or N, or recover"
          + " after a share was lost). The root key and its fingerprint do not change; the"
          + " old shares stop combining with the new ones.")
  static final class Reshare extends NewShareSet implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<ShareInputs.ShareArg> shares;

    @Override
    public Integer call() throws IOException {
      Map<String, Path> custodians = parseCustodians();
      params();
      checkOutput(custodians);
      List<RootShare> old = ShareInputs.read(shares);
      List<Passphrase> passphrases = null;
      RootKeyCeremony.Result r = null;
      try {
        RootKeyCeremony.reconstruct(old).destroy();
        passphrases = passphrases(custodians);
        r = RootKeyCeremony.reshare(old, new ArrayList<>(custodians.keySet()), threshold,
            Instant.now(), new SecureRandom());
        PrintWriter w = spec.commandLine().getOut();
        w.println("New share set " + threshold + "-of-" + custodians.size() + " (ceremony "
            + r.ceremonyId() + ") for the same root key "
            + KeyManifest.rootFingerprint(r.rootKey()).shortForm() + ":");
        writeShares(r, passphrases, w);
        w.println("Destroy every share of the old set (ceremony "
            + old.get(0).header().ceremonyId() + "), files and paper.");
        return ExitCodes.OK;
      } finally {
        ShareInputs.destroy(old);
        if (passphrases != null) {
          passphrases.forEach(Passphrase::destroy);
        }
        if (r != null) {
          r.destroy();
        }
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show whose share a share file or printed share is, without opening it"
          + " (the facts shown are not authenticated until the share is used).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "Share file or printed share.")
    Path file;

    @Override
    public Integer call() throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      ShareHeader h;
      try {
        if (ShareFile.looksLikeShareFile(bytes)) {
          h = ShareFile.peek(bytes);
        } else {
          RootShare s = PrintableShare.parse(new String(bytes, StandardCharsets.UTF_8));
          h = s.header();
          s.destroy();
        }
      } catch (CryptoException | IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, file + " is not a readable share"
            + (e.getMessage() == null || e instanceof CryptoException ? ""
                : ": " + e.getMessage()));
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println(h.describe());
      w.println("root fingerprint: " + h.rootFingerprint().shortForm());
      w.println("ceremony: " + h.ceremonyId() + " (" + h.createdAt() + ")");
      return ExitCodes.OK;
    }
  }
}

package org.testigo.server.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

/**
 * DEMO ONLY. On the first start of a demo deployment, creates a demo organisation in the
 * data directory: a root signing key (used once to sign the manifest, then destroyed), one
 * reviewer keystore with a random passphrase written beside it, the server's log key (its
 * 32-byte seed in the log key file, mode 0600, and its public text beside it as
 * {@code <file>.pub}; the manifest lists it as {@code logKey}), the signed manifest chain,
 * the pinned root fingerprint and the deployment secret. The manifest carries the default
 * retention policy ({@link RetentionPolicy#DEFAULT}, so v3), so that erasure can be tried.
 *
 * <p>WARNING: the demo reviewer's private key exists in this process's memory for a moment
 * and its keystore and passphrase sit side by side on the server's disk. That is exactly
 * what a real deployment must never do; production configs set {@code demoBootstrap: false}
 * (checked by a test) and keys are made on reviewer machines with the reviewer CLI. This
 * package is the only server code allowed to touch {@link Keystore} or
 * {@link ReviewerIdentity}, and only to create (architecture test).
 */
public final class DemoOrganisation {
  public static final String KEYSTORE = "demo/reviewer.keystore";
  public static final String PASSPHRASE = "demo/reviewer.passphrase";
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  private DemoOrganisation() {}

  /** What was created, for printing. */
  public record Created(Path keystore, Path passphraseFile, String rootFingerprintHex) {}

  /** Creates the demo organisation unless the manifest file already exists. */
  public static Created createIfAbsent(Path dataDirectory, Path manifestFile, Path rootFingerprintFile,
      Path deploymentSecretFile, Path logKeyFile, KeystoreParams keystoreParams, SecureRandom random,
      Clock clock) throws IOException {
    if (!Files.exists(deploymentSecretFile)) {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      writePrivate(deploymentSecretFile, secret);
      java.util.Arrays.fill(secret, (byte) 0);
    }
    if (Files.exists(manifestFile)) {
      return null;
    }
    Path keystore = dataDirectory.resolve(KEYSTORE);
    Path passphraseFile = dataDirectory.resolve(PASSPHRASE);
    Files.createDirectories(keystore.getParent());
    char[] pass = new char[24];
    for (int i = 0; i < pass.length; i++) {
      pass[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    SigningPrivateKey root = SigningPrivateKey.generate(random);
    SigningPrivateKey log = SigningPrivateKey.generate(random);
    ReviewerIdentity reviewer = ReviewerIdentity.generate("demo-reviewer", random);
    Passphrase passphrase = Passphrase.of(pass.clone());
    try {
      Keystore.write(keystore, Keystore.encrypt(reviewer, passphrase, keystoreParams, random), false);
      writePrivate(logKeyFile, log.exposeSecret());
      Files.writeString(logKeyFile.resolveSibling(logKeyFile.getFileName() + ".pub"),
          SigningPublicKeyText.toText(SigningPublicKeyText.Kind.LOG, log.publicKey()), StandardCharsets.US_ASCII);
      writePrivate(passphraseFile, (new String(pass) + "\n").getBytes(StandardCharsets.US_ASCII));
      Instant now = clock.instant();
      KeyManifest manifest = new KeyManifest(0, null, "Testigo demo organisation", root.publicKey(),
          log.publicKey(), List.of(ReviewerEntry.of(reviewer.publicBundleWithTorKey(), ReviewerEntry.ROLE_REVIEWER,
              now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)))), now)
          .withRetention(RetentionPolicy.DEFAULT); // erasure works in the demo (retention-and-erasure.md §1)
      SignedManifest signed = SignedManifest.sign(manifest, root);
      String fingerprint = KeyManifest.rootFingerprint(root.publicKey()).hex();
      Files.writeString(manifestFile, ManifestChain.toArmored(List.of(signed)), StandardCharsets.US_ASCII);
      Files.writeString(rootFingerprintFile, fingerprint + "\n", StandardCharsets.US_ASCII);
      return new Created(keystore, passphraseFile, fingerprint);
    } finally {
      java.util.Arrays.fill(pass, '\0');
      passphrase.destroy();
      reviewer.destroy();
      root.destroy();
      log.destroy();
    }
  }

  /** Creates the file with mode 0600 from the start (POSIX), so it is never readable by others. */
  private static void writePrivate(Path path, byte[] content) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.deleteIfExists(path);
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(path);
    }
    Files.write(path, content);
  }

  /** The banner printed on a demo start: where to go and how a reviewer reads what arrives. */
  public static void printBanner(PrintStream out, String url, String reviewerUrl, String adminUrl,
      Path dataDirectory, String rootFingerprint) {
    Path keystore = dataDirectory.resolve(KEYSTORE).toAbsolutePath().normalize();
    Path pass = dataDirectory.resolve(PASSPHRASE).toAbsolutePath().normalize();
    Path home = dataDirectory.resolve("demo/reviewer-home").toAbsolutePath().normalize();
    out.println();
    out.println("== Testigo demo ==");
    out.println("Source pages:        " + url);
    out.println("Reviewer API:        " + reviewerUrl + " (signed requests only)");
    out.println("Admin (health):      " + adminUrl + "healthcheck");
    out.println("Root fingerprint:    " + rootFingerprint);
    out.println("Demo reviewer key:   " + keystore);
    out.println("Its passphrase file: " + pass);
    try {
      out.println("Its passphrase:      " + Files.readString(pass, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      out.println("Its passphrase:      (unreadable: " + e.getClass().getSimpleName() + ")");
    }
    out.println("To read and triage what arrives, from the repository root (bash):");
    for (String line : reviewerCommands(home, keystore, pass, reviewerUrl, rootFingerprint)) {
      out.println("  " + line);
    }
    out.println();
  }

  /**
   * The reviewer commands the banner shows: the environment ({@code TESTIGO_HOME},
   * {@code TESTIGO_KEYSTORE}) set once, then the real {@code testigo-reviewer} commands of the
   * triage workflow without repeating {@code --home}/{@code -k} (each asks for the passphrase;
   * the line before them names the passphrase file for scripts). The e2e test runs
   * {@code --help} of each command named here against the real jar.
   */
  public static List<String> reviewerCommands(Path home, Path keystore, Path pass, String reviewerUrl,
      String rootFingerprint) {
    return List.of(
        "export TESTIGO_HOME=" + home + " TESTIGO_KEYSTORE=" + keystore,
        "# each command after server add asks for the passphrase above; scripts add --passphrase-file " + pass,
        "alias testigo-reviewer=\"$PWD/reviewer-cli/testigo-reviewer\"   # the launcher (heap, compiler per command)",
        "testigo-reviewer server add " + stripSlash(reviewerUrl) + " --root " + rootFingerprint,
        "testigo-reviewer sync            # new reports, follow-ups and case events",
        "testigo-reviewer list            # the cases: status, assignee, overdue, follow-ups",
        "testigo-reviewer show ID         # one report, its follow-ups, replies, notes (--lang en)",
        "testigo-reviewer files ID --out DIR   # its attachments",
        "testigo-reviewer ack ID",
        "testigo-reviewer assign ID demo-reviewer",
        "testigo-reviewer priority ID high",
        "testigo-reviewer label ID --add inm",
        "testigo-reviewer note ID --file NOTE.txt",
        "testigo-reviewer reply ID --editor   # to the source, who reads it with the receipt",
        "testigo-reviewer feedback ID --note TEXT   # feedback given in person or by phone",
        "testigo-reviewer status ID investigating",
        "testigo-reviewer refer ID --to fgr --reference FGR/123/2026",
        "testigo-reviewer close ID referred",
        "testigo-reviewer reopen ID",
        "testigo-reviewer history ID",
        "testigo-reviewer overdue",
        "testigo-reviewer export ID --out DIR   # a case file for a referral",
        "testigo-reviewer stats --from-cache --out DIR",
        "testigo-reviewer --help                    # every command; COMMAND --help for its options");
  }

  private static String stripSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

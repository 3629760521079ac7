package org.testigo.server.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * The keys the server works with: the signed manifest chain verified from the pinned root
 * fingerprint (the server refuses to start otherwise), the reviewers' public encryption keys
 * it seals to, and the deployment secret for mailbox ids. Holds no private decryption key.
 *
 * <p>The root fingerprint and the deployment secret are fixed at start. The chain, its
 * latest manifest change together, as one immutable snapshot, only through
 * {@code log.ManifestUpdater} (a chain that extends the current one); each accessor reads the
 * snapshot in force at the time of the call. The recipients are the latest manifest's
 * report-receiving entries valid at the time of the call: an entry whose validity ends stops
 * receiving reports then, without a restart.
 */
public final class KeyState {
  public static final int MIN_DEPLOYMENT_SECRET = 32;
  private final Fingerprint rootFingerprint;
  private volatile Snapshot current;
  private final SecretBytes deploymentSecret;
  private final Clock clock;
  private final AtomicBoolean noneValidLogged = new AtomicBoolean();
  private static final Logger LOG = LoggerFactory.getLogger(KeyState.class);

  /** One verified chain with what is derived from it; never partly replaced. */
  public record Snapshot(KeyManifest manifest, String armoredChain, List<SignedManifest> chain) {
    public Snapshot {
      chain = List.copyOf(chain);
    }
  }

  private KeyState(Fingerprint rootFingerprint, Snapshot snapshot, SecretBytes deploymentSecret, Clock clock) {
    this.rootFingerprint = rootFingerprint;
    this.current = snapshot;
    this.deploymentSecret = deploymentSecret;
    this.clock = clock;
  }

  /** The keys a manifest seals reports to at {@code now}: report-receiving entries valid now. */
  public static List<RecipientPublicKey> recipientsAt(KeyManifest manifest, java.time.Instant now) {
    return manifest.reviewers().stream()
        .filter(ReviewerEntry::receivesReports)
        .filter(e -> e.isValidAt(now))
        .map(ReviewerEntry::encryptionKey)
        .toList();
  }

  public Snapshot snapshot() {
    return current;
  }

  /** Installs a new snapshot; {@code log.ManifestUpdater} has verified it extends the current one. */
  public void install(Snapshot next) {
    current = next;
  }

  /** The server cannot start: a key file is missing, malformed or does not verify. */
  public static final class KeyLoadException extends Exception {
    public KeyLoadException(String message) {
      super(message);
    }
  }

  public static KeyState load(Path manifestFile, Path rootFingerprintFile, Path deploymentSecretFile,
      Clock clock) throws KeyLoadException {
    Fingerprint root;
    try {
      root = Fingerprint.fromHex(Files.readString(rootFingerprintFile, StandardCharsets.US_ASCII).strip());
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyLoadException("cannot read the pinned root fingerprint (64 hex characters) from "
          + rootFingerprintFile);
    }
    String armored;
    List<SignedManifest> chain;
    KeyManifest latest;
    try {
      armored = Files.readString(manifestFile, StandardCharsets.US_ASCII);
      chain = SignedManifest.parseArmored(armored);
      latest = ManifestChain.verify(chain, root);
    } catch (IOException e) {
      throw new KeyLoadException("cannot read the key manifest chain " + manifestFile);
    } catch (CryptoException | RuntimeException e) {
      throw new KeyLoadException("the key manifest chain " + manifestFile
          + " does not verify from the pinned root fingerprint " + root.hex() + "; refusing to start");
    }
    if (recipientsAt(latest, clock.instant()).isEmpty()) {
      throw new KeyLoadException("the current key manifest lists no reviewer valid now; refusing to start");
    }
    byte[] secret;
    try {
      secret = Files.readAllBytes(deploymentSecretFile);
    } catch (IOException e) {
      throw new KeyLoadException("cannot read the deployment secret file " + deploymentSecretFile);
    }
    if (secret.length < MIN_DEPLOYMENT_SECRET) {
      throw new KeyLoadException("the deployment secret file must hold at least 32 bytes");
    }
    try {
      return new KeyState(root, new Snapshot(latest, armored, chain), new SecretBytes(secret), clock);
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
  }

  public Fingerprint rootFingerprint() {
    return rootFingerprint;
  }

  public KeyManifest manifest() {
    return current.manifest();
  }

  public String armoredChain() {
    return current.armoredChain();
  }

  /** The verified manifest chain, oldest first (each one is a leaf of the transparency log). */
  public List<SignedManifest> chain() {
    return current.chain();
  }

  /**
   * The retention policy of the manifest in force at {@code t} (the last of the chain issued at
   * or before it, as {@code ErasureRules} reads it), or empty when that manifest carries none.
   */
  public java.util.Optional<org.testigo.crypto.manifest.RetentionPolicy> retentionAt(java.time.Instant t) {
    KeyManifest inForce = org.testigo.crypto.erasure.ErasureRules.inForce(current.chain(), t);
    return java.util.Optional.ofNullable(inForce == null ? null : inForce.retention());
  }

  /** The reviewers' encryption keys reports are sealed to: exactly these, no others. */
  public List<RecipientPublicKey> recipients() {
    List<RecipientPublicKey> now = recipientsAt(current.manifest(), clock.instant());
    if (now.isEmpty()) {
      if (!noneValidLogged.getAndSet(true)) {
        LOG.error("the current key manifest lists no reviewer valid now: every report is refused (503) until the"
            + " custodians publish a manifest with a reviewer valid now (ops/README.md, key ceremony)");
      }
      throw new StorageUnavailableException(new IllegalStateException("no reviewer valid now"));
    }
    noneValidLogged.set(false);
    return now;
  }

  /**
   * The fingerprints of {@link #recipients()}: decided at each call from the clock, so an entry
   * whose validity ends stops receiving reports then, not at the next restart or manifest.
   */
  public Set<Fingerprint> recipientFingerprints() {
    return recipients().stream().map(RecipientPublicKey::fingerprint).collect(Collectors.toUnmodifiableSet());
  }

  public SecretBytes deploymentSecret() {
    return deploymentSecret;
  }

  /** The public per-deployment salt of receipt key derivation: the root fingerprint's 32 bytes. */
  public byte[] receiptSalt() {
    return rootFingerprint.toBytes();
  }
}

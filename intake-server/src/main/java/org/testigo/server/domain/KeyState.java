package org.testigo.server.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
 * latest manifest and the recipients change together, as one immutable snapshot, only
 * through {@code log.ManifestUpdater} (a chain that extends the current one); each accessor
 * reads the snapshot in force at the time of the call.
 */
public final class KeyState {
  public static final int MIN_DEPLOYMENT_SECRET = 32;
  private final Fingerprint rootFingerprint;
  private volatile Snapshot current;
  private final SecretBytes deploymentSecret;

  /** One verified chain with what is derived from it; never partly replaced. */
  public record Snapshot(KeyManifest manifest, String armoredChain, List<SignedManifest> chain,
      List<RecipientPublicKey> recipients) {
    public Snapshot {
      chain = List.copyOf(chain);
      recipients = List.copyOf(recipients);
    }
  }

  private KeyState(Fingerprint rootFingerprint, Snapshot snapshot, SecretBytes deploymentSecret) {
    this.rootFingerprint = rootFingerprint;
    this.current = snapshot;
    this.deploymentSecret = deploymentSecret;
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
    List<RecipientPublicKey> keys = recipientsAt(latest, clock.instant());
    if (keys.isEmpty()) {
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
      return new KeyState(root, new Snapshot(latest, armored, chain, keys), new SecretBytes(secret));
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
    return current.recipients();
  }

  public Set<Fingerprint> recipientFingerprints() {
    return current.recipients().stream().map(RecipientPublicKey::fingerprint).collect(Collectors.toUnmodifiableSet());
  }

  public SecretBytes deploymentSecret() {
    return deploymentSecret;
  }

  /** The public per-deployment salt of receipt key derivation: the root fingerprint's 32 bytes. */
  public byte[] receiptSalt() {
    return rootFingerprint.toBytes();
  }
}

package org.testigo.server.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.erasure.ErasureRules;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * How many periods of backup keys to keep, from the retention policy of the key manifest in
 * force (docs/spec/retention-and-erasure.md §7.1): the longest retention
 * ({@code RetentionPolicy.longestDays()}: {@code referral_days}, or {@code spam_days} if that is
 * longer) rounded up to 30-day months, plus one period.
 */
public final class BackupRetention {
  private BackupRetention() {}

  /** {@code ceil(longestDays / 30) + 1}. */
  public static int keepMonths(int longestDays) {
    if (longestDays < 1) {
      throw new IllegalArgumentException("a retention is at least one day");
    }
    return (longestDays + 29) / 30 + 1;
  }

  /**
   * Verifies the armored manifest chain from the pinned root fingerprint and returns the
   * number of periods to keep under the policy of the manifest in force at {@code now}, or
   * empty if that manifest carries no policy.
   *
   * @throws BackupFailure if a file cannot be read or the chain does not verify
   */
  public static OptionalInt fromManifest(Path chainFile, Path rootFingerprintFile, Instant now)
      throws BackupFailure {
    Fingerprint root;
    try {
      root = Fingerprint.fromHex(Files.readString(rootFingerprintFile, StandardCharsets.US_ASCII).strip());
    } catch (IOException | IllegalArgumentException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read the pinned root fingerprint (64 hex"
          + " characters) from " + rootFingerprintFile + "; or give --keep-months N");
    }
    List<SignedManifest> chain;
    try {
      chain = SignedManifest.parseArmored(Files.readString(chainFile, StandardCharsets.US_ASCII));
      ManifestChain.verify(chain, root);
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read the key manifest chain " + chainFile
          + "; or give --keep-months N");
    } catch (CryptoException | RuntimeException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "the key manifest chain " + chainFile
          + " does not verify from the pinned root fingerprint; no backup key was destroyed;"
          + " fix the chain or give --keep-months N");
    }
    KeyManifest inForce = ErasureRules.inForce(chain, now);
    if (inForce == null || inForce.retentionPolicy().isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(keepMonths(inForce.retentionPolicy().get().longestDays()));
  }
}

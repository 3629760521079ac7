package org.testigo.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;

/** The number of backup periods kept, from the manifest's retention policy (spec §7.1). */
class BackupRetentionTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
  private static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);

  @TempDir Path tmp;

  @Test
  void keepMonths_isTheLongestRetentionRoundedUpToMonthsPlusOne() {
    assertThat(BackupRetention.keepMonths(1825)).isEqualTo(62);
    assertThat(BackupRetention.keepMonths(30)).isEqualTo(2);
    assertThat(BackupRetention.keepMonths(31)).isEqualTo(3);
    assertThat(BackupRetention.keepMonths(1)).isEqualTo(2);
    assertThat(BackupRetention.keepMonths(3650)).isEqualTo(123);
    assertThatThrownBy(() -> BackupRetention.keepMonths(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromManifest_readsThePolicyOfTheManifestInForce_orNoneWithoutOne() throws Exception {
    ReviewerIdentity alpha = ReviewerIdentity.generate("alpha", RANDOM);
    ReviewerEntry entry = ReviewerEntry.of(alpha.publicBundle(), ReviewerEntry.ROLE_REVIEWER,
        T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)));
    SignedManifest s0 = SignedManifest.sign(ManifestUpdates.genesis("Org", ROOT.publicKey(),
        SigningPrivateKey.generate(RANDOM).publicKey(), List.of(entry), T0), ROOT);
    Path root = Files.writeString(tmp.resolve("root-fingerprint"),
        KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
    Path chain = tmp.resolve("manifest-chain.txt");

    Files.writeString(chain, ManifestChain.toArmored(List.of(s0)));
    assertThat(BackupRetention.fromManifest(chain, root, Instant.now())).isEmpty();

    SignedManifest s1 = SignedManifest.sign(ManifestUpdates.setRetention(s0,
        new RetentionPolicy(365, 400, 30, 2), T0.plus(Duration.ofDays(1))), ROOT);
    Files.writeString(chain, ManifestChain.toArmored(List.of(s0, s1)));
    assertThat(BackupRetention.fromManifest(chain, root, Instant.now())).hasValue(15);
    // Before the policy's manifest was issued, it was not in force.
    assertThat(BackupRetention.fromManifest(chain, root, T0.plus(Duration.ofHours(1)))).isEmpty();

    SignedManifest s2 = SignedManifest.sign(ManifestUpdates.setRetention(s1,
        new RetentionPolicy(30, 60, 90, 2), T0.plus(Duration.ofDays(1))), ROOT);
    Files.writeString(chain, ManifestChain.toArmored(List.of(s0, s1, s2)));
    assertThat(BackupRetention.fromManifest(chain, root, Instant.now())).as("spam_days is the longest").hasValue(4);
  }

  @Test
  void fromManifest_refusesAChainThatDoesNotVerify_andUnreadableFiles() throws Exception {
    SignedManifest other = SignedManifest.sign(ManifestUpdates.genesis("Org", ROOT.publicKey(),
        SigningPrivateKey.generate(RANDOM).publicKey(), List.of(ReviewerEntry.of(
            ReviewerIdentity.generate("a", RANDOM).publicBundle(), ReviewerEntry.ROLE_REVIEWER,
            T0, T0.plus(Duration.ofDays(9)))), T0), ROOT);
    Path chain = Files.writeString(tmp.resolve("chain"), ManifestChain.toArmored(List.of(other)));
    Path wrongRoot = Files.writeString(tmp.resolve("root"),
        KeyManifest.rootFingerprint(SigningPrivateKey.generate(RANDOM).publicKey()).hex());
    assertThatThrownBy(() -> BackupRetention.fromManifest(chain, wrongRoot, Instant.now()))
        .isInstanceOf(BackupFailure.class).hasMessageContaining("does not verify from the pinned root fingerprint");
    assertThatThrownBy(() -> BackupRetention.fromManifest(tmp.resolve("missing"), wrongRoot, Instant.now()))
        .hasMessageContaining("cannot read the key manifest chain");
    Path garbage = Files.writeString(tmp.resolve("garbage"), "not hex");
    assertThatThrownBy(() -> BackupRetention.fromManifest(chain, garbage, Instant.now()))
        .hasMessageContaining("cannot read the pinned root fingerprint");
  }
}

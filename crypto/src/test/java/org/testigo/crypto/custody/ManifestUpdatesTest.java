package org.testigo.crypto.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;

class ManifestUpdatesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  RootKeyCeremony.Result ceremony;
  List<RootShare> two;
  Fingerprint pinned;
  List<SignedManifest> chain;

  @BeforeEach
  void genesis() {
    ceremony = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, T0,
        new SecureRandom());
    two = ceremony.shares().subList(0, 2);
    pinned = KeyManifest.rootFingerprint(ceremony.rootKey());
    KeyManifest g = ManifestUpdates.genesis("Casa del Migrante", ceremony.rootKey(),
        TestKeys.signing("log-1").publicKey(),
        List.of(TestKeys.entry("maria", ReviewerEntry.ROLE_ADMIN)), T0);
    chain = List.of(RootKeyCeremony.signManifest(two, g));
  }

  private SignedManifest last() {
    return chain.get(chain.size() - 1);
  }

  private void apply(KeyManifest next) throws CryptoException {
    chain = ManifestUpdates.append(chain, RootKeyCeremony.signManifest(two, next), pinned);
  }

  @Test
  void addRemoveRevokeRotate_eachGiveAChainThatVerifies() throws CryptoException {
    apply(ManifestUpdates.addReviewer(last(), TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER),
        T0.plusSeconds(60)));
    apply(ManifestUpdates.addReviewer(last(), TestKeys.entry("jose", ReviewerEntry.ROLE_REVIEWER),
        T0.plusSeconds(120)));
    apply(ManifestUpdates.removeReviewer(last(), "luis", T0.plusSeconds(180)));
    Instant revokedAt = Instant.parse("2026-06-01T00:00:00Z");
    apply(ManifestUpdates.revokeReviewer(last(), "jose", revokedAt));
    SigningPublicKey log2 = TestKeys.signing("log-2").publicKey();
    apply(ManifestUpdates.rotateLogKey(last(), log2, revokedAt.plusSeconds(1)));

    KeyManifest current = ManifestChain.verify(chain, pinned);
    assertThat(chain).hasSize(6);
    assertThat(current.sequence()).isEqualTo(5);
    assertThat(current.logKey()).isEqualTo(log2);
    assertThat(current.reviewers()).extracting(ReviewerEntry::alias)
        .containsExactlyInAnyOrder("maria", "jose");
    ReviewerEntry jose = current.reviewers().stream().filter(e -> e.alias().equals("jose"))
        .findFirst().orElseThrow();
    assertThat(jose.notAfter()).isEqualTo(revokedAt);
    assertThat(current.recipients(revokedAt.plusSeconds(10)))
        .containsExactly(TestKeys.entry("maria", ReviewerEntry.ROLE_ADMIN).encryptionKey());
    for (int i = 1; i < chain.size(); i++) {
      assertThat(chain.get(i).manifest().previousHash()).isEqualTo(chain.get(i - 1).hash());
    }
  }

  @Test
  void append_refusesAManifestThatDoesNotChainToTheLastOne() throws CryptoException {
    KeyManifest first = ManifestUpdates.addReviewer(last(),
        TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER), T0.plusSeconds(60));
    SignedManifest s1 = RootKeyCeremony.signManifest(two, first);
    apply(first);
    // A second change built from the genesis (a fork), not from the current manifest.
    KeyManifest fork = ManifestUpdates.addReviewer(chain.get(0),
        TestKeys.entry("jose", ReviewerEntry.ROLE_REVIEWER), T0.plusSeconds(120));
    List<SignedManifest> current = chain;
    assertThatThrownBy(() -> ManifestUpdates.append(current,
        RootKeyCeremony.signManifest(two, fork), pinned)).isInstanceOf(CryptoException.class);
    // The same manifest appended twice.
    assertThatThrownBy(() -> ManifestUpdates.append(current, s1, pinned))
        .isInstanceOf(CryptoException.class);
    // A manifest signed by another root.
    RootKeyCeremony.Result other = RootKeyCeremony.create(List.of("x1", "x2"), 2, T0,
        new SecureRandom());
    KeyManifest foreign = new KeyManifest(2, last().hash(), "Casa del Migrante",
        other.rootKey(), last().manifest().logKey(), last().manifest().reviewers(),
        T0.plusSeconds(200));
    assertThatThrownBy(() -> ManifestUpdates.append(current,
        RootKeyCeremony.signManifest(other.shares(), foreign), pinned))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void signManifest_refusesAManifestForAnotherRoot() {
    RootKeyCeremony.Result other = RootKeyCeremony.create(List.of("x1", "x2"), 2, T0,
        new SecureRandom());
    KeyManifest m = ManifestUpdates.addReviewer(last(),
        TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER), T0);
    assertThatThrownBy(() -> RootKeyCeremony.signManifest(other.shares(), m))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changes_refuseNonsenseWithClearMessages() {
    assertThatThrownBy(() -> ManifestUpdates.addReviewer(last(),
        TestKeys.entry("maria", ReviewerEntry.ROLE_REVIEWER), T0))
        .hasMessageContaining("already lists maria");
    assertThatThrownBy(() -> ManifestUpdates.removeReviewer(last(), "nadie", T0))
        .hasMessageContaining("no reviewer nadie");
    assertThatThrownBy(() -> ManifestUpdates.revokeReviewer(last(), "maria",
        Instant.parse("2028-01-01T00:00:00Z"))).hasMessageContaining("already expired");
    assertThatThrownBy(() -> ManifestUpdates.rotateLogKey(last(),
        last().manifest().logKey(), T0)).hasMessageContaining("already the log key");
  }

  @Test
  void issueTime_neverGoesBackwards() {
    KeyManifest m = ManifestUpdates.addReviewer(last(),
        TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER), T0.minusSeconds(3600));
    assertThat(m.issuedAt()).isEqualTo(T0);
    assertThat(m.sequence()).isEqualTo(1);
    assertThat(new ArrayList<>(m.reviewers())).hasSize(2);
  }

  @Test
  void revoke_ofAnEntryAddedInTheSameSecondLeavesAOneSecondWindow() throws CryptoException {
    Instant t = T0.plusSeconds(500);
    ReviewerEntry luis = new ReviewerEntry("luis", ReviewerEntry.ROLE_REVIEWER,
        TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER).encryptionKey(),
        TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER).signingKey(), t,
        t.plusSeconds(86400));
    apply(ManifestUpdates.addReviewer(last(), luis, t));
    KeyManifest m = ManifestUpdates.revokeReviewer(last(), "luis", t);
    ReviewerEntry revoked = m.reviewers().stream().filter(e -> e.alias().equals("luis"))
        .findFirst().orElseThrow();
    assertThat(revoked.notAfter()).isEqualTo(t.plusSeconds(1));
    ReviewerEntry template = TestKeys.entry("jose", ReviewerEntry.ROLE_REVIEWER);
    apply(ManifestUpdates.addReviewer(last(), new ReviewerEntry("jose", template.role(),
        template.encryptionKey(), template.signingKey(), t.plusSeconds(1000),
        t.plusSeconds(86400)), t));
    assertThatThrownBy(() -> ManifestUpdates.revokeReviewer(last(), "jose", t))
        .hasMessageContaining("not valid yet");
  }
}

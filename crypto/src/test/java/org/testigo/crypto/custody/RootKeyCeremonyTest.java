package org.testigo.crypto.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.CustodyException.Reason;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.TestKeys;

class RootKeyCeremonyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  static Stream<Arguments> schemes() {
    return Stream.of(Arguments.of(2, List.of("ana", "beto", "carla")),
        Arguments.of(3, List.of("ana", "beto", "carla", "diego", "elena")));
  }

  private static List<List<RootShare>> subsets(List<RootShare> all) {
    List<List<RootShare>> out = new ArrayList<>();
    for (int mask = 1; mask < (1 << all.size()); mask++) {
      List<RootShare> s = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          s.add(all.get(i));
        }
      }
      out.add(s);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void everySubsetOfAtLeastMRebuildsTheRoot_andEverySmallerSubsetFailsClearly(int m,
      List<String> custodians) {
    RootKeyCeremony.Result r = RootKeyCeremony.create(custodians, m, NOW, RANDOM);
    assertThat(r.shares()).hasSize(custodians.size());
    int rebuilt = 0;
    int refused = 0;
    for (List<RootShare> subset : subsets(r.shares())) {
      if (subset.size() >= m) {
        SigningPrivateKey k = RootKeyCeremony.reconstruct(subset);
        assertThat(k.publicKey()).isEqualTo(r.rootKey());
        k.destroy();
        rebuilt++;
      } else {
        assertThatThrownBy(() -> RootKeyCeremony.reconstruct(subset))
            .isInstanceOfSatisfying(CustodyException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_FEW_SHARES))
            .hasMessageContaining(m + " shares are needed");
        refused++;
      }
    }
    assertThat(rebuilt + refused).isEqualTo((1 << custodians.size()) - 1);
    assertThat(rebuilt).isEqualTo(m == 2 ? 4 : 16);
  }

  @Test
  void shares_carryCeremonyFactsAndNamedCustodians() {
    RootKeyCeremony.Result r = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    for (int i = 0; i < 3; i++) {
      ShareHeader h = r.shares().get(i).header();
      assertThat(h.index()).isEqualTo(i + 1);
      assertThat(h.custodian()).isEqualTo(List.of("ana", "beto", "carla").get(i));
      assertThat(h.threshold()).isEqualTo(2);
      assertThat(h.total()).isEqualTo(3);
      assertThat(h.rootKey()).isEqualTo(r.rootKey());
      assertThat(h.ceremonyId()).isEqualTo(r.ceremonyId());
      assertThat(h.createdAt()).isEqualTo(NOW);
      assertThat(r.shares().get(i).toString()).doesNotContain(h.custodian())
          .isEqualTo("RootShare[REDACTED]");
    }
  }

  @Test
  void reconstruct_failsClearlyWhenAShareByteIsFlipped() {
    RootKeyCeremony.Result r = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    for (int b = 0; b < RootShare.VALUE_LENGTH; b++) {
      byte[] v = r.shares().get(1).exposeSecret().clone();
      v[b] ^= 0x01;
      RootShare bad = new RootShare(r.shares().get(1).header(), v);
      assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(r.shares().get(0), bad)))
          .isInstanceOfSatisfying(CustodyException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.SHARES_DO_NOT_REBUILD_ROOT))
          .hasMessageContaining("the shares do not rebuild the root key");
    }
  }

  @Test
  void reconstruct_refusesSharesFromAnotherCeremony() {
    RootKeyCeremony.Result a = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    RootKeyCeremony.Result b = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(a.shares().get(0),
        b.shares().get(1))))
        .isInstanceOfSatisfying(CustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DIFFERENT_CEREMONIES))
        .hasMessageContaining("different root keys");
  }

  @Test
  void reconstruct_refusesMixingOldAndNewShareSetsOfTheSameRoot() {
    RootKeyCeremony.Result a = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    RootKeyCeremony.Result b = RootKeyCeremony.reshare(a.shares().subList(0, 2),
        List.of("ana", "diego", "elena"), 2, NOW.plusSeconds(60), RANDOM);
    assertThat(b.rootKey()).isEqualTo(a.rootKey());
    assertThat(b.ceremonyId()).isNotEqualTo(a.ceremonyId());
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(a.shares().get(0),
        b.shares().get(1))))
        .isInstanceOfSatisfying(CustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DIFFERENT_CEREMONIES))
        .hasMessageContaining("different share sets of the same root key");
  }

  @Test
  void reconstruct_refusesADuplicateShareNumber() {
    RootKeyCeremony.Result a = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(a.shares().get(0),
        a.shares().get(0))))
        .isInstanceOfSatisfying(CustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_SHARE))
        .hasMessageContaining("share 1 was given twice");
  }

  @Test
  void reconstruct_refusesSharesWhoseHeadersDisagree() {
    RootKeyCeremony.Result a = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    ShareHeader h = a.shares().get(1).header();
    RootShare forged = new RootShare(new ShareHeader(h.ceremonyId(), h.createdAt(), 3, 3,
        h.index(), h.custodian(), h.rootKey()), a.shares().get(1).exposeSecret());
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(a.shares().get(0), forged)))
        .isInstanceOfSatisfying(CustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCONSISTENT_SHARES));
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of()))
        .isInstanceOfSatisfying(CustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_FEW_SHARES));
  }

  @Test
  void reshare_keepsTheRootAndTheNewSetRebuildsIt() {
    RootKeyCeremony.Result a = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    RootKeyCeremony.Result b = RootKeyCeremony.reshare(List.of(a.shares().get(2),
        a.shares().get(0)), List.of("diego", "elena", "fer", "gabi"), 3, NOW, RANDOM);
    for (List<RootShare> subset : subsets(b.shares())) {
      if (subset.size() >= 3) {
        assertThat(RootKeyCeremony.reconstruct(subset).publicKey()).isEqualTo(a.rootKey());
      }
    }
  }

  @Test
  void create_rejectsBadThresholdsAndNames() {
    assertThatThrownBy(() -> RootKeyCeremony.create(List.of("ana", "beto"), 1, NOW, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RootKeyCeremony.create(List.of("ana", "beto"), 3, NOW, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RootKeyCeremony.create(List.of("ana", "ana"), 2, NOW, RANDOM))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> RootKeyCeremony.create(List.of("Ana!", "beto"), 2, NOW, RANDOM))
        .hasMessageContaining("invalid custodian name");
  }

  @Test
  void signManifest_withEnoughSharesGivesAManifestTheChainAccepts() throws CryptoException {
    RootKeyCeremony.Result r = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    KeyManifest m = ManifestUpdates.genesis("Org", r.rootKey(),
        TestKeys.signing("log").publicKey(), List.of(), NOW);
    SignedManifest s = RootKeyCeremony.signManifest(r.shares().subList(1, 3), m);
    assertThat(ManifestChain.verify(List.of(s), KeyManifest.rootFingerprint(r.rootKey())))
        .isEqualTo(m);
    assertThatThrownBy(() -> RootKeyCeremony.signManifest(r.shares().subList(0, 1), m))
        .isInstanceOf(CustodyException.class);
  }

  @Test
  void withRootKey_destroysTheKeyAfterUse() {
    RootKeyCeremony.Result r = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW,
        RANDOM);
    SigningPrivateKey seen = RootKeyCeremony.withRootKey(r.shares(), k -> k);
    assertThat(seen.isDestroyed()).isTrue();
  }
}

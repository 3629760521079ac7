package org.testigo.crypto.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerPublicBundle;

/**
 * The committed seeds of {@link TorClientAuthFuzzTest} say what they claim: the golden v2
 * inputs parse (so the replay reaches the properties, not only the refusals) and each altered
 * one is refused, with the message a custodian or the server would see.
 */
class TorClientAuthCorpusTest {
  private static final String BUNDLES =
      "TorClientAuthFuzzTestInputs/bundleV2_refusesOrBindsItsTorKeyToItsSigningKey/";
  private static final String MANIFESTS =
      "TorClientAuthFuzzTestInputs/manifestV2_refusesOrDerivesExactlyTheValidEntriesTorKeys/";

  private static byte[] seed(String path) throws IOException {
    try (InputStream in = TorClientAuthCorpusTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void goldenBundleSeeds_parse_v2WithItsTorKey_v1Without() throws IOException {
    assertThat(ReviewerPublicBundle.fromBytes(seed(BUNDLES + "golden-reviewer-bundle-v2")).tor()).isPresent();
    assertThat(ReviewerPublicBundle.fromBytes(seed(BUNDLES + "golden-reviewer-bundle-v1")).tor()).isEmpty();
  }

  @Test
  void alteredBundleSeeds_areRefused_sayingWhy() {
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(seed(BUNDLES + "v2-tor-signature-altered")))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("not signed by");
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(seed(BUNDLES + "v2-tor-key-altered")))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("not signed by");
    for (String s : new String[] {"v2-bytes-labelled-v1", "v1-bytes-labelled-v2", "v2-without-signature"}) {
      assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(seed(BUNDLES + s))).as(s)
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong length");
    }
  }

  @Test
  void goldenManifestSeeds_parse_onlyTheV2OneHasTorKeys() throws Exception {
    assertThat(SignedManifest.parse(seed(MANIFESTS + "golden-manifest-2-v2")).manifest().hasTorClientAuthKeys())
        .isTrue();
    assertThat(SignedManifest.parse(seed(MANIFESTS + "golden-manifest-1")).manifest().hasTorClientAuthKeys())
        .isFalse();
  }

  @Test
  void alteredManifestSeeds_areRefused() {
    for (String s : new String[] {"v2-labelled-v1", "v1-labelled-v2", "v2-truncated-in-last-entry"}) {
      assertThatThrownBy(() -> SignedManifest.parse(seed(MANIFESTS + s))).as(s)
          .isInstanceOf(CryptoException.class);
    }
  }
}

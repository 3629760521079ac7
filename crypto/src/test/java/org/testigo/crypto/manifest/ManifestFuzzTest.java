package org.testigo.crypto.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.testigo.crypto.CryptoException;

/** Fuzz targets for signed key manifests, binary and armored, as a server or a file hands them over. */
class ManifestFuzzTest {
  /**
   * {@code parse} either refuses with {@link CryptoException} or accepts only the canonical
   * encoding: {@code encoded()} equals the input, and a re-parse gives an equal manifest.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrIsCanonical(byte[] data) throws CryptoException {
    SignedManifest m;
    try {
      m = SignedManifest.parse(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(m.encoded()).isEqualTo(data);
    assertThat(SignedManifest.parse(m.encoded()).manifest()).isEqualTo(m.manifest());
  }

  /**
   * {@code parseArmored} either refuses with {@link CryptoException} or returns manifests
   * whose own armored text parses back to the same encodings.
   */
  @FuzzTest(maxDuration = "10m")
  void parseArmored_refusesOrRoundTrips(byte[] data) throws CryptoException {
    List<SignedManifest> chain;
    try {
      chain = SignedManifest.parseArmored(new String(data, StandardCharsets.UTF_8));
    } catch (CryptoException e) {
      return;
    }
    assertThat(chain).isNotEmpty();
    StringBuilder text = new StringBuilder();
    for (SignedManifest m : chain) {
      text.append(m.toArmored());
    }
    List<SignedManifest> again = SignedManifest.parseArmored(text.toString());
    assertThat(again).hasSameSizeAs(chain);
    for (int i = 0; i < chain.size(); i++) {
      assertThat(again.get(i).encoded()).isEqualTo(chain.get(i).encoded());
    }
  }
}

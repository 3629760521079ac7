package org.testigo.crypto.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.testigo.crypto.CryptoException;

/**
 * Fuzz targets for erasure decisions, as the server's erasure endpoint, the reviewer's sync
 * (from a hostile server's feed) and an auditor read them.
 */
class ErasureDecisionFuzzTest {
  /**
   * {@code parse} either refuses with {@link CryptoException} or accepts only a canonical
   * encoding whose every signature verifies: re-encoding gives the input back.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrIsCanonical(byte[] data) throws CryptoException {
    ErasureDecision d;
    try {
      d = ErasureDecision.parse(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(d.encoded()).isEqualTo(data);
    assertThat(ErasureDecision.parseArmored(d.toArmored())).isEqualTo(d);
    assertThat(d.signers()).isNotEmpty();
    assertThat(d.objectHashes()).isNotEmpty();
  }

  /** The armored form: refused, or it round-trips to the same encoding. */
  @FuzzTest(maxDuration = "10m")
  void parseArmored_refusesOrRoundTrips(byte[] data) throws CryptoException {
    ErasureDecision d;
    try {
      d = ErasureDecision.parseArmored(new String(data, StandardCharsets.UTF_8));
    } catch (CryptoException e) {
      return;
    }
    assertThat(ErasureDecision.parseArmored(d.toArmored()).encoded()).isEqualTo(d.encoded());
  }
}

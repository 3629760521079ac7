package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.fuzz.Refusals;

/**
 * Fuzz targets for the proof of filing a shelter or source keeps (text and binary) and the
 * signed tree head inside it.
 */
class FilingProofFuzzTest {
  /**
   * {@code parse} either refuses with {@link CryptoException} or is canonical: the encoding
   * equals the input and its tree head re-encodes to the embedded bytes.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrIsCanonical(byte[] data) throws CryptoException {
    FilingProof p;
    try {
      p = FilingProof.parse(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(p.encoded()).isEqualTo(data);
    assertThat(SignedTreeHead.parse(p.treeHead().encoded())).isEqualTo(p.treeHead());
    assertThat(p.leafIndex()).isNotNegative();
  }

  /**
   * {@code parseArmored} either refuses (a plain {@link IllegalArgumentException} for damaged
   * text, {@link CryptoException} for an intact text that is not a proof) or returns a proof
   * whose own armored text parses back to the same encoding.
   */
  @FuzzTest(maxDuration = "10m")
  void parseArmored_refusesOrRoundTrips(byte[] data) throws CryptoException {
    FilingProof p;
    try {
      p = FilingProof.parseArmored(new String(data, StandardCharsets.UTF_8));
    } catch (CryptoException e) {
      return;
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(FilingProof.parseArmored(p.toArmored()).encoded()).isEqualTo(p.encoded());
  }

  /** {@code SignedTreeHead.parse} either refuses with {@link CryptoException} or is canonical. */
  @FuzzTest(maxDuration = "10m")
  void treeHead_refusesOrIsCanonical(byte[] data) {
    SignedTreeHead h;
    try {
      h = SignedTreeHead.parse(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(h.encoded()).isEqualTo(data);
    assertThat(h.treeSize()).isNotNegative();
    assertThat(h.timestampMillis()).isNotNegative();
  }
}

package org.testigo.crypto.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.GoldenTorWriter;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;

class RetentionManifestTest {
  @Test
  void goldenChainV3_isRebuiltByteForByte_andVerifies() throws Exception {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/golden/manifest-chain-v3.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<SignedManifest> chain = GoldenErasureWriter.chainV3();
    assertThat(ManifestChain.toArmored(chain)).isEqualTo(text);
    List<SignedManifest> parsed = SignedManifest.parseArmored(text);
    KeyManifest last = ManifestChain.verify(parsed, TestKeys.goldenChain().get(0).manifest()
        .rootFingerprint());
    assertThat(last.retentionPolicy()).contains(RetentionPolicy.DEFAULT);
    assertThat(parsed.get(2).manifest().retentionPolicy()).isEmpty();
    byte[] enc = parsed.get(3).encoded();
    assertThat(enc[7]).isEqualTo((byte) SignedManifest.VERSION_RETENTION);
    // the policy block is the last 7 bytes of the body: 365, 1825, 30, 2
    byte[] block = Arrays.copyOfRange(enc, enc.length - 64 - 7, enc.length - 64);
    assertThat(block).containsExactly(0x01, 0x6d, 0x07, 0x21, 0x00, 0x1e, 0x02);
    // the Tor keys of manifest 2 are carried over
    assertThat(last.torClientAuthKeys(Instant.parse("2026-06-01T00:00:00Z"))).hasSize(2);
  }

  @Test
  void policyIsCarriedByLaterChanges() {
    List<SignedManifest> chain = GoldenErasureWriter.chainV3();
    KeyManifest next = ManifestUpdates.removeReviewer(chain.get(3), "ana",
        Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(next.retentionPolicy()).contains(RetentionPolicy.DEFAULT);
    assertThatThrownBy(() -> ManifestUpdates.setRetention(chain.get(3), RetentionPolicy.DEFAULT,
        Instant.now())).hasMessageContaining("already");
  }

  @Test
  void badPolicyBlocks_andTruncatedV3_areRefused() {
    SignedManifest m3 = GoldenErasureWriter.chainV3().get(3);
    byte[] enc = m3.encoded();
    int block = enc.length - 64 - 7;
    // every edit of the block breaks the signature; re-sign so the parse itself must refuse
    byte[][] bad = {
        {0, 0, 7, 0x21, 0, 0x1e, 2},          // closed 0
        {0x0e, 0x43, 0x0e, 0x43, 0, 0x1e, 2}, // 3651
        {1, 0x6d, 0, 1, 0, 0x1e, 2},          // referral < closed
        {1, 0x6d, 7, 0x21, 0, 0, 2},          // spam 0
        {1, 0x6d, 7, 0x21, 0, 0x1e, 0},       // no signatures
        {1, 0x6d, 7, 0x21, 0, 0x1e, 9},       // 9 signatures
    };
    for (byte[] b : bad) {
      assertThatThrownBy(() -> RetentionPolicy.decode(b)).isInstanceOf(IllegalArgumentException.class);
      byte[] t = enc.clone();
      System.arraycopy(b, 0, t, block, 7);
      assertThatThrownBy(() -> SignedManifest.parse(t)).isInstanceOf(CryptoException.class);
    }
    // a v3 body without its block, and a v2 body with one, are not canonical
    byte[] noBlock = new byte[enc.length - 7];
    System.arraycopy(enc, 0, noBlock, 0, block);
    System.arraycopy(enc, block + 7, noBlock, block, 64);
    assertThatThrownBy(() -> SignedManifest.parse(noBlock)).isInstanceOf(CryptoException.class);
    byte[] v2 = enc.clone();
    v2[7] = 2;
    assertThatThrownBy(() -> SignedManifest.parse(v2)).isInstanceOf(CryptoException.class);
    byte[] v4 = enc.clone();
    v4[7] = 4;
    assertThatThrownBy(() -> SignedManifest.parse(v4)).isInstanceOf(CryptoException.class);
  }

  @Test
  void manifestWithoutTorKeys_butWithAPolicy_isV3() throws Exception {
    KeyManifest m = TestKeys.goldenChain().get(0).manifest().withRetention(
        new RetentionPolicy(30, 60, 7, 1));
    SignedManifest s = SignedManifest.sign(m, TestKeys.goldenRoot());
    assertThat(s.encoded()[7]).isEqualTo((byte) 3);
    assertThat(SignedManifest.parse(s.encoded()).manifest()).isEqualTo(m);
    // and without the policy it keeps its v1 encoding, byte for byte
    assertThat(SignedManifest.sign(m.withRetention(null), TestKeys.goldenRoot()).encoded())
        .isEqualTo(TestKeys.goldenChain().get(0).encoded());
    assertThat(GoldenTorWriter.chainV2().get(2).encoded()[7]).isEqualTo((byte) 2);
  }

  @Test
  void dueDays_followThePolicy() {
    RetentionPolicy p = RetentionPolicy.DEFAULT;
    assertThat(p.dueAfterClose(LocalDate.parse("2026-01-10"), false)).isEqualTo("2027-01-10");
    assertThat(p.dueAfterClose(LocalDate.parse("2026-01-10"), true)).isEqualTo("2031-01-09");
    assertThat(p.dueAsSpam(LocalDate.parse("2026-01-10"))).isEqualTo("2026-02-09");
    assertThat(p.longestDays()).isEqualTo(1825);
    assertThatThrownBy(() -> new RetentionPolicy(400, 300, 30, 2))
        .hasMessageContaining("referral-days");
  }
}

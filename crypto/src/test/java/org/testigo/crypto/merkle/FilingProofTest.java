package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

class FilingProofTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SigningPrivateKey LOG = TestKeys.signing("golden-log");
  private static final Fingerprint GOLDEN_ROOT =
      KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey());

  static String resource(String name) throws IOException {
    try (InputStream in = FilingProofTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> expected() throws IOException {
    return resource("/golden/custody/proof-of-filing-v1.expected.txt").lines()
        .map(l -> l.split(": ", 2)).collect(Collectors.toMap(a -> a[0], a -> a[1]));
  }

  private static List<LogLeaf> leaves(int n) {
    List<LogLeaf> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(LogLeaf.ofObject(LogLeaf.EntryType.SUBMISSION,
          Instant.parse("2026-03-02T08:00:00Z"), ("envelope " + i).getBytes()));
    }
    return out;
  }

  private static FilingProof proof(int n, int index, SigningPrivateKey key, Instant at) {
    List<LogLeaf> leaves = leaves(n);
    LeafHashSource src = LeafHashSource.of(leaves.stream().map(LogLeaf::leafHash).toList());
    SignedTreeHead sth = SignedTreeHead.sign(n, MerkleTree.root(src), at.toEpochMilli(), key);
    return FilingProof.build(src, leaves.get(index), index, sth, key.publicKey());
  }

  @Test
  void logLeaf_v1_layoutIsVersionTypeDayAndObjectHash() throws CryptoException {
    byte[] h = new byte[32];
    h[0] = 0x42;
    LogLeaf leaf = LogLeaf.of(LogLeaf.EntryType.REPLY, Instant.parse("2026-03-02T23:59:59Z"), h);
    byte[] enc = leaf.encoded();
    assertThat(enc).hasSize(38);
    assertThat(HEX.formatHex(enc, 0, 6)).isEqualTo("0103" + String.format("%08x",
        LocalDate.parse("2026-03-02").toEpochDay()));
    assertThat(enc[6]).isEqualTo((byte) 0x42);
    assertThat(LogLeaf.parse(enc)).isEqualTo(leaf);
    assertThat(leaf.day()).isEqualTo(LocalDate.parse("2026-03-02"));
    assertThat(leaf.leafHash()).isEqualTo(MerkleHash.leafHash(enc));
    byte[] badType = enc.clone();
    badType[1] = 8;
    assertThatThrownBy(() -> LogLeaf.parse(badType)).isInstanceOf(CryptoException.class);
    byte[] badVersion = enc.clone();
    badVersion[0] = 2;
    assertThatThrownBy(() -> LogLeaf.parse(badVersion)).isInstanceOf(CryptoException.class);
  }

  @Test
  void signedTreeHead_signAndVerifyUnderTheTreeHeadDomain() {
    SignedTreeHead sth = SignedTreeHead.sign(3, new byte[32], 1000, LOG);
    assertThat(sth.verify(LOG.publicKey())).isTrue();
    assertThat(sth.verify(TestKeys.signing("other").publicKey())).isFalse();
    assertThat(sth.verify(null)).isFalse();
    assertThat(LOG.publicKey().verify(org.testigo.crypto.sign.SignatureDomain.TREE_HEAD,
        sth.toBeSigned(), sth.signature())).isTrue();
    SignedTreeHead other = SignedTreeHead.of(4, new byte[32], 1000, sth.signature());
    assertThat(other.verify(LOG.publicKey())).isFalse();
  }

  @Test
  void proof_verifiesForEveryLeafOfSeveralTreeSizes() throws CryptoException {
    for (int n : new int[] {1, 2, 3, 7, 8, 13}) {
      for (int i = 0; i < n; i++) {
        FilingProof p = proof(n, i, LOG, Instant.parse("2026-03-03T00:00:00Z"));
        FilingProof back = FilingProof.parseArmored(p.toArmored());
        back.verify(LOG.publicKey());
        assertThat(back.encoded()).isEqualTo(p.encoded());
      }
    }
  }

  @Test
  void proof_failsAfterAnySingleByteChangeOfTheDecodedProof() throws CryptoException {
    FilingProof p = proof(13, 6, LOG, Instant.parse("2026-03-03T00:00:00Z"));
    byte[] enc = p.encoded();
    for (int i = 0; i < enc.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = enc.clone();
        bad[i] ^= (byte) (1 << bit);
        FilingProof parsed;
        try {
          parsed = FilingProof.parse(bad);
        } catch (CryptoException e) {
          continue;
        }
        int at = i;
        assertThatThrownBy(() -> parsed.verify(LOG.publicKey())).as("byte %d", at)
            .isInstanceOf(CryptoException.class);
      }
    }
    assertThatThrownBy(() -> FilingProof.parse(java.util.Arrays.copyOf(enc, enc.length - 1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> FilingProof.parse(java.util.Arrays.copyOf(enc, enc.length + 32)))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void proof_failsWithAnotherLogKey() {
    FilingProof p = proof(5, 2, LOG, Instant.parse("2026-03-03T00:00:00Z"));
    assertThatThrownBy(() -> p.verify(TestKeys.signing("other").publicKey()))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void armoredProof_reportsDamagedTextClearly() {
    String text = proof(5, 2, LOG, Instant.parse("2026-03-03T00:00:00Z")).toArmored();
    String[] lines = text.split("\n");
    char c = lines[1].charAt(10);
    lines[1] = lines[1].substring(0, 10) + (c == 'A' ? 'B' : 'A') + lines[1].substring(11);
    assertThatThrownBy(() -> FilingProof.parseArmored(String.join("\n", lines)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum");
    assertThatThrownBy(() -> FilingProof.parseArmored(text.substring(0, text.length() / 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goldenProof_v1_verifiesAgainstTheGoldenManifestChainAndLogKeyFile() throws Exception {
    Map<String, String> exp = expected();
    FilingProof p = FilingProof.parseArmored(resource("/golden/custody/proof-of-filing-v1.txt"));
    assertThat(HEX.formatHex(p.encoded())).isEqualTo(exp.get("encoded"));
    assertThat(HEX.formatHex(p.leaf().encoded())).isEqualTo(exp.get("leaf"));
    assertThat(HEX.formatHex(p.leaf().leafHash())).isEqualTo(exp.get("leaf-hash"));
    assertThat(p.leafIndex()).isEqualTo(5);
    assertThat(p.treeHead().treeSize()).isEqualTo(7);
    assertThat(HEX.formatHex(p.treeHead().encoded())).isEqualTo(exp.get("tree-head"));
    SigningPublicKey log = SigningPublicKeyText.parse(SigningPublicKeyText.Kind.LOG,
        resource("/golden/custody/log-key-v1.txt"));
    p.verify(log);
    List<SignedManifest> chain = SignedManifest.parseArmored(
        resource("/golden/manifest-chain-v1.txt"));
    assertThat(p.verify(chain, GOLDEN_ROOT)).isEqualTo(1);
  }

  @Test
  void proofWithChain_requiresTheLogKeyInForceAtTheTreeHeadTime() throws Exception {
    List<SignedManifest> golden = SignedManifest.parseArmored(
        resource("/golden/manifest-chain-v1.txt"));
    // Before the first manifest: no log key was in force.
    FilingProof early = proof(4, 1, LOG, Instant.parse("2025-12-31T00:00:00Z"));
    assertThatThrownBy(() -> early.verify(golden, GOLDEN_ROOT))
        .isInstanceOf(CryptoException.class);
    // A log key never listed in the chain.
    FilingProof rogue = proof(4, 1, TestKeys.signing("rogue-log"),
        Instant.parse("2026-03-03T00:00:00Z"));
    assertThatThrownBy(() -> rogue.verify(golden, GOLDEN_ROOT))
        .isInstanceOf(CryptoException.class);
    // Rotation: after the log key is replaced, heads signed with the old key are refused.
    SigningPrivateKey root = TestKeys.goldenRoot();
    KeyManifest rotated = org.testigo.crypto.custody.ManifestUpdates.rotateLogKey(
        golden.get(1), TestKeys.signing("log-2").publicKey(),
        Instant.parse("2026-04-01T00:00:00Z"));
    List<SignedManifest> chain = new ArrayList<>(golden);
    chain.add(SignedManifest.sign(rotated, root));
    FilingProof before = proof(4, 1, LOG, Instant.parse("2026-03-15T00:00:00Z"));
    assertThat(before.verify(chain, GOLDEN_ROOT)).isEqualTo(1);
    FilingProof oldKeyAfter = proof(4, 1, LOG, Instant.parse("2026-04-02T00:00:00Z"));
    assertThatThrownBy(() -> oldKeyAfter.verify(chain, GOLDEN_ROOT))
        .isInstanceOf(CryptoException.class);
    FilingProof newKeyAfter = proof(4, 1, TestKeys.signing("log-2"),
        Instant.parse("2026-04-02T00:00:00Z"));
    assertThat(newKeyAfter.verify(chain, GOLDEN_ROOT)).isEqualTo(2);
    assertThatThrownBy(() -> newKeyAfter.verify(chain, Fingerprint.of("testigo-root-v1",
        new byte[32]))).isInstanceOf(CryptoException.class);
  }

  @Test
  void build_refusesAProofTheLogDoesNotSupport() {
    List<LogLeaf> leaves = leaves(4);
    LeafHashSource src = LeafHashSource.of(leaves.stream().map(LogLeaf::leafHash).toList());
    SignedTreeHead sth = SignedTreeHead.sign(4, MerkleTree.root(src), 0, LOG);
    assertThatThrownBy(() -> FilingProof.build(src, leaves.get(1), 2, sth, LOG.publicKey()))
        .hasMessageContaining("another leaf");
    SignedTreeHead wrongRoot = SignedTreeHead.sign(4, new byte[32], 0, LOG);
    assertThatThrownBy(() -> FilingProof.build(src, leaves.get(1), 1, wrongRoot,
        LOG.publicKey())).hasMessageContaining("root");
  }
}

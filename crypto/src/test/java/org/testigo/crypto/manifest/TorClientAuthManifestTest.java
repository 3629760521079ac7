package org.testigo.crypto.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.GoldenTorWriter;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.identity.TorClientAuthKey;
import org.testigo.crypto.sign.SignatureDomain;

/** The Tor client-auth field: bundle v2, manifest v2, and that v1 files are untouched by it. */
class TorClientAuthManifestTest {
  static final Instant MARCH = Instant.parse("2026-03-15T00:00:00Z");

  static String resource(String name) throws IOException {
    try (InputStream in = TorClientAuthManifestTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String field(String file, String name) throws IOException {
    return resource(file).lines().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow()
        .substring(name.length() + 2);
  }

  static Fingerprint root() {
    return KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey());
  }

  @Test
  void goldenV2Chain_verifiesAndListsTheTorKeysOfItsValidEntries() throws Exception {
    List<SignedManifest> chain = SignedManifest.parseArmored(resource("manifest-chain-v2.txt"));
    KeyManifest latest = ManifestChain.verify(chain, root());
    assertThat(chain.get(2).encoded()[7]).isEqualTo((byte) 2);
    assertThat(chain.get(2).hash().hex()).isEqualTo(field("manifest-v2-tor-keys.txt", "manifest-2-hash"));
    assertThat(latest.torClientAuthKeys(MARCH)).extracting(TorClientAuthKey::base32).containsExactlyInAnyOrder(
        field("manifest-v2-tor-keys.txt", "maria-tor-client-auth-public"),
        field("manifest-v2-tor-keys.txt", "jose-tor-client-auth-public"));
    assertThat(latest.reviewers()).filteredOn(e -> e.alias().equals("ana")).singleElement()
        .satisfies(e -> assertThat(e.torKey()).isNull());
    assertThat(latest.torClientAuthKeys(Instant.parse("2027-02-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void goldenV2Chain_isRebuiltByteForByte() throws Exception {
    assertThat(ManifestChain.toArmored(GoldenTorWriter.chainV2())).isEqualTo(resource("manifest-chain-v2.txt"));
  }

  @Test
  void goldenV1Chain_stillVerifiesAndGivesNoOnionAccess() throws Exception {
    List<SignedManifest> chain = SignedManifest.parseArmored(resource("manifest-chain-v1.txt"));
    KeyManifest latest = ManifestChain.verify(chain, root());
    assertThat(chain).allSatisfy(m -> assertThat(m.encoded()[7]).isEqualTo((byte) 1));
    assertThat(latest.hasTorClientAuthKeys()).isFalse();
    assertThat(latest.torClientAuthKeys(Instant.parse("2026-02-15T00:00:00Z"))).isEmpty();
    assertThat(ManifestChain.toArmored(TestKeys.goldenChain())).isEqualTo(resource("manifest-chain-v1.txt"));
  }

  @Test
  void parse_rejectsAV1BodyRelabelledAsV2AndABadTorFlag() throws Exception {
    byte[] v1 = TestKeys.goldenChain().get(1).encoded();
    v1[7] = 2;
    assertThatThrownBy(() -> SignedManifest.parse(v1)).isInstanceOf(CryptoException.class);
    byte[] v2 = GoldenTorWriter.chainV2().get(2).encoded();
    int changed = 0;
    for (int i = 8; i < v2.length - 64; i++) {
      if (v2[i] == 0 || v2[i] == 1) {
        byte[] copy = v2.clone();
        copy[i] = 2;
        try {
          SignedManifest m = SignedManifest.parse(copy);
          // a changed key or time byte may still parse; the signature then fails
          assertThatThrownBy(() -> m.verify(root())).isInstanceOf(CryptoException.class);
        } catch (CryptoException expected) {
          changed++;
        }
      }
    }
    assertThat(changed).isPositive();
  }

  @Test
  void manifest_rejectsTwoEntriesWithTheSameTorKey() {
    TorClientAuthKey shared = TestKeys.identity("maria").torClientAuthPublicKey();
    ReviewerEntry a = TestKeys.entry("maria", ReviewerEntry.ROLE_ADMIN).withTorKey(shared);
    ReviewerEntry b = TestKeys.entry("luis", ReviewerEntry.ROLE_REVIEWER).withTorKey(shared);
    KeyManifest m1 = TestKeys.goldenChain().get(1).manifest();
    assertThatThrownBy(() -> new KeyManifest(2, TestKeys.goldenChain().get(1).hash(), m1.organisation(),
        m1.rootKey(), m1.logKey(), List.of(a, b), MARCH)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
  }

  @Test
  void setTorKey_givesAListedReviewerTheBundlesKey_andRefusesV1BundlesAndStrangers() throws Exception {
    List<SignedManifest> v1 = TestKeys.goldenChain();
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    KeyManifest next = org.testigo.crypto.custody.ManifestUpdates.setTorKey(v1.get(1),
        TestKeys.identity("jose").publicBundleWithTorKey(), now);
    assertThat(next.sequence()).isEqualTo(2);
    assertThat(next.torClientAuthKeys(now)).containsExactly(TestKeys.identity("jose").torClientAuthPublicKey());
    assertThat(SignedManifest.sign(next, TestKeys.goldenRoot()).encoded()[7]).isEqualTo((byte) 2);
    assertThatThrownBy(() -> org.testigo.crypto.custody.ManifestUpdates.setTorKey(v1.get(1),
        TestKeys.identity("jose").publicBundle(), now)).hasMessageContaining("no Tor client-auth key");
    assertThatThrownBy(() -> org.testigo.crypto.custody.ManifestUpdates.setTorKey(v1.get(1),
        TestKeys.identity("luis").publicBundleWithTorKey(), now)).hasMessageContaining("lists no entry");
  }

  @Test
  void goldenBundleV2_parsesWithTheTorKeyDerivedFromTheKeystoreIdentity() throws Exception {
    String text = resource("reviewer-bundle-v2.txt");
    ReviewerPublicBundle b = ReviewerPublicBundle.parse(text);
    ReviewerIdentity maria = TestKeys.identity("maria");
    assertThat(b.tor()).contains(maria.torClientAuthPublicKey());
    assertThat(b.fingerprint()).isEqualTo(maria.fingerprint());
    assertThat(b.toText()).isEqualTo(text);
    assertThat(b).isEqualTo(maria.publicBundleWithTorKey()).isNotEqualTo(maria.publicBundle());
    assertThat(ReviewerPublicBundle.parse(resource("reviewer-bundle-v1.txt")).tor()).isEmpty();
  }

  @Test
  void bundle_rejectsATorKeyNotSignedByTheReviewer() {
    ReviewerIdentity maria = TestKeys.identity("maria");
    ReviewerIdentity luis = TestKeys.identity("luis");
    TorClientAuthKey k = maria.torClientAuthPublicKey();
    assertThatThrownBy(() -> new ReviewerPublicBundle("maria", maria.encryptionKey().publicKey(),
        maria.signingKey().publicKey(), k, luis.signingKey().sign(SignatureDomain.TOR_CLIENT_AUTH, k.toBytes())))
        .hasMessageContaining("not signed by this reviewer's signing key");
    byte[] raw = maria.publicBundleWithTorKey().toBytes();
    raw[raw.length - 70] ^= 1; // inside the Tor key
    assertThatThrownBy(() -> ReviewerPublicBundle.fromBytes(raw)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void torClientAuthPrivateKey_isClampedDeterministicAndPinned() throws Exception {
    ReviewerIdentity maria = TestKeys.identity("maria");
    byte[] k = maria.torClientAuthPrivateKey().exposeSecret();
    assertThat(HexFormat.of().formatHex(k)).isEqualTo(field("manifest-v2-tor-keys.txt", "maria-tor-client-auth-private-hex"));
    assertThat(k[0] & 7).isZero();
    assertThat(k[31] & 0xc0).isEqualTo(0x40);
    assertThat(TestKeys.identity("luis").torClientAuthPublicKey()).isNotEqualTo(maria.torClientAuthPublicKey());
  }
}

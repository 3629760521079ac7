package org.testigo.crypto.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

class ManifestTest {
  private static final SigningPrivateKey ROOT = TestKeys.goldenRoot();
  private static final Fingerprint PINNED = KeyManifest.rootFingerprint(ROOT.publicKey());
  private static final SigningPrivateKey LOG = TestKeys.signing("golden-log");
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private static KeyManifest manifest(long seq, Fingerprint prev, Instant issued,
      SigningPrivateKey root, ReviewerEntry... entries) {
    return new KeyManifest(seq, prev, "Org", root.publicKey(), LOG.publicKey(),
        List.of(entries), issued);
  }

  /** A chain of n manifests signed by ROOT. */
  private static List<SignedManifest> chain(int n) {
    List<SignedManifest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Fingerprint prev = i == 0 ? null : out.get(i - 1).hash();
      out.add(SignedManifest.sign(manifest(i, prev, T0.plusSeconds(i), ROOT,
          TestKeys.entry("r" + i, ReviewerEntry.ROLE_REVIEWER)), ROOT));
    }
    return out;
  }

  private static SignedManifest small() {
    return SignedManifest.sign(manifest(0, null, T0, ROOT,
        TestKeys.entry("maria", ReviewerEntry.ROLE_ADMIN)), ROOT);
  }

  @Test
  void signedManifest_roundTripsAndVerifies() throws CryptoException {
    SignedManifest s = small();
    SignedManifest parsed = SignedManifest.parse(s.encoded());
    assertThat(parsed.manifest()).isEqualTo(s.manifest());
    assertThat(parsed.encoded()).isEqualTo(s.encoded());
    assertThat(parsed.hash()).isEqualTo(s.hash());
    parsed.verify(PINNED);
    assertThat(PINNED).isEqualTo(Fingerprint.of("testigo-root-v1", ROOT.publicKey().toBytes()));
  }

  @Test
  void hash_isSha256OfTheFullSignedEncoding() throws Exception {
    SignedManifest s = small();
    assertThat(s.hash().toBytes())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(s.encoded()));
  }

  @Test
  void signature_isRootSignatureOverTheBodyInTheManifestDomain() {
    SignedManifest s = small();
    byte[] enc = s.encoded();
    byte[] body = Arrays.copyOf(enc, enc.length - 64);
    assertThat(ROOT.publicKey().verify(SignatureDomain.MANIFEST, body, s.signature())).isTrue();
    assertThat(ROOT.publicKey().verify(SignatureDomain.TREE_HEAD, body, s.signature())).isFalse();
  }

  @Test
  void keyManifest_sortsReviewersByFingerprintSoEncodingIsIndependentOfInputOrder() {
    ReviewerEntry a = TestKeys.entry("a", ReviewerEntry.ROLE_REVIEWER);
    ReviewerEntry b = TestKeys.entry("b", ReviewerEntry.ROLE_REVIEWER);
    ReviewerEntry c = TestKeys.entry("c", ReviewerEntry.ROLE_AUDITOR);
    KeyManifest m1 = manifest(0, null, T0, ROOT, a, b, c);
    KeyManifest m2 = manifest(0, null, T0, ROOT, c, a, b);
    assertThat(m1).isEqualTo(m2);
    assertThat(SignedManifest.sign(m1, ROOT).encoded())
        .isEqualTo(SignedManifest.sign(m2, ROOT).encoded());
    List<byte[]> fps = m1.reviewers().stream().map(e -> e.fingerprint().toBytes()).toList();
    for (int i = 1; i < fps.size(); i++) {
      assertThat(Arrays.compareUnsigned(fps.get(i - 1), fps.get(i))).isNegative();
    }
  }

  @Test
  void keyManifest_rejectsDuplicatesAndInconsistentFields() {
    ReviewerEntry a = TestKeys.entry("a", ReviewerEntry.ROLE_REVIEWER);
    ReviewerEntry aAsAuditor = TestKeys.entry("a", ReviewerEntry.ROLE_AUDITOR);
    ReviewerEntry otherKeysSameAlias = new ReviewerEntry("a", "reviewer",
        TestKeys.recipient("z").publicKey(), TestKeys.signing("z").publicKey(), T0, T0.plusSeconds(1));
    ReviewerEntry sameSigningKey = new ReviewerEntry("b", "reviewer",
        TestKeys.recipient("z").publicKey(), a.signingKey(), T0, T0.plusSeconds(1));
    ReviewerEntry rootAsReviewer = new ReviewerEntry("b", "reviewer",
        TestKeys.recipient("z").publicKey(), ROOT.publicKey(), T0, T0.plusSeconds(1));
    for (ReviewerEntry dup : List.of(a, aAsAuditor, otherKeysSameAlias, sameSigningKey)) {
      assertThatThrownBy(() -> manifest(0, null, T0, ROOT, a, dup))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> manifest(0, null, T0, ROOT, rootAsReviewer))
        .isInstanceOf(IllegalArgumentException.class);
    Fingerprint someHash = Fingerprint.of("x");
    assertThatThrownBy(() -> manifest(0, someHash, T0, ROOT, a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> manifest(1, null, T0, ROOT, a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyManifest(0, null, "Org", ROOT.publicKey(), ROOT.publicKey(),
        List.of(), T0)).isInstanceOf(IllegalArgumentException.class);
    for (String org : new String[] {"", " Org", "Org\n", "x".repeat(256), "Cafe\u0301"}) {
      assertThatThrownBy(() -> new KeyManifest(0, null, org, ROOT.publicKey(), LOG.publicKey(),
          List.of(), T0)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new ReviewerEntry("a", "root", a.encryptionKey(), a.signingKey(),
        T0, T0.plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReviewerEntry("a", "reviewer", a.encryptionKey(),
        a.signingKey(), T0, T0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sign_refusesAKeyOtherThanTheManifestRoot() {
    KeyManifest m = manifest(0, null, T0, ROOT);
    assertThatThrownBy(() -> SignedManifest.sign(m, TestKeys.signing("other")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recipients_areReviewersAndAdminsButNeverAuditors() {
    ReviewerEntry rev = TestKeys.entry("rev", ReviewerEntry.ROLE_REVIEWER);
    ReviewerEntry adm = TestKeys.entry("adm", ReviewerEntry.ROLE_ADMIN);
    ReviewerEntry aud = TestKeys.entry("aud", ReviewerEntry.ROLE_AUDITOR);
    KeyManifest m = manifest(0, null, T0, ROOT, rev, adm, aud);
    assertThat(m.recipients()).containsExactlyInAnyOrder(rev.encryptionKey(),
        adm.encryptionKey());
    Instant inside = Instant.parse("2026-06-01T00:00:00Z");
    assertThat(m.recipients(inside)).hasSize(2);
    assertThat(m.recipients(Instant.parse("2027-01-01T00:00:00Z"))).isEmpty();
    assertThat(m.recipients(Instant.parse("2025-12-31T23:59:59Z"))).isEmpty();
    assertThat(m.reviewerBySigningKey(rev.signingKey(), inside)).contains(rev);
    assertThat(m.reviewerBySigningKey(ROOT.publicKey(), inside)).isEmpty();
  }

  @Test
  void times_areTruncatedToWholeSecondsSoTheyRoundTrip() throws CryptoException {
    KeyManifest m = manifest(0, null, T0.plusMillis(999), ROOT);
    assertThat(m.issuedAt()).isEqualTo(T0);
    assertThat(SignedManifest.parse(SignedManifest.sign(m, ROOT).encoded()).manifest())
        .isEqualTo(m);
  }

  @Test
  void verify_failsWhenAnyByteIsFlipped() {
    byte[] enc = small().encoded();
    for (int i = 0; i < enc.length; i++) {
      for (int mask : new int[] {0x01, 0x80}) {
        byte[] t = enc.clone();
        t[i] ^= (byte) mask;
        int at = i;
        assertThatThrownBy(() -> SignedManifest.parse(t).verify(PINNED))
            .as("flip 0x%02x at %d", mask, at).isInstanceOf(CryptoException.class);
      }
    }
  }

  @Test
  void parse_failsOnTruncationTrailingBytesGarbageAndUnknownVersion() {
    byte[] enc = small().encoded();
    for (int n = 0; n < enc.length; n++) {
      byte[] t = Arrays.copyOf(enc, n);
      assertThatThrownBy(() -> SignedManifest.parse(t)).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> SignedManifest.parse(Arrays.copyOf(enc, enc.length + 1)))
        .isInstanceOf(CryptoException.class);
    byte[] v2 = enc.clone();
    v2[7] = 2;
    assertThatThrownBy(() -> SignedManifest.parse(v2)).isInstanceOf(CryptoException.class);
    SecureRandom r = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      byte[] g = new byte[r.nextInt(3000)];
      r.nextBytes(g);
      assertThatThrownBy(() -> SignedManifest.parse(g)).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> SignedManifest.parse(null)).isInstanceOf(CryptoException.class);
  }

  @Test
  void parse_rejectsNonCanonicalReviewerOrder() throws CryptoException {
    KeyManifest m = manifest(0, null, T0, ROOT, TestKeys.entry("a", "reviewer"),
        TestKeys.entry("b", "reviewer"));
    byte[] enc = SignedManifest.sign(m, ROOT).encoded();
    int entryLength = 1 + 1 + 1 + "reviewer".length() + 1216 + 32 + 16;
    int first = enc.length - 64 - 2 * entryLength;
    byte[] swapped = enc.clone();
    System.arraycopy(enc, first + entryLength, swapped, first, entryLength);
    System.arraycopy(enc, first, swapped, first + entryLength, entryLength);
    assertThat(swapped).isNotEqualTo(enc);
    assertThatThrownBy(() -> SignedManifest.parse(swapped)).isInstanceOf(CryptoException.class);
    SignedManifest.parse(enc);
  }

  @Test
  void verify_failsForAnotherPinnedRootOrAnotherSigner() {
    SignedManifest s = small();
    assertThatThrownBy(() -> s.verify(Fingerprint.of("testigo-root-v1",
        TestKeys.signing("other").publicKey().toBytes()))).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> s.verify(ROOT.publicKey().fingerprint()))
        .isInstanceOf(CryptoException.class);
    SigningPrivateKey other = TestKeys.signing("other");
    SignedManifest byOther = SignedManifest.sign(manifest(0, null, T0, other), other);
    assertThatThrownBy(() -> byOther.verify(PINNED)).isInstanceOf(CryptoException.class);
  }

  @Test
  void chain_verifiesAndReturnsTheLatest() throws CryptoException {
    List<SignedManifest> c = chain(4);
    assertThat(ManifestChain.verify(c, PINNED)).isEqualTo(c.get(3).manifest());
    assertThat(ManifestChain.verify(c.subList(0, 1), PINNED)).isEqualTo(c.get(0).manifest());
  }

  @Test
  void chain_failsOnGapWrongPreviousHashReorderingDuplicationOrMissingStart() {
    List<SignedManifest> c = chain(4);
    List<List<SignedManifest>> bad = List.of(
        List.of(),
        List.of(c.get(0), c.get(2), c.get(3)),
        List.of(c.get(1), c.get(2)),
        List.of(c.get(0), c.get(2), c.get(1), c.get(3)),
        List.of(c.get(0), c.get(1), c.get(1), c.get(2)),
        List.of(c.get(0), c.get(0)),
        List.of(c.get(3), c.get(2), c.get(1), c.get(0)));
    for (List<SignedManifest> b : bad) {
      assertThatThrownBy(() -> ManifestChain.verify(b, PINNED))
          .isInstanceOf(CryptoException.class);
    }
    SignedManifest wrongPrev = SignedManifest.sign(manifest(1, c.get(1).hash(), T0, ROOT),
        ROOT);
    assertThatThrownBy(() -> ManifestChain.verify(List.of(c.get(0), wrongPrev), PINNED))
        .isInstanceOf(CryptoException.class);
    SignedManifest backInTime = SignedManifest.sign(
        manifest(1, c.get(0).hash(), T0.minusSeconds(1), ROOT), ROOT);
    assertThatThrownBy(() -> ManifestChain.verify(List.of(c.get(0), backInTime), PINNED))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ManifestChain.verify(null, PINNED))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ManifestChain.verify(c, null)).isInstanceOf(CryptoException.class);
  }

  @Test
  void chain_failsWhenALinkIsSignedByAnotherRoot() {
    List<SignedManifest> c = chain(2);
    SigningPrivateKey other = TestKeys.signing("other");
    SignedManifest foreign = SignedManifest.sign(manifest(2, c.get(1).hash(), T0.plusSeconds(5),
        other), other);
    assertThatThrownBy(() -> ManifestChain.verify(List.of(c.get(0), c.get(1), foreign), PINNED))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ManifestChain.verify(List.of(foreign), PINNED))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void armored_roundTripsAChainAndRejectsDamage() throws CryptoException {
    List<SignedManifest> c = chain(3);
    String text = ManifestChain.toArmored(c);
    List<SignedManifest> parsed = SignedManifest.parseArmored(text.replace("\n", "\r\n"));
    assertThat(parsed).extracting(SignedManifest::hash)
        .containsExactlyElementsOf(c.stream().map(SignedManifest::hash).toList());
    assertThatThrownBy(() -> SignedManifest.parseArmored(text.replace(SignedManifest.END, "")))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedManifest.parseArmored("hello\n" + text))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedManifest.parseArmored("")).isInstanceOf(CryptoException.class);
    String[] lines = text.split("\n");
    lines[3] = "!" + lines[3].substring(1);
    assertThatThrownBy(() -> SignedManifest.parseArmored(String.join("\n", lines)))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void goldenChain_stillVerifiesAgainstThePinnedRoot() throws IOException, CryptoException {
    Map<String, String> root = resource("/golden/manifest-root-v1.txt").lines()
        .map(l -> l.split(": ")).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    Fingerprint pinned = Fingerprint.fromHex(root.get("root-fingerprint"));
    assertThat(Fingerprint.of("testigo-root-v1",
        HexFormat.of().parseHex(root.get("root-public-key")))).isEqualTo(pinned);
    List<SignedManifest> chain = SignedManifest.parseArmored(
        resource("/golden/manifest-chain-v1.txt"));
    assertThat(chain).hasSize(2);
    KeyManifest latest = ManifestChain.verify(chain, pinned);
    assertThat(latest.sequence()).isEqualTo(1);
    assertThat(latest.organisation()).isEqualTo("Casa del Migrante (prueba)");
    assertThat(latest.reviewers()).extracting(ReviewerEntry::alias)
        .containsExactlyInAnyOrder("maria", "jose", "ana");
    assertThat(chain.get(0).hash().hex()).isEqualTo(root.get("manifest-0-hash"));
    assertThat(chain.get(1).hash().hex()).isEqualTo(root.get("manifest-1-hash"));
  }

  @Test
  void goldenChain_isReproducedByteForByteFromItsInputs() throws IOException {
    List<SignedManifest> rebuilt = TestKeys.goldenChain();
    assertThat(ManifestChain.toArmored(rebuilt))
        .isEqualTo(resource("/golden/manifest-chain-v1.txt"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ManifestTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

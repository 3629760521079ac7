package org.testigo.crypto.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.fuzz.Refusals;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.identity.TorClientAuthKey;
import org.testigo.crypto.sign.SignatureDomain;

/**
 * Fuzz targets for the Tor client-auth field (issue 24): the reviewer's public bundle v2 and the
 * key manifest v2, as a custodian receives a bundle by mail and as the server and the auditors
 * read a manifest. Beyond "refuses or is canonical" (which {@code PublicKeyTextFuzzTest} and
 * {@link ManifestFuzzTest} check for every version), these check what the Tor field promises:
 * a bundle's Tor key is always signed by that bundle's signing key; a manifest is v2 exactly when
 * an entry carries a Tor key, without them it is byte for byte its v1 body; and the onion's
 * authorised clients derived from it are the distinct keys of the entries valid at that time.
 */
class TorClientAuthFuzzTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");

  /**
   * {@code ReviewerPublicBundle.fromBytes} refuses with a plain {@link IllegalArgumentException},
   * or the bundle is canonical, carries a Tor key exactly when its version byte is 2, that key is
   * signed by the bundle's own signing key under the {@code tor-client-auth-v1} domain, and it
   * passes unchanged through the text form and into a manifest entry.
   */
  @FuzzTest(maxDuration = "10m")
  void bundleV2_refusesOrBindsItsTorKeyToItsSigningKey(byte[] data) {
    ReviewerPublicBundle b;
    try {
      b = ReviewerPublicBundle.fromBytes(data);
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    assertThat(b.toBytes()).isEqualTo(data);
    boolean v2 = data[0] == ReviewerPublicBundle.VERSION_TOR;
    assertThat(b.tor().isPresent()).isEqualTo(v2);
    if (v2) {
      TorClientAuthKey tor = b.tor().orElseThrow();
      assertThat(b.signingKey().verify(SignatureDomain.TOR_CLIENT_AUTH, tor.toBytes(), b.torKeySignature()))
          .isTrue();
      assertThat(TorClientAuthKey.fromBase32(tor.base32())).isEqualTo(tor);
    }
    assertThat(ReviewerPublicBundle.parse(b.toText())).isEqualTo(b);
    ReviewerEntry entry = ReviewerEntry.of(b, ReviewerEntry.ROLE_REVIEWER, NOT_BEFORE, NOT_AFTER);
    assertThat(entry.torKey()).isEqualTo(b.tor().orElse(null));
    assertThat(entry.fingerprint()).isEqualTo(b.fingerprint());
  }

  /**
   * {@code SignedManifest.parse} refuses with {@link CryptoException}, or: the version byte is 2
   * exactly when an entry has a Tor key; no two entries share one; the body with every Tor key
   * removed is a v1 body ({@code has_tor} bytes and keys gone, nothing else changed); and at each
   * entry's validity bounds {@code torClientAuthKeys(t)} is exactly the keys of the entries valid
   * at {@code t}, each once.
   */
  @FuzzTest(maxDuration = "10m")
  void manifestV2_refusesOrDerivesExactlyTheValidEntriesTorKeys(byte[] data) {
    SignedManifest signed;
    try {
      signed = SignedManifest.parse(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(signed.encoded()).isEqualTo(data);
    KeyManifest m = signed.manifest();
    byte[] body = SignedManifest.encodeBody(m);
    boolean v2 = body[SignedManifest.MAGIC.length] == SignedManifest.VERSION_TOR;
    assertThat(m.hasTorClientAuthKeys()).isEqualTo(v2);
    List<TorClientAuthKey> keys = new ArrayList<>();
    List<ReviewerEntry> stripped = new ArrayList<>();
    List<Instant> bounds = new ArrayList<>();
    for (ReviewerEntry e : m.reviewers()) {
      if (e.torKey() != null) {
        keys.add(e.torKey());
      }
      stripped.add(e.withTorKey(null));
      bounds.add(e.notBefore().minusSeconds(1));
      bounds.add(e.notBefore());
      bounds.add(e.notAfter().minusSeconds(1));
      bounds.add(e.notAfter());
    }
    assertThat(keys).doesNotHaveDuplicates();
    if (v2) {
      KeyManifest v1 = new KeyManifest(m.sequence(), m.previousHash(), m.organisation(), m.rootKey(),
          m.logKey(), stripped, m.issuedAt());
      byte[] v1Body = SignedManifest.encodeBody(v1);
      assertThat(v1Body[SignedManifest.MAGIC.length]).isEqualTo((byte) SignedManifest.VERSION);
      assertThat(v1Body.length).isEqualTo(body.length - m.reviewers().size() - keys.size() * TorClientAuthKey.LENGTH);
      assertThat(new String(v1Body, 0, SignedManifest.MAGIC.length, StandardCharsets.US_ASCII)).isEqualTo("TSTGMAN");
    }
    for (Instant t : bounds) {
      List<TorClientAuthKey> derived = m.torClientAuthKeys(t);
      assertThat(derived).doesNotHaveDuplicates();
      Set<TorClientAuthKey> expected = new HashSet<>();
      for (ReviewerEntry e : m.reviewers()) {
        if (e.torKey() != null && !t.isBefore(e.notBefore()) && t.isBefore(e.notAfter())) {
          expected.add(e.torKey());
        }
      }
      assertThat(derived).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}

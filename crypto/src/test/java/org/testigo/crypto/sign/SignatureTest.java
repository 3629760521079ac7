package org.testigo.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;

class SignatureTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] MESSAGE = "a case event".getBytes(StandardCharsets.UTF_8);

  @Test
  void toBeSigned_isPrefixLabelAndMessageSeparatedByZeroBytes() {
    assertThat(SignatureDomain.MANIFEST.toBeSigned(new byte[] {1, 2}))
        .isEqualTo("testigo-sig-v1\0manifest-v1\0\u0001\u0002".getBytes(StandardCharsets.US_ASCII));
    assertThat(SignatureDomain.values()).extracting(SignatureDomain::label).containsExactly(
        "manifest-v1", "tree-head-v1", "case-event-v1", "http-request-v1", "challenge-v1",
        "shelter-attestation-v1", "tor-client-auth-v1", "erasure-v1");
  }

  @Test
  void signThenVerify_succeedsInTheSameDomain() throws CryptoException {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    for (SignatureDomain d : SignatureDomain.values()) {
      byte[] sig = key.sign(d, MESSAGE);
      assertThat(sig).hasSize(64);
      assertThat(key.publicKey().verify(d, MESSAGE, sig)).isTrue();
      key.publicKey().verifyOrThrow(d, MESSAGE, sig);
    }
  }

  @Test
  void verify_failsInEveryOtherDomain() {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    for (SignatureDomain signed : SignatureDomain.values()) {
      byte[] sig = key.sign(signed, MESSAGE);
      for (SignatureDomain other : SignatureDomain.values()) {
        assertThat(key.publicKey().verify(other, MESSAGE, sig)).isEqualTo(signed == other);
      }
    }
  }

  @Test
  void verify_failsForAnotherKeyOrModifiedMessage() {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    byte[] sig = key.sign(SignatureDomain.CASE_EVENT, MESSAGE);
    assertThat(SigningPrivateKey.generate(RANDOM).publicKey()
        .verify(SignatureDomain.CASE_EVENT, MESSAGE, sig)).isFalse();
    for (int i = 0; i < MESSAGE.length; i++) {
      byte[] m = MESSAGE.clone();
      m[i] ^= 1;
      assertThat(key.publicKey().verify(SignatureDomain.CASE_EVENT, m, sig)).isFalse();
    }
    assertThat(key.publicKey().verify(SignatureDomain.CASE_EVENT,
        "a case event!".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  @Test
  void verify_returnsFalseAndNeverThrowsOnMalformedInput() {
    SigningPublicKey pk = SigningPrivateKey.generate(RANDOM).publicKey();
    byte[] ff = new byte[64];
    java.util.Arrays.fill(ff, (byte) 0xff);
    for (byte[] sig : List.of(new byte[0], new byte[63], new byte[65], new byte[64], ff,
        new byte[128])) {
      assertThat(pk.verify(SignatureDomain.CHALLENGE, MESSAGE, sig)).isFalse();
    }
    assertThat(pk.verify(SignatureDomain.CHALLENGE, MESSAGE, null)).isFalse();
    assertThat(pk.verify(SignatureDomain.CHALLENGE, null, new byte[64])).isFalse();
    assertThat(pk.verify(null, MESSAGE, new byte[64])).isFalse();
    for (int i = 0; i < 500; i++) {
      byte[] sig = new byte[64];
      RANDOM.nextBytes(sig);
      assertThat(pk.verify(SignatureDomain.CHALLENGE, MESSAGE, sig)).isFalse();
    }
  }

  @Test
  void verify_rejectsNonCanonicalSWithSPlusGroupOrder() {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    byte[] sig = key.sign(SignatureDomain.TREE_HEAD, MESSAGE);
    // S' = S + L (little-endian), the classic malleability: must not verify.
    byte[] l = HEX.parseHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    byte[] s = sig.clone();
    int carry = 0;
    for (int i = 0; i < 32; i++) {
      int v = (s[32 + i] & 0xff) + (l[i] & 0xff) + carry;
      s[32 + i] = (byte) v;
      carry = v >>> 8;
    }
    assertThat(key.publicKey().verify(SignatureDomain.TREE_HEAD, MESSAGE, s)).isFalse();
  }

  @Test
  void verifyOrThrow_throwsGenericCryptoException() {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    byte[] sig = key.sign(SignatureDomain.HTTP_REQUEST, MESSAGE);
    assertThatThrownBy(() -> key.publicKey().verifyOrThrow(SignatureDomain.CHALLENGE, MESSAGE,
        sig)).isInstanceOf(CryptoException.class).hasMessage(CryptoException.GENERIC);
  }

  @Test
  void publicKeyFromBytes_rejectsWrongLengthAndInvalidPoints() {
    assertThatThrownBy(() -> SigningPublicKey.fromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningPublicKey.fromBytes(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    // The identity point (small order) and y = 2^255 - 1 (not a field element / not on curve).
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertThatThrownBy(() -> SigningPublicKey.fromBytes(identity))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] bad = new byte[32];
    java.util.Arrays.fill(bad, (byte) 0xff);
    bad[31] = 0x7f;
    assertThatThrownBy(() -> SigningPublicKey.fromBytes(bad))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publicKey_roundTripsAndHasDomainSeparatedFingerprint() {
    SigningPublicKey pk = SigningPrivateKey.generate(RANDOM).publicKey();
    assertThat(SigningPublicKey.fromBytes(pk.toBytes())).isEqualTo(pk);
    assertThat(pk.fingerprint()).isEqualTo(
        org.testigo.crypto.Fingerprint.of("testigo-signing-v1", pk.toBytes()));
  }

  @Test
  void privateKey_isDeterministicFromSeedAndRejectsWrongSeedLength() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    assertThat(SigningPrivateKey.fromSeed(seed).publicKey())
        .isEqualTo(SigningPrivateKey.fromSeed(seed).publicKey());
    assertThat(SigningPrivateKey.fromSeed(seed).sign(SignatureDomain.MANIFEST, MESSAGE))
        .isEqualTo(SigningPrivateKey.fromSeed(seed).sign(SignatureDomain.MANIFEST, MESSAGE));
    assertThatThrownBy(() -> SigningPrivateKey.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void privateKey_toStringNeverContainsTheSeed() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    SigningPrivateKey key = SigningPrivateKey.fromSeed(seed);
    String s = key.toString();
    assertThat(s).isEqualTo("SigningPrivateKey[REDACTED]");
    assertThat(s).doesNotContainIgnoringCase(HEX.formatHex(seed))
        .doesNotContain(Base64.getEncoder().encodeToString(seed));
  }

  @Test
  void destroyedPrivateKey_refusesToSign() {
    SigningPrivateKey key = SigningPrivateKey.generate(RANDOM);
    key.destroy();
    assertThatThrownBy(() -> key.sign(SignatureDomain.MANIFEST, MESSAGE))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void goldenDomainSignatures_stillMatch() throws IOException {
    int checked = 0;
    try (InputStream in = getClass().getResourceAsStream("/golden/signature-domain-v1.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split(" ");
        SignatureDomain domain = java.util.Arrays.stream(SignatureDomain.values())
            .filter(d -> d.label().equals(f[0])).findFirst().orElseThrow();
        byte[] message = f[2].equals("-") ? new byte[0] : HEX.parseHex(f[2]);
        SigningPrivateKey key = SigningPrivateKey.fromSeed(HEX.parseHex(f[1]));
        assertThat(HEX.formatHex(key.sign(domain, message))).isEqualTo(f[3]);
        assertThat(key.publicKey().verify(domain, message, HEX.parseHex(f[3]))).isTrue();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(2 * SignatureDomain.values().length);
  }
}

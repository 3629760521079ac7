package org.testigo.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.internal.Ed25519Raw;

/** RFC 8032 section 7.1, TEST 1 to TEST 3, against the raw (undomained) layer. */
class Ed25519Rfc8032Test {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        Arguments.of("TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        Arguments.of("TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void publicKeyAndSignature_matchRfc8032(String name, String sk, String pk, String msg,
      String sig) {
    byte[] seed = HEX.parseHex(sk);
    byte[] message = HEX.parseHex(msg);
    assertThat(HEX.formatHex(Ed25519Raw.publicKeyFromSeed(seed))).isEqualTo(pk);
    assertThat(HEX.formatHex(Ed25519Raw.sign(seed, message))).isEqualTo(sig);
    assertThat(Ed25519Raw.verify(HEX.parseHex(pk), message, HEX.parseHex(sig))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void verify_rejectsRfc8032SignatureWithAnyBitFlipped(String name, String sk, String pk,
      String msg, String sig) {
    byte[] signature = HEX.parseHex(sig);
    for (int i = 0; i < signature.length * 8; i++) {
      byte[] s = signature.clone();
      s[i / 8] ^= (byte) (1 << (i % 8));
      assertThat(Ed25519Raw.verify(HEX.parseHex(pk), HEX.parseHex(msg), s)).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void domainSeparatedSignature_isNotAValidRawSignature(String name, String sk, String pk,
      String msg, String sig) {
    SigningPrivateKey key = SigningPrivateKey.fromSeed(HEX.parseHex(sk));
    byte[] domained = key.sign(SignatureDomain.MANIFEST, HEX.parseHex(msg));
    assertThat(HEX.formatHex(domained)).isNotEqualTo(sig);
    assertThat(Ed25519Raw.verify(HEX.parseHex(pk), HEX.parseHex(msg), domained)).isFalse();
    assertThat(key.publicKey().verify(SignatureDomain.MANIFEST, HEX.parseHex(msg),
        HEX.parseHex(sig))).isFalse();
  }
}

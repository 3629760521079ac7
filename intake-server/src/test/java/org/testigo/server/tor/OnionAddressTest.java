package org.testigo.server.tor;

import org.testigo.crypto.Base32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OnionAddressTest {
  // Golden values: the expanded keys were computed with Python's hashlib from these seeds
  // and the ServiceID was returned by tor 0.4.9.11 for ADD_ONION ED25519-V3:<expanded>.
  static final String ADDRESS_OF_SEED_00_TO_1F = "aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead";
  static final String ADDRESS_OF_SEED_FF = "o2qvsiceu3spkejglpfhhjqe3efqkkor35qcxyykdgusk5ta2h2rwhid";

  static byte[] seed0to31() {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[i] = (byte) i;
    }
    return s;
  }

  @Test
  void address_matchesTheServiceIdTorComputedForTheSameSeed() {
    assertThat(OnionServiceKey.fromSeed(seed0to31()).address().serviceId())
        .isEqualTo(ADDRESS_OF_SEED_00_TO_1F);
    byte[] ff = new byte[32];
    Arrays.fill(ff, (byte) 0xff);
    assertThat(OnionServiceKey.fromSeed(ff).address().serviceId()).isEqualTo(ADDRESS_OF_SEED_FF);
  }

  @Test
  void parse_acceptsSuffixAndUppercase_andRoundTripsThePublicKey() {
    OnionAddress a = OnionAddress.parse(ADDRESS_OF_SEED_FF.toUpperCase() + ".onion");
    assertThat(a.serviceId()).isEqualTo(ADDRESS_OF_SEED_FF);
    assertThat(OnionAddress.fromPublicKey(a.publicKey())).isEqualTo(a);
    assertThat(a.hostname()).isEqualTo(ADDRESS_OF_SEED_FF + ".onion");
  }

  @Test
  void parse_rejectsABadChecksumVersionOrLength() {
    char[] c = ADDRESS_OF_SEED_FF.toCharArray();
    c[10] = c[10] == 'a' ? 'b' : 'a';
    assertThatThrownBy(() -> OnionAddress.parse(new String(c)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OnionAddress.parse(ADDRESS_OF_SEED_FF.substring(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OnionAddress.parse("facebookcorewwwi.onion"))
        .isInstanceOf(IllegalArgumentException.class);
    String wrongVersion = ADDRESS_OF_SEED_FF.substring(0, 55) + "a";
    assertThatThrownBy(() -> OnionAddress.parse(wrongVersion))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void base32_roundTripsAndRejectsNonCanonicalInput() {
    for (int n = 0; n < 40; n++) {
      byte[] b = new byte[n];
      Arrays.fill(b, (byte) (n * 7));
      assertThat(Base32.decode(Base32.encode(b))).isEqualTo(b);
    }
    assertThat(Base32.encode("foobar".getBytes())).isEqualTo("mzxw6ytboi");
    assertThatThrownBy(() -> Base32.decode("mzxw6ytboj")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base32.decode("mzx=")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void supportsAddOnionPow_fromTor0492On() {
    assertThat(OnionServices.supportsAddOnionPow("0.4.9.11")).isTrue();
    assertThat(OnionServices.supportsAddOnionPow("0.4.9.2-alpha")).isTrue();
    assertThat(OnionServices.supportsAddOnionPow("0.4.10.1")).isTrue();
    assertThat(OnionServices.supportsAddOnionPow("0.4.9.1-alpha")).isFalse();
    assertThat(OnionServices.supportsAddOnionPow("0.4.8.17")).isFalse();
    assertThat(OnionServices.supportsAddOnionPow("0.4.7.16")).isFalse();
    assertThat(OnionServices.supportsAddOnionPow(null)).isFalse();
    assertThat(OnionServices.supportsAddOnionPow("garbage")).isFalse();
  }

  @Test
  void clientAuthPublicKey_acceptsBareAndAuthFileForms_rejectsGarbageWithoutEchoingIt() {
    ClientAuthKeyPair pair = ClientAuthKeyPair.fromPrivateKey(seed0to31());
    String b32 = pair.publicKey().base32();
    assertThat(b32).hasSize(52).matches("[A-Z2-7]+");
    assertThat(ClientAuthPublicKey.parse(b32.toLowerCase())).isEqualTo(pair.publicKey());
    assertThat(ClientAuthPublicKey.parse(pair.publicKey().authFileLine())).isEqualTo(pair.publicKey());
    assertThatThrownBy(() -> ClientAuthPublicKey.parse("descriptor:x25519:SECRETGARBAGE"))
        .hasMessageNotContaining("SECRETGARBAGE");
    assertThat(pair.toString()).doesNotContain(pair.privateKeyBase32());
    assertThat(pair.controlPortPrivateKey()).startsWith("x25519:").hasSize(7 + 44);
    OnionAddress a = OnionAddress.parse(ADDRESS_OF_SEED_FF);
    assertThat(pair.clientAuthFileLine(a))
        .isEqualTo(ADDRESS_OF_SEED_FF + ":descriptor:x25519:" + pair.privateKeyBase32());
  }

  @Test
  void clientAuthKeyPair_publicKeyIsTheX25519PublicKeyOfThePrivateKey() {
    // RFC 7748 section 6.1: Alice's private and public key.
    byte[] alice = java.util.HexFormat.of().parseHex(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] alicePublic = java.util.HexFormat.of().parseHex(
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(ClientAuthKeyPair.fromPrivateKey(alice).publicKey())
        .isEqualTo(ClientAuthPublicKey.fromBytes(alicePublic));
  }
}

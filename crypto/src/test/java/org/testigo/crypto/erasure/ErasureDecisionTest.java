package org.testigo.crypto.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

class ErasureDecisionTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String golden(String name) throws IOException {
    try (InputStream in = ErasureDecisionTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void goldenDecisions_areRebuiltByteForByte_andParse() throws Exception {
    assertThat(GoldenErasureWriter.byPolicy().toArmored())
        .isEqualTo(golden("erasure-decision-v1-policy.txt"));
    assertThat(GoldenErasureWriter.early().toArmored())
        .isEqualTo(golden("erasure-decision-v1-early.txt"));
    ErasureDecision early = ErasureDecision.parseArmored(golden("erasure-decision-v1-early.txt"));
    assertThat(early.signers()).hasSize(2);
    assertThat(early.body().basis()).isEqualTo(ErasureDecision.Basis.EARLY);
    assertThat(early.body().policyDay()).isNull();
    assertThat(early.caseId()).isEqualTo(GoldenErasureWriter.CASE);
    assertThat(golden("erasure-decision-v1.facts.txt"))
        .contains("early-decision-sha256: " + HEX.formatHex(early.hash()))
        .contains("policy-decision-sha256: " + HEX.formatHex(GoldenErasureWriter.byPolicy().hash()));
  }

  @Test
  void layout_isAsSpecified() {
    ErasureDecision d = GoldenErasureWriter.early();
    byte[] e = d.encoded();
    assertThat(e).hasSize(73 + 32 * 3 + 96 * 2);
    assertThat(new String(e, 0, 7, StandardCharsets.US_ASCII)).isEqualTo("TSTGERA");
    assertThat(e[7]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(e, 8, 24)).isEqualTo(GoldenErasureWriter.CASE.toBytes());
    assertThat(e[24]).isEqualTo((byte) 3);
    assertThat(e[25]).isEqualTo((byte) 2);
    assertThat(Arrays.copyOfRange(e, 34, 38)).isEqualTo(new byte[4]);
    // objects ascending, then the signer count
    assertThat(HEX.formatHex(Arrays.copyOfRange(e, 72, 104)))
        .isEqualTo("0101010101010101010101010101010101010101010101010101010101010101");
    assertThat(e[72 + 96]).isEqualTo((byte) 2);
    // each signature covers the body in the erasure-v1 domain
    byte[] body = Arrays.copyOf(e, 72 + 96);
    int o = 72 + 96 + 1;
    for (int i = 0; i < 2; i++, o += 96) {
      assertThat(d.signers().get(i).verify(SignatureDomain.ERASURE, body,
          Arrays.copyOfRange(e, o + 32, o + 96))).isTrue();
      assertThat(d.signers().get(i).verify(SignatureDomain.CASE_EVENT, body,
          Arrays.copyOfRange(e, o + 32, o + 96))).isFalse();
    }
  }

  @Test
  void everyFlippedBit_isRefused() {
    byte[] e = GoldenErasureWriter.early().encoded();
    for (int i = 0; i < e.length * 8; i++) {
      byte[] t = e.clone();
      t[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> ErasureDecision.parse(t)).as("bit %d", i)
          .isInstanceOf(CryptoException.class);
    }
  }

  @Test
  void truncatedExtendedAndGarbage_areRefused() {
    byte[] e = GoldenErasureWriter.byPolicy().encoded();
    for (int n = 0; n < e.length; n++) {
      byte[] t = Arrays.copyOf(e, n);
      assertThatThrownBy(() -> ErasureDecision.parse(t)).isInstanceOf(CryptoException.class);
    }
    byte[] longer = Arrays.copyOf(e, e.length + 1);
    assertThatThrownBy(() -> ErasureDecision.parse(longer)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ErasureDecision.parse(null)).isInstanceOf(CryptoException.class);
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] g = new byte[r.nextInt(600)];
      r.nextBytes(g);
      assertThatThrownBy(() -> ErasureDecision.parse(g)).isInstanceOf(CryptoException.class);
    }
    for (String text : List.of("", "garbage", ErasureDecision.BEGIN + "\nAAAA\n" + ErasureDecision.END,
        GoldenErasureWriter.byPolicy().toArmored() + "x",
        GoldenErasureWriter.byPolicy().toArmored().replace(ErasureDecision.END, ""))) {
      assertThatThrownBy(() -> ErasureDecision.parseArmored(text))
          .isInstanceOf(CryptoException.class);
    }
  }

  @Test
  void signatureOfAnotherBody_orUnsortedSigners_isRefused() throws Exception {
    ErasureDecision a = GoldenErasureWriter.early();
    ErasureDecision b = GoldenErasureWriter.byPolicy();
    // b's body with a's first signature
    byte[] ae = a.encoded();
    byte[] be = b.encoded();
    int aBody = ae.length - 1 - 96 * 2;
    int bBody = be.length - 1 - 96;
    byte[] mixed = new byte[bBody + 1 + 96];
    System.arraycopy(be, 0, mixed, 0, bBody);
    mixed[bBody] = 1;
    System.arraycopy(ae, aBody + 1, mixed, bBody + 1, 96);
    assertThatThrownBy(() -> ErasureDecision.parse(mixed)).isInstanceOf(CryptoException.class);
    // the two signer entries swapped
    byte[] swapped = ae.clone();
    System.arraycopy(ae, aBody + 1, swapped, aBody + 1 + 96, 96);
    System.arraycopy(ae, aBody + 1 + 96, swapped, aBody + 1, 96);
    assertThatThrownBy(() -> ErasureDecision.parse(swapped)).isInstanceOf(CryptoException.class);
    // the same signer twice
    byte[] twice = ae.clone();
    System.arraycopy(ae, aBody + 1, twice, aBody + 1 + 96, 96);
    assertThatThrownBy(() -> ErasureDecision.parse(twice)).isInstanceOf(CryptoException.class);
  }

  @Test
  void cosign_addsInKeyOrder_andRefusesTheSameKeyTwice() throws Exception {
    SigningPrivateKey jose = TestKeys.identity("jose").signingKey();
    SigningPrivateKey maria = TestKeys.identity("maria").signingKey();
    ErasureDecision.Body body = GoldenErasureWriter.early().body();
    ErasureDecision one = ErasureDecision.sign(body, jose).cosign(maria);
    ErasureDecision other = ErasureDecision.sign(body, maria).cosign(jose);
    assertThat(one.encoded()).isEqualTo(other.encoded());
    assertThat(ErasureDecision.parse(one.encoded())).isEqualTo(one);
    assertThatThrownBy(() -> one.cosign(jose)).isInstanceOf(IllegalArgumentException.class);
    ErasureDecision many = ErasureDecision.sign(body, TestKeys.signing("s0"));
    for (int i = 1; i < ErasureDecision.MAX_SIGNERS; i++) {
      many = many.cosign(TestKeys.signing("s" + i));
    }
    assertThat(ErasureDecision.parse(many.encoded()).signers()).hasSize(8);
    ErasureDecision full = many;
    assertThatThrownBy(() -> full.cosign(TestKeys.signing("s9")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void body_refusesInconsistentFields() {
    ErasureDecision.Body b = GoldenErasureWriter.byPolicy().body();
    List<byte[]> objects = GoldenErasureWriter.objects();
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(),
        ErasureDecision.Basis.POLICY, b.decidedAt(), null, b.recordEvent(), objects))
        .hasMessageContaining("policy");
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(),
        ErasureDecision.Basis.EARLY, b.decidedAt(), LocalDate.parse("2026-01-01"), b.recordEvent(),
        objects)).hasMessageContaining("early");
    List<byte[]> dup = new ArrayList<>(objects);
    dup.add(objects.get(0).clone());
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(), b.basis(),
        b.decidedAt(), b.policyDay(), b.recordEvent(), dup)).hasMessageContaining("twice");
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(), b.basis(),
        b.decidedAt(), b.policyDay(), b.recordEvent(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(), b.basis(),
        b.decidedAt(), b.policyDay(), b.recordEvent(), List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(), b.basis(),
        Instant.ofEpochSecond(-1), b.policyDay(), b.recordEvent(), objects))
        .isInstanceOf(IllegalArgumentException.class);
    List<byte[]> tooMany = new ArrayList<>();
    for (int i = 0; i <= ErasureDecision.MAX_OBJECTS; i++) {
      byte[] h = new byte[32];
      h[0] = (byte) (i >> 8);
      h[1] = (byte) i;
      tooMany.add(h);
    }
    assertThatThrownBy(() -> new ErasureDecision.Body(b.caseId(), b.reason(), b.basis(),
        b.decidedAt(), b.policyDay(), b.recordEvent(), tooMany))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ErasureDecision.Reason.ofLabel("source-request"))
        .isEqualTo(ErasureDecision.Reason.SOURCE_REQUEST);
    assertThatThrownBy(() -> ErasureDecision.Reason.ofLabel("because")).hasMessageContaining("one of");
  }

  @Test
  void maximalDecision_roundTrips() throws Exception {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < ErasureDecision.MAX_OBJECTS; i++) {
      byte[] h = new byte[32];
      h[0] = (byte) (i >> 8);
      h[1] = (byte) i;
      all.add(h);
    }
    ErasureDecision.Body b = GoldenErasureWriter.byPolicy().body();
    ErasureDecision d = ErasureDecision.sign(new ErasureDecision.Body(b.caseId(), b.reason(),
        b.basis(), b.decidedAt(), b.policyDay(), b.recordEvent(), all), TestKeys.signing("x"));
    assertThat(ErasureDecision.parse(d.encoded())).isEqualTo(d);
    assertThat(ErasureDecision.parseArmored(d.toArmored())).isEqualTo(d);
  }

  @Test
  void erasureLeaf_isType7() throws Exception {
    ErasureDecision d = GoldenErasureWriter.byPolicy();
    LogLeaf leaf = LogLeaf.of(LogLeaf.EntryType.ERASURE, Instant.parse("2026-12-20T10:00:00Z"),
        d.hash());
    byte[] enc = leaf.encoded();
    assertThat(enc[1]).isEqualTo((byte) 7);
    assertThat(LogLeaf.parse(enc).type()).isEqualTo(LogLeaf.EntryType.ERASURE);
  }
}

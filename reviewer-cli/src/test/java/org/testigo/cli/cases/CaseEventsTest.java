package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;

class CaseEventsTest {
  private static final CaseId CASE = CaseId.fromHex("11111111222222223333333344444444");
  private static final Instant MARCH = Instant.parse("2026-03-03T10:00:00Z");
  private static final List<SignedManifest> CHAIN = TestKeys.goldenChain();
  private static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  private static final ReviewerIdentity JOSE = TestKeys.identity("jose");
  private static final ReviewerIdentity LUIS = TestKeys.identity("luis");
  private static final ReviewerIdentity ANA = TestKeys.identity("ana");

  private static CaseEventVerifier verifier() throws CryptoException {
    return CaseEventVerifier.of(CHAIN, CHAIN.get(0).manifest().rootFingerprint());
  }

  private static KeyManifest latest() {
    return CHAIN.get(1).manifest();
  }

  private static CaseEvents at(Instant t) {
    return new CaseEvents(Clock.fixed(t, ZoneOffset.UTC), new SecureRandom());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = CaseEventsTest.class.getResourceAsStream(
        "/golden/case-event-v1/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void golden_keepsVerifyingAndOpening() throws Exception {
    SignedCaseEvent e = SignedCaseEvent.parse(resource("event.bin"));
    byte[] sealed = resource("content.envelope");
    assertThat(e.eventId().hex() + "\n")
        .isEqualTo(new String(resource("event-id.txt"), StandardCharsets.US_ASCII));
    CaseAction expected = CaseContent.parse(resource("content.json"));
    for (ReviewerIdentity reader : List.of(MARIA, JOSE)) {
      OpenedCaseEvent o = at(MARCH).open(e, sealed, verifier(), reader);
      assertThat(o.authorAlias()).isEqualTo("maria");
      assertThat(o.action()).isEqualTo(expected);
    }
    assertThat(Envelope.open(sealed, MARIA.encryptionKey(), Envelope.CONTEXT_CASE_EVENT))
        .isEqualTo(resource("content.json"));
    CaseState s = CaseReplay.replay(e.caseId(), LocalDate.parse("2026-03-01"),
        List.of(at(MARCH).open(e, sealed, verifier(), JOSE)));
    assertThat(s.status()).isEqualTo(Status.REFERRED);
  }

  @Test
  void buildThenOpen_roundTripsForEveryCurrentReviewer() throws Exception {
    CaseEvents.Built b = at(MARCH).build(JOSE, latest(), CASE, List.of(),
        new CaseAction.Note("Revisar video del retén."));
    assertThat(b.event().lamport()).isEqualTo(1);
    assertThat(b.event().parents()).isEmpty();
    assertThat(b.event().createdAt()).isEqualTo(MARCH);
    assertThat(b.event().author()).isEqualTo(JOSE.signingKey().publicKey());
    assertThat(b.event().matchesContent(b.sealedContent())).isTrue();
    assertThat(Envelope.inspect(new java.io.ByteArrayInputStream(b.sealedContent()),
        java.io.OutputStream.nullOutputStream()).context()).isEqualTo("case-event");
    for (ReviewerIdentity reader : List.of(MARIA, JOSE)) {
      OpenedCaseEvent o = at(MARCH).open(b.event(), b.sealedContent(), verifier(), reader);
      assertThat(o.action()).isEqualTo(new CaseAction.Note("Revisar video del retén."));
      assertThat(o.authorAlias()).isEqualTo("jose");
    }
  }

  @Test
  void build_takesParentsFromTheHeadsAndLamportAfterTheHighest() throws Exception {
    CaseEvents.Built first = at(MARCH).build(MARIA, latest(), CASE, List.of(),
        new CaseAction.Acknowledge());
    CaseEvents.Built a = at(MARCH).build(MARIA, latest(), CASE, List.of(first.event()),
        new CaseAction.Assign("maria"));
    CaseEvents.Built b = at(MARCH).build(JOSE, latest(), CASE, List.of(first.event()),
        new CaseAction.Assign("jose"));
    CaseEvents.Built other = at(MARCH).build(JOSE, latest(),
        CaseId.fromHex("99999999999999999999999999999999"), List.of(), new CaseAction.Acknowledge());
    CaseEvents.Built merge = at(MARCH).build(MARIA, latest(), CASE,
        List.of(first.event(), a.event(), b.event(), other.event()),
        new CaseAction.SetPriority(Priority.HIGH));
    assertThat(a.event().parents()).containsExactly(first.event().eventId());
    assertThat(merge.event().lamport()).isEqualTo(3);
    assertThat(merge.event().parents())
        .containsExactlyInAnyOrder(a.event().eventId(), b.event().eventId());
  }

  @Test
  void build_keepsTheSixteenLatestHeadsWhenThereAreMore() {
    List<SignedCaseEvent> known = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      known.add(at(MARCH.plusSeconds(i)).build(MARIA, latest(), CASE, List.of(),
          new CaseAction.Note("n" + i)).event());
    }
    SignedCaseEvent e = at(MARCH).build(JOSE, latest(), CASE, known,
        new CaseAction.Acknowledge()).event();
    assertThat(e.parents()).hasSize(16);
    assertThat(e.lamport()).isEqualTo(2);
  }

  @Test
  void build_refusesAnAuthorWhoIsNotACurrentReviewer() {
    assertThatThrownBy(() -> at(MARCH).build(LUIS, latest(), CASE, List.of(),
        new CaseAction.Acknowledge())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> at(MARCH).build(ANA, latest(), CASE, List.of(),
        new CaseAction.Acknowledge())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> at(Instant.parse("2027-02-01T00:00:00Z")).build(MARIA, latest(),
        CASE, List.of(), new CaseAction.Acknowledge())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void verifier_acceptsAuthorsOnlyWhileTheManifestInForceListsThem() throws Exception {
    CaseEventVerifier v = verifier();
    KeyManifest m0 = CHAIN.get(0).manifest();
    // luis was a reviewer under manifest 0 (until 2026-02-01T12:00Z), removed in manifest 1.
    SignedCaseEvent luisJanuary = at(Instant.parse("2026-01-20T00:00:00Z"))
        .build(LUIS, m0, CASE, List.of(), new CaseAction.Acknowledge()).event();
    assertThat(v.verify(luisJanuary).alias()).isEqualTo("luis");
    SignedCaseEvent luisMarch = SignedCaseEvent.sign(LUIS.signingKey(), CASE, 1, List.of(),
        MARCH, new byte[1]);
    assertThatThrownBy(() -> v.verify(luisMarch)).isInstanceOf(CryptoException.class);
    // jose joined in manifest 1: his key means nothing before it was issued.
    SignedCaseEvent joseJanuary = SignedCaseEvent.sign(JOSE.signingKey(), CASE, 1, List.of(),
        Instant.parse("2026-01-20T00:00:00Z"), new byte[1]);
    assertThatThrownBy(() -> v.verify(joseJanuary)).isInstanceOf(CryptoException.class);
    // before any manifest, and auditors, and unknown keys: refused.
    SignedCaseEvent early = SignedCaseEvent.sign(MARIA.signingKey(), CASE, 1, List.of(),
        Instant.parse("2025-12-01T00:00:00Z"), new byte[1]);
    assertThatThrownBy(() -> v.verify(early)).isInstanceOf(CryptoException.class);
    SignedCaseEvent auditor = SignedCaseEvent.sign(ANA.signingKey(), CASE, 1, List.of(), MARCH,
        new byte[1]);
    assertThatThrownBy(() -> v.verify(auditor)).isInstanceOf(CryptoException.class);
    SignedCaseEvent stranger = SignedCaseEvent.sign(TestKeys.signing("stranger"), CASE, 1,
        List.of(), MARCH, new byte[1]);
    assertThatThrownBy(() -> v.verify(stranger)).isInstanceOf(CryptoException.class);
  }

  @Test
  void verifier_refusesBadSignaturesAndClaimedTimesFarFromTheServers() throws Exception {
    SignedCaseEvent good = SignedCaseEvent.sign(MARIA.signingKey(), CASE, 1, List.of(), MARCH,
        new byte[1]);
    byte[] sig = good.signature();
    sig[10] ^= 4;
    SignedCaseEvent forged = SignedCaseEvent.create(CASE, good.author(), 1, List.of(), MARCH,
        good.contentSha256(), sig);
    CaseEventVerifier v = verifier();
    assertThat(v.verify(good).alias()).isEqualTo("maria");
    assertThatThrownBy(() -> v.verify(forged)).isInstanceOf(CryptoException.class);
    assertThat(v.verify(good, MARCH.plusSeconds(300), Duration.ofMinutes(10)).alias())
        .isEqualTo("maria");
    assertThatThrownBy(() -> v.verify(good, MARCH.plus(Duration.ofDays(40)),
        Duration.ofMinutes(10))).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> CaseEventVerifier.of(CHAIN,
        TestKeys.signing("not-root").publicKey().fingerprint()))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void open_refusesAnEnvelopeThatIsNotTheSignedOneAndFlagsUnreadableContent() throws Exception {
    CaseEvents.Built b = at(MARCH).build(MARIA, latest(), CASE, List.of(),
        new CaseAction.Close(Outcome.WITHDRAWN));
    CaseEvents.Built other = at(MARCH).build(MARIA, latest(), CASE, List.of(),
        new CaseAction.Close(Outcome.SUBSTANTIATED));
    assertThatThrownBy(() -> at(MARCH).open(b.event(), other.sealedContent(), verifier(), MARIA))
        .isInstanceOf(CryptoException.class);
    byte[] flipped = b.sealedContent();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> at(MARCH).open(b.event(), flipped, verifier(), MARIA))
        .isInstanceOf(CryptoException.class);
    OpenedCaseEvent notRecipient = at(MARCH).open(b.event(), b.sealedContent(), verifier(), LUIS);
    assertThat(notRecipient.readable()).isFalse();
    assertThat(notRecipient.authorAlias()).isEqualTo("maria");
  }

  @Test
  void twoReviewersBuildingConcurrently_endInOneStateWhateverTheArrivalOrder() throws Exception {
    CaseEvents.Built ack = at(MARCH).build(MARIA, latest(), CASE, List.of(),
        new CaseAction.Acknowledge());
    CaseEvents.Built close = at(MARCH.plusSeconds(60)).build(MARIA, latest(), CASE,
        List.of(ack.event()), new CaseAction.Close(Outcome.DUPLICATE));
    CaseEvents.Built label = at(MARCH.plusSeconds(61)).build(JOSE, latest(), CASE,
        List.of(ack.event()), new CaseAction.Label("inm", true));
    List<CaseEvents.Built> built = List.of(ack, close, label);
    List<OpenedCaseEvent> opened = new ArrayList<>();
    for (CaseEvents.Built x : built) {
      opened.add(at(MARCH).open(x.event(), x.sealedContent(), verifier(), JOSE));
    }
    CaseState forward = CaseReplay.replay(CASE, LocalDate.parse("2026-03-02"), opened);
    CaseState backward = CaseReplay.replay(CASE, LocalDate.parse("2026-03-02"),
        List.of(opened.get(2), opened.get(1), opened.get(0)));
    assertThat(forward).isEqualTo(backward);
    assertThat(forward.status()).isEqualTo(Status.CLOSED);
  }
}

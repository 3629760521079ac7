package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.SignedManifest;

/** The committed kept-reply golden (docs/spec/case-events.md §3.1) keeps verifying, opening and showing. */
class GoldenReplyTest {
  private static final List<SignedManifest> CHAIN = TestKeys.goldenChain();
  private static final Instant READ_AT = Instant.parse("2026-03-06T00:00:00Z");

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = GoldenReplyTest.class.getResourceAsStream("/golden/case-event-v1-reply/" + name)) {
      return in.readAllBytes();
    }
  }

  private static List<OpenedCaseEvent> open(ReviewerIdentity reader) throws Exception {
    CaseEventVerifier verifier = CaseEventVerifier.of(CHAIN, CHAIN.get(0).manifest().rootFingerprint());
    List<OpenedCaseEvent> out = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      SignedCaseEvent e = SignedCaseEvent.parse(resource("event-" + i + ".bin"));
      assertThat(e.eventId().hex() + "\n").isEqualTo(new String(resource("event-" + i + "-id.txt"),
          StandardCharsets.US_ASCII));
      byte[] sealed = resource("content-" + i + ".envelope");
      assertThat(Envelope.open(sealed, reader.encryptionKey(), Envelope.CONTEXT_CASE_EVENT))
          .isEqualTo(resource("content-" + i + ".json"));
      OpenedCaseEvent o = new CaseEvents(java.time.Clock.fixed(READ_AT, java.time.ZoneOffset.UTC),
          new java.security.SecureRandom()).open(e, sealed, verifier, reader);
      assertThat(o.action()).isEqualTo(CaseContent.parse(resource("content-" + i + ".json")));
      assertThat(CaseContent.encode(o.action())).isEqualTo(resource("content-" + i + ".json"));
      out.add(o);
    }
    return out;
  }

  @Test
  void golden_bothFormsVerifyOpenAndReplayForEveryReviewer_andTheTeamSeesTheKeptText() throws Exception {
    for (ReviewerIdentity reader : List.of(TestKeys.identity("maria"), TestKeys.identity("jose"))) {
      List<OpenedCaseEvent> ev = open(reader);
      CaseState s = CaseReplay.replay(ev.get(0).event().caseId(), LocalDate.parse("2026-03-02"), ev);
      assertThat(s.history()).allMatch(CaseState.HistoryEntry::applied);
      assertThat(s.replies()).hasSize(2);
      assertThat(s.replies().get(0).author()).isEqualTo("maria");
      assertThat(s.replies().get(0).action().kept()).isFalse();
      assertThat(s.replies().get(1).author()).isEqualTo("jose");
      assertThat(s.replies().get(1).action().language()).isEqualTo("es");
      assertThat(s.firstFeedbackAt()).isEqualTo(Instant.parse("2026-03-04T10:00:00Z"));
      String es = new CaseText("es").history(s.caseId().hex(), "2026-03-02", s, 0);
      assertThat(es).contains("respuesta a la fuente (texto no guardado: enviada antes de la versión 0.1.0)")
          .contains("jose").contains("respuesta a la fuente, en español")
          .contains("    Recibimos su denuncia. La canalizamos a la fiscalía de Chiapas.\n    Gracias por su valor.");
      String en = new CaseText("en").history(s.caseId().hex(), "2026-03-02", s, 0);
      assertThat(en).contains("reply to the source (text not kept, sent before version 0.1.0)")
          .contains("reply to the source, in Spanish");
    }
  }

  @Test
  void golden_contentWithATamperedTextNoLongerMatchesTheSignedHash() throws Exception {
    SignedCaseEvent e = SignedCaseEvent.parse(resource("event-2.bin"));
    byte[] sealed = resource("content-2.envelope");
    sealed[sealed.length - 20] ^= 1;
    assertThat(e.matchesContent(sealed)).isFalse();
    CaseEventVerifier verifier = CaseEventVerifier.of(CHAIN, CHAIN.get(0).manifest().rootFingerprint());
    assertThatThrownBy(() -> new CaseEvents(java.time.Clock.fixed(READ_AT, java.time.ZoneOffset.UTC),
        new java.security.SecureRandom()).open(e, sealed, verifier, TestKeys.identity("jose")))
        .isInstanceOf(CryptoException.class);
  }
}

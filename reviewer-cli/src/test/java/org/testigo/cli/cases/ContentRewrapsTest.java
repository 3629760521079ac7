package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * A note sealed in January (manifest 0: maria, luis) becomes readable to jose (added in
 * manifest 1) through maria's content rewrap in March, and only through a rewrap that keeps
 * the rules: an author who could open the original, the original's context and salt, and a
 * header sealed to exactly the reviewers in force.
 */
class ContentRewrapsTest {
  private static final CaseId CASE = CaseId.fromHex("11111111222222223333333344444444");
  private static final Instant JANUARY = Instant.parse("2026-01-10T10:00:00Z");
  private static final Instant MARCH = Instant.parse("2026-03-03T10:00:00Z");
  private static final List<SignedManifest> CHAIN = TestKeys.goldenChain();
  private static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  private static final ReviewerIdentity JOSE = TestKeys.identity("jose");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static CaseEvents at(Instant t) {
    return new CaseEvents(Clock.fixed(t, ZoneOffset.UTC), RANDOM);
  }

  private static CaseEventVerifier verifier() throws Exception {
    return CaseEventVerifier.of(CHAIN, CHAIN.get(0).manifest().rootFingerprint());
  }

  private static KeyManifest m0() {
    return CHAIN.get(0).manifest();
  }

  private static KeyManifest m1() {
    return CHAIN.get(1).manifest();
  }

  /** Jose's view of the January note and one rewrap event; how many events the rewrap opened. */
  private static int joseOpens(CaseEvents.Built note, CaseEvents.Built rewrap, List<OpenedCaseEvent> out) throws Exception {
    CaseEventVerifier v = verifier();
    out.add(at(MARCH).open(note.event(), note.sealedContent(), v, JOSE));
    out.add(at(MARCH).open(rewrap.event(), rewrap.sealedContent(), v, JOSE));
    Map<EventId, byte[]> contents = new HashMap<>();
    contents.put(note.event().eventId(), note.sealedContent());
    return ContentRewraps.apply(out, contents, v, JOSE);
  }

  private static CaseEvents.Built note() {
    return at(JANUARY).build(MARIA, m0(), CASE, List.of(), new CaseAction.Note("Nota de enero: llamar a la fiscalía."));
  }

  private static CaseEvents.Built rewrap(ReviewerIdentity author, CaseEvents.Built note, byte[] header) {
    return at(MARCH).build(author, m1(), CASE, List.of(note.event()),
        new CaseAction.ContentRewrap(note.event().eventId(), header));
  }

  private static byte[] header(CaseEvents.Built note, List<org.testigo.crypto.key.RecipientPublicKey> to) throws Exception {
    return Envelope.rewrapHeader(new ByteArrayInputStream(note.sealedContent()), MARIA.encryptionKey(),
        Envelope.CONTEXT_CASE_EVENT, to, RANDOM);
  }

  @Test
  void rewrap_letsAReviewerAddedLaterReadAnEarlierNote() throws Exception {
    CaseEvents.Built note = note();
    CaseEvents.Built rw = rewrap(MARIA, note, header(note, m1().recipients(MARCH)));
    List<OpenedCaseEvent> opened = new ArrayList<>();
    assertThat(at(MARCH).open(note.event(), note.sealedContent(), verifier(), JOSE).action()).isNull();
    assertThat(joseOpens(note, rw, opened)).isEqualTo(1);
    assertThat(opened.get(0).action()).isEqualTo(new CaseAction.Note("Nota de enero: llamar a la fiscalía."));
    assertThat(opened.get(0).authorAlias()).isEqualTo("maria");
    CaseState s = CaseReplay.replay(CASE, LocalDate.parse("2026-01-02"), opened);
    assertThat(s.notes()).hasSize(1);
    assertThat(s.history()).extracting(CaseState.HistoryEntry::flag).containsOnly(CaseState.Flag.APPLIED);
    // The signed event is unchanged: the content hash still names the original bytes.
    assertThat(note.event().matchesContent(note.sealedContent())).isTrue();
  }

  @Test
  void rewrap_isIgnoredWhenItBreaksARule() throws Exception {
    CaseEvents.Built note = note();
    byte[] good = header(note, m1().recipients(MARCH));
    // another envelope's header: same recipients, other salt
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(new byte[10]), other, m1().recipients(MARCH), Envelope.CONTEXT_CASE_EVENT, RANDOM);
    byte[] otherHeader = ContentRewraps.headerOf(other.toByteArray());
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    List<CaseEvents.Built> bad = List.of(
        rewrap(JOSE, note, good), // jose could not open the original: not his to rewrap
        rewrap(MARIA, note, otherHeader), // not a header for this payload
        rewrap(MARIA, note, header(note, List.of(MARIA.encryptionKey().publicKey()))), // not the whole team
        rewrap(MARIA, note, truncated),
        rewrap(MARIA, note, new byte[] {1, 2, 3}));
    for (CaseEvents.Built rw : bad) {
      List<OpenedCaseEvent> opened = new ArrayList<>();
      assertThat(joseOpens(note, rw, opened)).isZero();
      assertThat(opened.get(0).action()).isNull();
    }
    // A rewrap naming another event opens nothing either.
    CaseEvents.Built second = at(JANUARY).build(MARIA, m0(), CASE, List.of(note.event()), new CaseAction.Acknowledge());
    CaseEvents.Built elsewhere = at(MARCH).build(MARIA, m1(), CASE, List.of(second.event()),
        new CaseAction.ContentRewrap(second.event().eventId(), header(note, m1().recipients(MARCH))));
    List<OpenedCaseEvent> opened = new ArrayList<>();
    assertThat(joseOpens(note, elsewhere, opened)).isZero();
  }

  @Test
  void contentRewrap_roundTripsAndRefusesNonCanonicalHeaders() throws Exception {
    CaseAction.ContentRewrap r = new CaseAction.ContentRewrap(EventId.fromHex("ab".repeat(32)), new byte[] {1, 2, 3, 4});
    assertThat(CaseContent.parse(CaseContent.encode(r))).isEqualTo(r);
    assertThat(new String(CaseContent.encode(r), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\"AQIDBA==\"}");
    for (String bad : List.of(
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\"AQIDBA\"}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\"AQID BA==\"}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\"\"}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "AB".repeat(32) + "\",\"header\":\"AQIDBA==\"}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"header\":\"AQIDBA==\"}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\"AQIDBA==\",\"x\":1}",
        "{\"v\":1,\"type\":\"content_rewrap\",\"event\":\"" + "ab".repeat(32) + "\",\"header\":\""
            + "A".repeat(102_672) + "\"}")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseContent.parse(bad))
          .isInstanceOf(CaseContent.InvalidContentException.class);
    }
  }
}

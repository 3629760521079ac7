package org.testigo.shelter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Known answers for the formats the shelter writes: the payload container v1 (the shared
 * same expected bytes as the intake server's PayloadContainerTest) and questionnaire v1
 * JSON with the consent record.
 */
class PayloadWriterTest {
  @Test
  void writer_producesTheSameBytesAsTheServerForASmallPayload() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    w.writePart(new PartHeader("message", null, "text/plain"), "hola".getBytes(StandardCharsets.UTF_8));
    w.finish();
    // Expected bytes exactly as intake-server PayloadContainerTest
    // .writer_producesTheSpecifiedBytesForASmallPayload builds them.
    String header = "{\"name\":\"message\",\"type\":\"text/plain\"}";
    String expected = HexFormat.of().formatHex("TGPAYLD1".getBytes(StandardCharsets.US_ASCII))
        + "01" + String.format("%04x", header.length())
        + HexFormat.of().formatHex(header.getBytes(StandardCharsets.US_ASCII))
        + "00000004" + HexFormat.of().formatHex("hola".getBytes(StandardCharsets.US_ASCII))
        + "00000000" + "00";
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(expected);
  }

  @Test
  void writer_fileHeaderHasNameFilenameTypeInOrder_andChunksAt64KiB() throws Exception {
    byte[] file = new byte[2 * 65536 + 3];
    new Random(7).nextBytes(file);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    try (OutputStream part = w.beginPart(new PartHeader("file", "retén \"1\".jpg", "image/jpeg"))) {
      part.write(file);
    }
    w.finish();
    byte[] b = out.toByteArray();
    String header = "{\"name\":\"file\",\"filename\":\"retén \\\"1\\\".jpg\",\"type\":\"image/jpeg\"}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    assertThat(HexFormat.of().formatHex(b, 8, 11 + h.length))
        .isEqualTo("01" + String.format("%04x", h.length) + HexFormat.of().formatHex(h));
    int o = 11 + h.length;
    assertThat(HexFormat.of().formatHex(b, o, o + 4)).isEqualTo("00010000");
    List<TestPayload.Part> parts = TestPayload.parts(b);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).body()).isEqualTo(file);
    assertThat(b.length).isEqualTo(8 + 3 + h.length + 3 * 4 + file.length + 4 + 1);
  }

  @Test
  void questionnaireJson_hasTheV1KeyOrderWithConsentLast() {
    Answers a = new Answers();
    a.what = List.of("extortion", "extortion", "robbery");
    a.who = List.of("inm");
    a.state = "OAX";
    a.placeKind = "train";
    a.date = "2026-05-30";
    a.count = 3;
    a.minors = "yes";
    a.minorsCount = 1;
    a.narrative = "Nos pidieron dinero.\r\nDos veces.";
    a.wants = List.of("reply");
    a.validate(LocalDate.of(2026, 11, 28));
    String json = new String(a.toJson(Lang.ES, new Consent.Record(true, "es", 1, "ab")),
        StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\","
        + "\"robbery\"],\"whatOther\":\"\",\"who\":[\"inm\"],\"whoOther\":\"\",\"identifying\":"
        + "{\"uniform\":\"\",\"badge\":\"\",\"plates\":\"\",\"unit\":\"\"},\"where\":{\"state\":"
        + "\"OAX\",\"place\":\"\",\"placeKind\":\"train\"},\"when\":{\"date\":\"2026-05-30\","
        + "\"approximate\":\"\"},\"victims\":{\"count\":3,\"minors\":\"yes\",\"minorsCount\":1},"
        + "\"narrative\":\"Nos pidieron dinero.\\nDos veces.\",\"wants\":[\"reply\"],"
        + "\"consent\":{\"given\":true,\"language\":\"es\",\"statementVersion\":1,"
        + "\"statementSha256\":\"ab\"}}");
  }

  /**
   * What a shelter seals is a report the reviewer tool reads: the writer's questionnaire with
   * its real consent record passes the reviewer's questionnaire v1 check (an outside attack found
   * every shelter-filed report listed as "not a valid report").
   */
  @Test
  void questionnaireJson_withTheRealConsentRecord_passesTheReviewersCheck() throws Exception {
    Answers a = new Answers();
    a.what = List.of("extortion");
    a.who = List.of("inm");
    a.state = "OAX";
    a.placeKind = "train";
    a.count = 2;
    a.narrative = "Nos pidieron dinero.";
    a.wants = List.of("reply");
    a.validate(LocalDate.of(2026, 11, 28));
    for (Lang lang : Lang.values()) {
      byte[] json = a.toJson(lang, new Consent.Record(true, lang.code,
          Integer.parseInt(lang.text("consent.version")), Consent.statementHash(lang)));
      assertThat(org.testigo.api.questionnaire.QuestionnaireCheck.questionnaire(
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), LocalDate.of(2026, 11, 29)))
          .as(lang.code).isEmpty();
    }
  }

  /**
   * Consent statement v1 is pinned: changing a statement's text must come with a new
   * consent.version (and new hashes here and in docs/spec/shelter-outbox.md). Hashes computed
   * independently (Python hashlib over the UTF-8 text in the properties files).
   */
  @Test
  void consentStatementV1_hashesArePinnedPerLanguage() {
    assertThat(Consent.statementHash(Lang.ES))
        .isEqualTo("e77e38af9366050e0753efcaeff71ed57fa8763cdbd3fc20eac9f73f325573b2");
    assertThat(Consent.statementHash(Lang.EN))
        .isEqualTo("37288aeb777e8406f846ebc6b3498e95bb0937b98b7a6374bcd65ef680b729c0");
    assertThat(Consent.statementHash(Lang.FR))
        .isEqualTo("a0de798dea0d9cae2d28553dd9c7c0542990edbd28f98f1e3376cb2caa519741");
    assertThat(Consent.statementHash(Lang.HT))
        .isEqualTo("ef35ff11e455226abb7a6770cc591281cb8ee2a477ef9758ed7f855257d0e6d7");
    assertThat(Consent.statementHash(Lang.PT))
        .isEqualTo("bc40014d51e1946ae5714dd0c5e62bd38b9c3d3d9c7837b23209f6e32f762b09");
    for (Lang l : Lang.values()) {
      assertThat(l.text("consent.version")).isEqualTo("1");
    }
  }

  @Test
  void everyLanguage_hasEveryShelterText_andSubstitutesArguments() {
    for (Lang l : Lang.values()) {
      for (String key : List.of("consent.heading", "consent.question", "consent.yes",
          "consent.no", "consent.refused", "answer.invalid", "menu.many", "menu.one",
          "text.optional", "narrative.end", "date.hint", "number.hint", "page.title",
          "page.words", "page.queued", "page.proof", "page.proof_later")) {
        assertThat(l.text(key)).as(l + " " + key).isNotBlank();
      }
      for (String key : List.of("page.filed", "page.where", "page.fingerprint", "page.sent",
          "attach.count")) {
        assertThat(l.text(key, "ARG")).as(l + " " + key).contains("ARG").doesNotContain("{0}");
      }
      assertThat(l.question("q.what")).isNotBlank();
      assertThat(l.question("state.OAX")).isEqualTo("Oaxaca");
      assertThat(l.question("receipt.advice")).isNotBlank();
    }
  }
}

package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.event.CaseId;

class CaseContentTest {
  private static final List<CaseAction> EVERY_TYPE = List.of(
      new CaseAction.Acknowledge(),
      new CaseAction.Assign("maria"),
      new CaseAction.Assign(null),
      new CaseAction.SetStatus(Status.UNDER_REVIEW),
      new CaseAction.SetPriority(Priority.URGENT),
      new CaseAction.Label("inm", true),
      new CaseAction.Label("inm", false),
      new CaseAction.Note("Nota con acentos: ñandú, \"comillas\" y\nsalto."),
      new CaseAction.Refer(ReferralTarget.FGR, null, null, "FGR/UEIDAPLE/12/2026",
          LocalDate.parse("2026-03-04")),
      new CaseAction.Refer(ReferralTarget.COMISION_ESTATAL_DH, "CHP", null, "CEDH/88",
          LocalDate.parse("2026-03-05")),
      new CaseAction.Refer(ReferralTarget.OTHER, null, "ACNUR Tapachula", "s/n",
          LocalDate.parse("2026-03-06")),
      new CaseAction.Close(Outcome.INSUFFICIENT_EVIDENCE),
      new CaseAction.Link(CaseId.fromHex("00112233445566778899aabbccddeeff"),
          LinkRelation.DUPLICATE_OF),
      new CaseAction.ReplySent(new byte[32]),
      new CaseAction.ReplySent(new byte[32], "Recibimos su denuncia.\nUn investigador la revisa.", "es"),
      new CaseAction.ReplySent(new byte[32], "Nou resevwa rapò ou.", "ht"),
      new CaseAction.FeedbackGiven(),
      new CaseAction.Reopen());

  @Test
  void everyType_roundTripsAndEncodesStably() throws Exception {
    for (CaseAction a : EVERY_TYPE) {
      byte[] json = CaseContent.encode(a);
      CaseAction back = CaseContent.parse(json);
      assertThat(back).isEqualTo(a);
      assertThat(CaseContent.encode(back)).isEqualTo(json);
    }
  }

  @Test
  void encode_writesTheDocumentedJson() {
    assertThat(new String(CaseContent.encode(new CaseAction.Refer(ReferralTarget.FISCALIA_ESTATAL,
        "OAX", null, "FGEO/1", LocalDate.parse("2026-03-04"))), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"refer\",\"to\":\"fiscalia_estatal\",\"state\":\"OAX\","
            + "\"reference\":\"FGEO/1\",\"date\":\"2026-03-04\"}");
    assertThat(new String(CaseContent.encode(new CaseAction.Assign(null)), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"assign\",\"assignee\":null}");
  }

  @Test
  void encode_writesTheDocumentedJsonOfAKeptReplyAndOfReopen() throws Exception {
    String kept = "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "ab".repeat(32)
        + "\",\"text\":\"Recibimos su denuncia.\\nGracias.\",\"language\":\"es\"}";
    CaseAction.ReplySent r = new CaseAction.ReplySent(java.util.HexFormat.of().parseHex("ab".repeat(32)),
        "Recibimos su denuncia.\nGracias.", "es");
    assertThat(new String(CaseContent.encode(r), StandardCharsets.UTF_8)).isEqualTo(kept);
    assertThat(CaseContent.parse(kept)).isEqualTo(r);
    String old = "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "ab".repeat(32) + "\"}";
    assertThat(((CaseAction.ReplySent) CaseContent.parse(old)).kept()).isFalse();
    assertThat(new String(CaseContent.encode(new CaseAction.Reopen()), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"reopen\"}");
    assertThat(r.toString()).doesNotContain("Recibimos");
  }

  @Test
  void keptReply_ofTheLongestTextInTheWorstEscapingFitsTheContentLimit() throws Exception {
    CaseAction.ReplySent r = new CaseAction.ReplySent(new byte[32], "\u0001".repeat(20_000), "und");
    byte[] json = CaseContent.encode(r);
    assertThat(json.length).isEqualTo(120_136).isLessThanOrEqualTo(CaseContent.MAX_BYTES);
    assertThat(CaseContent.parse(json)).isEqualTo(r);
  }

  @Test
  void parse_rejectsAnythingButStrictV1() {
    List<String> bad = List.of(
        "", "[]", "null", "{}", "{\"v\":1}",
        "{\"v\":2,\"type\":\"acknowledge\"}",
        "{\"v\":\"1\",\"type\":\"acknowledge\"}",
        "{\"v\":1,\"type\":\"acknowledge\",\"extra\":1}",
        "{\"v\":1,\"type\":\"acknowledge\"} {}",
        "{\"v\":1,\"v\":1,\"type\":\"acknowledge\"}",
        "{\"v\":1,\"type\":\"teleport\"}",
        "{\"v\":1,\"type\":\"assign\"}",
        "{\"v\":1,\"type\":\"assign\",\"assignee\":\"Maria Lopez\"}",
        "{\"v\":1,\"type\":\"status\",\"status\":\"closed\"}",
        "{\"v\":1,\"type\":\"status\",\"status\":\"new\"}",
        "{\"v\":1,\"type\":\"status\",\"status\":\"UNDER_REVIEW\"}",
        "{\"v\":1,\"type\":\"priority\",\"priority\":3}",
        "{\"v\":1,\"type\":\"label\",\"op\":\"toggle\",\"label\":\"inm\"}",
        "{\"v\":1,\"type\":\"label\",\"op\":\"add\",\"label\":\"INM\"}",
        "{\"v\":1,\"type\":\"note\",\"text\":\"   \"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"fiscalia_estatal\",\"reference\":\"x\",\"date\":\"2026-03-04\"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"fgr\",\"state\":\"OAX\",\"reference\":\"x\",\"date\":\"2026-03-04\"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"fiscalia_estatal\",\"state\":\"XXX\",\"reference\":\"x\",\"date\":\"2026-03-04\"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"other\",\"reference\":\"x\",\"date\":\"2026-03-04\"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"fgr\",\"reference\":\"\",\"date\":\"2026-03-04\"}",
        "{\"v\":1,\"type\":\"refer\",\"to\":\"fgr\",\"reference\":\"x\",\"date\":\"4/3/2026\"}",
        "{\"v\":1,\"type\":\"close\"}",
        "{\"v\":1,\"type\":\"close\",\"outcome\":\"solved\"}",
        "{\"v\":1,\"type\":\"link\",\"case\":\"00112233445566778899AABBCCDDEEFF\",\"relation\":\"related\"}",
        "{\"v\":1,\"type\":\"link\",\"case\":\"0011\",\"relation\":\"related\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"00\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\"hola\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"language\":\"es\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\"  \",\"language\":\"es\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\"hola\",\"language\":\"ES\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\"hola\",\"language\":\"e\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":1,\"language\":\"es\"}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\"hola\",\"language\":null}",
        "{\"v\":1,\"type\":\"reply_sent\",\"reply_sha256\":\"" + "00".repeat(32) + "\",\"text\":\""
            + "a".repeat(20_001) + "\",\"language\":\"es\"}",
        "{\"v\":1,\"type\":\"reopen\",\"status\":\"investigating\"}");
    for (String s : bad) {
      assertThatThrownBy(() -> CaseContent.parse(s)).as(s)
          .isInstanceOf(CaseContent.InvalidContentException.class);
    }
    assertThatThrownBy(() -> CaseContent.parse(new byte[CaseContent.MAX_BYTES + 1]))
        .isInstanceOf(CaseContent.InvalidContentException.class);
  }

  @Test
  void parseErrors_nameTheFieldButNeverEchoTheValue() {
    assertThatThrownBy(() -> CaseContent.parse(
        "{\"v\":1,\"type\":\"assign\",\"assignee\":\"SECRET NAME\"}"))
        .hasMessageNotContaining("SECRET").hasMessageContaining("assign");
    assertThatThrownBy(() -> CaseContent.parse("{\"v\":1,\"type\":\"SECRET\"}"))
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void note_refusesMoreThanTwentyThousandCharacters() {
    assertThat(new CaseAction.Note("a".repeat(20_000)).text()).hasSize(20_000);
    assertThatThrownBy(() -> new CaseAction.Note("a".repeat(20_001)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

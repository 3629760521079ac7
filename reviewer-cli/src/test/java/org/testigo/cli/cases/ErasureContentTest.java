package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content types legal_hold and erasure (docs/spec/retention-and-erasure.md §4) and their replay. */
class ErasureContentTest {
  private static final LocalDate RECEIVED = LocalDate.parse("2026-03-01");

  static StatsRecord record() {
    return new StatsRecord(YearMonth.of(2026, 3), "CHP", List.of("extortion"), List.of("inm"), Outcome.REFERRED,
        List.of(new StatsRecord.Referral(ReferralTarget.FGR, List.of(ReferralStage.INVESTIGATION_OPENED))), true,
        false, Map.of("acknowledge", "met"), Map.of("acknowledged", 2, "referred", 5));
  }

  @Test
  void legalHoldAndErasure_roundTripAndEncodeTheDocumentedJson() throws Exception {
    for (CaseAction a : List.of(new CaseAction.LegalHold(true, "Juzgado 3o de Distrito, amparo 123/2026"),
        new CaseAction.LegalHold(false, null), new CaseAction.Erasure("retention_due", "policy", record()),
        new CaseAction.Erasure("source_request", "early", record()))) {
      byte[] json = CaseContent.encode(a);
      assertThat(CaseContent.parse(json)).isEqualTo(a);
      assertThat(CaseContent.encode(CaseContent.parse(json))).isEqualTo(json);
    }
    assertThat(new String(CaseContent.encode(new CaseAction.LegalHold(true, "FGR/123")), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"legal_hold\",\"op\":\"set\",\"reference\":\"FGR/123\"}");
    assertThat(new String(CaseContent.encode(new CaseAction.LegalHold(false, null)), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"legal_hold\",\"op\":\"release\"}");
    assertThat(new String(CaseContent.encode(new CaseAction.Erasure("spam", "policy", record())),
        StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\","
            + "\"record\":{\"v\":1,\"month\":\"2026-03\",\"state\":\"CHP\",\"category\":[\"extortion\"],"
            + "\"agency\":[\"inm\"],\"outcome\":\"referred\",\"referrals\":[{\"to\":\"fgr\",\"stages\":"
            + "[\"investigation_opened\"]}],\"minors\":true,\"malformed\":false,\"deadlines\":{\"acknowledge\":"
            + "\"met\"},\"funnel_days\":{\"acknowledged\":2,\"referred\":5}}}");
  }

  @Test
  void parse_refusesMalformedHoldsAndErasures() {
    String rec = record().toJsonText();
    for (String bad : List.of(
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"set\"}",
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"release\",\"reference\":\"x\"}",
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"pause\"}",
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"set\",\"reference\":\"\"}",
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"set\",\"reference\":\"" + "x".repeat(201) + "\"}",
        "{\"v\":1,\"type\":\"legal_hold\",\"op\":\"set\",\"reference\":\"a\\u0007b\"}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"boredom\",\"basis\":\"policy\",\"record\":" + rec + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"whenever\",\"record\":" + rec + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\"}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":" + rec + ",\"x\":1}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("\"minors\":true", "\"minors\":true,\"note\":\"secret\"") + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("2026-03", "2026-03-04") + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("\"CHP\"", "\"Tapachula\"") + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("\"extortion\"", "\"my neighbour Juan\"") + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("\"met\"", "\"late by 3 days\"") + "}",
        "{\"v\":1,\"type\":\"erasure\",\"reason\":\"spam\",\"basis\":\"policy\",\"record\":"
            + rec.replace("\"investigation_opened\"", "\"recommendation_issued\"") + "}")) {
      assertThatThrownBy(() -> CaseContent.parse(bad)).as(bad).isInstanceOf(CaseContent.InvalidContentException.class);
    }
  }

  @Test
  void replay_holdSetsAndReleases_evenOnAClosedCase_andAReleaseWithoutHoldIsRejected() {
    Sim maria = new Sim("maria");
    CaseState s = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(
        maria.act(new CaseAction.LegalHold(false, null)),
        maria.act(new CaseAction.Close(Outcome.UNSUBSTANTIATED)),
        maria.act(new CaseAction.LegalHold(true, "amparo 123/2026"))));
    assertThat(s.history().get(0).flag()).isEqualTo(CaseState.Flag.REJECTED);
    assertThat(s.history().get(0).reason()).isEqualTo("the case is not under legal hold");
    assertThat(s.held()).isTrue();
    assertThat(s.legalHold()).isEqualTo("amparo 123/2026");
    assertThat(s.status()).isEqualTo(Status.CLOSED);
    maria.act(new CaseAction.LegalHold(false, null));
    maria.act(new CaseAction.Erasure("retention_due", "policy", record()));
    CaseState released = CaseReplay.replay(Sim.CASE, RECEIVED, maria.known);
    assertThat(released.held()).isFalse();
    assertThat(released.status()).isEqualTo(Status.CLOSED);
    assertThat(released.history().subList(1, 5)).allMatch(CaseState.HistoryEntry::applied);
  }

  @Test
  void caseText_describesHoldAndErasureInBothLanguages() {
    CaseText en = new CaseText("en");
    CaseText es = new CaseText("es");
    assertThat(en.describe(new CaseAction.LegalHold(true, "FGR/1"))).isEqualTo("legal hold set: FGR/1");
    assertThat(es.describe(new CaseAction.LegalHold(false, null))).isEqualTo("retención legal levantada");
    assertThat(en.describe(new CaseAction.Erasure("spam", "policy", record())))
        .startsWith("erasure decided (spam, by the retention policy)");
    assertThat(es.describe(new CaseAction.Erasure("source_request", "early", record())))
        .startsWith("borrado decidido (la fuente lo pidió, anticipado");
  }
}

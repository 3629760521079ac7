package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.api.progress.SourceProgress;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;

/** Replay rules of referral_update and status_published, and their content JSON. */
class ReferralUpdatesTest {
  private static final CaseId CASE = CaseId.fromHex("11111111222222223333333344444444");
  private static final List<SignedManifest> CHAIN = TestKeys.goldenChain();
  private static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  private static final Instant T = Instant.parse("2026-03-20T10:00:00Z");

  /** One reviewer's linear history: each action follows the previous event. */
  private static final class Trail {
    final List<OpenedCaseEvent> opened = new ArrayList<>();
    final List<SignedCaseEvent> known = new ArrayList<>();
    int minutes;

    EventId add(CaseAction a) throws Exception {
      KeyManifest m = CHAIN.get(1).manifest();
      CaseEvents.Built b = new CaseEvents(Clock.fixed(T.plusSeconds(60L * minutes++), ZoneOffset.UTC),
          new SecureRandom()).build(MARIA, m, CASE, known, a);
      known.add(b.event());
      opened.add(new CaseEvents(Clock.systemUTC(), new SecureRandom()).open(b.event(), b.sealedContent(),
          CaseEventVerifier.of(CHAIN, CHAIN.get(0).manifest().rootFingerprint()), MARIA));
      return b.event().eventId();
    }

    CaseState state() {
      return CaseReplay.replay(CASE, LocalDate.parse("2026-03-01"), opened);
    }

    CaseState.HistoryEntry last() {
      CaseState s = state();
      return s.history().get(s.history().size() - 1);
    }
  }

  private static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  @Test
  void stages_mustSuitTheInstitutionAndFollowTheReferralInDateOrder() throws Exception {
    Trail t = new Trail();
    EventId fgr = t.add(new CaseAction.Refer(ReferralTarget.FGR, null, null, "FGR/1", d("2026-03-05")));
    EventId cndh = t.add(new CaseAction.Refer(ReferralTarget.CNDH, null, null, "CNDH/1", d("2026-03-06")));
    EventId comar = t.add(new CaseAction.Refer(ReferralTarget.COMAR, null, null, "COMAR/1", d("2026-03-06")));
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.COMPLAINT_ADMITTED, d("2026-03-10"), null));
    assertThat(t.last().reason()).contains("is not one of fgr's");
    t.add(new CaseAction.ReferralUpdate(cndh, ReferralStage.CHARGES_FILED, d("2026-03-10"), null));
    assertThat(t.last().flag()).isEqualTo(CaseState.Flag.REJECTED);
    t.add(new CaseAction.ReferralUpdate(comar, ReferralStage.DISMISSED, d("2026-03-10"), null));
    assertThat(t.last().flag()).isEqualTo(CaseState.Flag.REJECTED);
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.INVESTIGATION_OPENED, d("2026-03-04"), null));
    assertThat(t.last().reason()).contains("before the referral");
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.INVESTIGATION_OPENED, d("2026-03-21"), null));
    assertThat(t.last().reason()).contains("after the day it was recorded");
    t.add(new CaseAction.ReferralUpdate(EventId.fromHex("00".repeat(32)), ReferralStage.HEARING, d("2026-03-10"), null));
    assertThat(t.last().reason()).contains("not a recorded referral");
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.CHARGES_FILED, d("2026-03-12"), "vinculación"));
    assertThat(t.last().applied()).isTrue();
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.INVESTIGATION_OPENED, d("2026-03-13"), null));
    assertThat(t.last().reason()).contains("contradicts charges_filed");
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.SENTENCE, d("2026-03-11"), null));
    assertThat(t.last().reason()).contains("contradicts charges_filed");
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.INVESTIGATION_OPENED, d("2026-03-08"), null));
    t.add(new CaseAction.Close(Outcome.REFERRED));
    // after closing, the institutions' news is still recorded
    t.add(new CaseAction.ReferralUpdate(fgr, ReferralStage.SENTENCE, d("2026-03-19"), null));
    assertThat(t.last().applied()).isTrue();
    t.add(new CaseAction.ReferralUpdate(cndh, ReferralStage.COMPLAINT_ADMITTED, d("2026-03-07"), null));
    t.add(new CaseAction.ReferralUpdate(cndh, ReferralStage.RECOMMENDATION_ISSUED, d("2026-03-18"), null));
    CaseState s = t.state();
    assertThat(s.status()).isEqualTo(Status.CLOSED);
    List<ReferralUpdates.Outcomes> o = ReferralUpdates.of(s);
    assertThat(o).hasSize(3);
    assertThat(o.get(0).updates()).extracting(u -> u.action().stage()).containsExactly(
        ReferralStage.CHARGES_FILED, ReferralStage.INVESTIGATION_OPENED, ReferralStage.SENTENCE);
    assertThat(ReferralUpdates.earliest(o.get(0).updates(), ReferralStage.INVESTIGATION_OPENED)).isEqualTo(d("2026-03-08"));
    assertThat(o.get(1).updates()).hasSize(2);
    assertThat(o.get(2).updates()).isEmpty();

    // The statistics view: prosecutor follow-ups and the commission's recommendation.
    var input = org.testigo.cli.stats.StatsInputs.fromCase(s, new org.testigo.cli.stats.StatsInputs.ReportFacts(
        org.testigo.cli.stats.MxState.OAX, java.util.EnumSet.noneOf(org.testigo.api.questionnaire.AbuseCategory.class),
        java.util.EnumSet.noneOf(org.testigo.api.questionnaire.Perpetrator.class)));
    assertThat(input.referrals()).hasSize(3);
    assertThat(input.referrals().get(0).investigationOpened()).isEqualTo(d("2026-03-08"));
    assertThat(input.referrals().get(0).charges()).isEqualTo(d("2026-03-12"));
    assertThat(input.referrals().get(0).sentence()).isEqualTo(d("2026-03-19"));
    assertThat(input.referrals().get(1).investigationOpened()).isEqualTo(d("2026-03-07"));
    assertThat(input.referrals().get(1).recommendation()).isEqualTo(d("2026-03-18"));
    assertThat(input.referrals().get(2).investigationOpened()).isNull();

    // The report index keeps the stages (its summary replays into the same statistics view).
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    ReportIndex.Case summary = json.readValue(json.writeValueAsBytes(ReportIndex.summary(s)), ReportIndex.Case.class);
    CaseState fromIndex = ReportIndex.stateOf(summary, CASE, LocalDate.parse("2026-03-01"));
    assertThat(org.testigo.cli.stats.StatsInputs.fromCase(fromIndex, new org.testigo.cli.stats.StatsInputs.ReportFacts(
        org.testigo.cli.stats.MxState.OAX, java.util.EnumSet.noneOf(org.testigo.api.questionnaire.AbuseCategory.class),
        java.util.EnumSet.noneOf(org.testigo.api.questionnaire.Perpetrator.class)))).isEqualTo(input);
  }

  @Test
  void statusPublished_isAppliedEvenOnAClosedCaseAndRoundTrips() throws Exception {
    Trail t = new Trail();
    t.add(new CaseAction.Refer(ReferralTarget.FGR, null, null, "FGR/1", d("2026-03-05")));
    t.add(new CaseAction.Close(Outcome.REFERRED));
    byte[] hash = new byte[32];
    hash[0] = (byte) 0xab;
    CaseAction.StatusPublished p = new CaseAction.StatusPublished(SourceProgress.referred(2, "Fiscalía", "FGR/1"), hash);
    t.add(p);
    assertThat(t.last().applied()).isTrue();
    assertThat(ReferralUpdates.published(t.state())).extracting(r -> r.action()).containsExactly(p);
    assertThat(CaseContent.parse(CaseContent.encode(p))).isEqualTo(p);
    assertThat(new String(CaseContent.encode(p), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
        "{\"v\":1,\"type\":\"status_published\",\"n\":2,\"status\":\"referred\",\"institution\":\"Fiscalía\","
            + "\"reference\":\"FGR/1\",\"reply_sha256\":\"ab" + "00".repeat(31) + "\"}");
    CaseAction.ReferralUpdate u = new CaseAction.ReferralUpdate(EventId.fromHex("ab".repeat(32)),
        ReferralStage.RECOMMENDATION_ISSUED, d("2026-03-18"), "Recomendación 12/2026");
    assertThat(CaseContent.parse(CaseContent.encode(u))).isEqualTo(u);
    String h = HexFormat.of().formatHex(hash);
    for (String bad : List.of(
        "{\"v\":1,\"type\":\"status_published\",\"n\":1,\"status\":\"closed\",\"outcome\":\"spam\",\"reply_sha256\":\"" + h + "\"}",
        "{\"v\":1,\"type\":\"status_published\",\"n\":1,\"status\":\"received\",\"reply_sha256\":\"" + h.toUpperCase() + "\"}",
        "{\"v\":1,\"type\":\"status_published\",\"n\":1,\"status\":\"received\"}",
        "{\"v\":1,\"type\":\"status_published\",\"status\":\"received\",\"reply_sha256\":\"" + h + "\"}",
        "{\"v\":1,\"type\":\"status_published\",\"n\":1,\"status\":\"received\",\"reply_sha256\":\"" + h + "\",\"note\":\"x\"}",
        "{\"v\":1,\"type\":\"status_published\",\"n\":1,\"status\":\"referred\",\"institution\":\"a\\u202eb\",\"reply_sha256\":\"" + h + "\"}",
        "{\"v\":1,\"type\":\"referral_update\",\"referral\":\"" + "ab".repeat(32) + "\",\"stage\":\"convicted\",\"date\":\"2026-03-18\"}",
        "{\"v\":1,\"type\":\"referral_update\",\"referral\":\"" + "ab".repeat(31) + "\",\"stage\":\"hearing\",\"date\":\"2026-03-18\"}",
        "{\"v\":1,\"type\":\"referral_update\",\"referral\":\"" + "ab".repeat(32) + "\",\"stage\":\"hearing\",\"date\":\"18/03/2026\"}",
        "{\"v\":1,\"type\":\"referral_update\",\"referral\":\"" + "ab".repeat(32) + "\",\"stage\":\"hearing\",\"date\":\"2026-03-18\",\"note\":\" \"}",
        "{\"v\":1,\"type\":\"referral_update\",\"referral\":\"" + "ab".repeat(32) + "\",\"stage\":\"hearing\"}")) {
      assertThatThrownBy(() -> CaseContent.parse(bad)).as(bad).isInstanceOf(CaseContent.InvalidContentException.class);
    }
  }
}

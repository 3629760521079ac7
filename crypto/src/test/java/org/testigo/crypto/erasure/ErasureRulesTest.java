package org.testigo.crypto.erasure;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.GoldenTorWriter;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.manifest.SignedManifest;

class ErasureRulesTest {
  private static final List<SignedManifest> CHAIN = GoldenErasureWriter.chainV3();
  private static final LocalDate RECEIVED = LocalDate.parse("2025-12-01");

  private static ErasureDecision.Body body(ErasureDecision.Reason reason,
      ErasureDecision.Basis basis, String decidedAt, String policyDay) {
    return new ErasureDecision.Body(GoldenErasureWriter.CASE, reason, basis,
        Instant.parse(decidedAt), policyDay == null ? null : LocalDate.parse(policyDay),
        GoldenErasureWriter.RECORD, GoldenErasureWriter.objects());
  }

  private static ErasureDecision by(ErasureDecision.Body b, String... aliases) {
    ErasureDecision d = ErasureDecision.sign(b, TestKeys.identity(aliases[0]).signingKey());
    for (int i = 1; i < aliases.length; i++) {
      d = d.cosign(TestKeys.identity(aliases[i]).signingKey());
    }
    return d;
  }

  @Test
  void goldenDecisions_pass() {
    assertThatCode(() -> ErasureRules.check(GoldenErasureWriter.byPolicy(), CHAIN, RECEIVED))
        .doesNotThrowAnyException();
    assertThatCode(() -> ErasureRules.check(GoldenErasureWriter.early(), CHAIN, RECEIVED))
        .doesNotThrowAnyException();
  }

  @Test
  void early_withOneSignature_isRefused_underAPolicyOfTwo() {
    ErasureDecision d = by(body(ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY,
        "2026-05-02T08:30:00Z", null), "maria");
    assertThatThrownBy(() -> ErasureRules.check(d, CHAIN, RECEIVED))
        .hasMessageContaining("needs 2 reviewers' signatures").hasMessageContaining("has 1");
  }

  @Test
  void sourceRequest_byPolicy_stillNeedsTheEarlySignatures() {
    ErasureDecision d = by(body(ErasureDecision.Reason.SOURCE_REQUEST,
        ErasureDecision.Basis.POLICY, "2026-12-20T10:00:00Z", "2026-12-15"), "maria");
    assertThatThrownBy(() -> ErasureRules.check(d, CHAIN, RECEIVED))
        .hasMessageContaining("a source's request");
  }

  @Test
  void auditorOrStranger_cannotSign() {
    ErasureDecision auditor = by(body(ErasureDecision.Reason.RETENTION_DUE,
        ErasureDecision.Basis.POLICY, "2026-12-20T10:00:00Z", "2026-12-15"), "ana");
    assertThatThrownBy(() -> ErasureRules.check(auditor, CHAIN, RECEIVED))
        .hasMessageContaining("is not a reviewer or admin");
    ErasureDecision stranger = ErasureDecision.sign(GoldenErasureWriter.byPolicy().body(),
        TestKeys.signing("stranger"));
    assertThatThrownBy(() -> ErasureRules.check(stranger, CHAIN, RECEIVED))
        .hasMessageContaining("is not a reviewer or admin");
    // a signer outside its validity window (entries valid 2026-01-01 .. 2027-01-01)
    ErasureDecision late = by(body(ErasureDecision.Reason.RETENTION_DUE,
        ErasureDecision.Basis.POLICY, "2027-02-01T00:00:00Z", "2027-01-15"), "maria");
    assertThatThrownBy(() -> ErasureRules.check(late, CHAIN, RECEIVED))
        .hasMessageContaining("is not a reviewer or admin");
  }

  @Test
  void withoutAPolicyInForce_nothingMayBeErased() {
    ErasureDecision before = by(body(ErasureDecision.Reason.RETENTION_DUE,
        ErasureDecision.Basis.POLICY, "2026-03-15T00:00:00Z", "2026-03-10"), "maria", "jose");
    assertThatThrownBy(() -> ErasureRules.check(before, CHAIN, LocalDate.parse("2025-01-01")))
        .hasMessageContaining("no retention policy");
    assertThatThrownBy(() -> ErasureRules.check(GoldenErasureWriter.byPolicy(),
        GoldenTorWriter.chainV2(), RECEIVED)).hasMessageContaining("no retention policy");
  }

  @Test
  void byPolicy_cannotNameADayThePolicyCannotHaveReached() {
    // received 2026-01-01 + 365 closed days = 2027-01-01 at the earliest
    ErasureDecision tooSoon = by(body(ErasureDecision.Reason.RETENTION_DUE,
        ErasureDecision.Basis.POLICY, "2026-12-20T10:00:00Z", "2026-12-15"), "maria");
    assertThatThrownBy(() -> ErasureRules.check(tooSoon, CHAIN, LocalDate.parse("2026-06-01")))
        .hasMessageContaining("cannot be due before 2027-06-01");
    // spam: 30 days after receipt, and (nobody but reviewers can see spam) two signatures
    ErasureDecision alone = by(body(ErasureDecision.Reason.SPAM, ErasureDecision.Basis.POLICY,
        "2026-07-05T00:00:00Z", "2026-07-01"), "maria");
    assertThatThrownBy(() -> ErasureRules.check(alone, CHAIN, LocalDate.parse("2026-06-01")))
        .hasMessageContaining("needs 2 reviewers' signatures (spam");
    ErasureDecision spam = by(body(ErasureDecision.Reason.SPAM, ErasureDecision.Basis.POLICY,
        "2026-07-05T00:00:00Z", "2026-07-01"), "maria", "jose");
    assertThatCode(() -> ErasureRules.check(spam, CHAIN, LocalDate.parse("2026-06-01")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ErasureRules.check(spam, CHAIN, LocalDate.parse("2026-06-10")))
        .hasMessageContaining("cannot be due before 2026-07-10");
    ErasureDecision future = by(body(ErasureDecision.Reason.SPAM, ErasureDecision.Basis.POLICY,
        "2026-07-05T00:00:00Z", "2026-07-06"), "maria", "jose");
    assertThatThrownBy(() -> ErasureRules.check(future, CHAIN, LocalDate.parse("2026-01-01")))
        .hasMessageContaining("after the decision itself");
  }

  @Test
  void sameEntryTwice_doesNotCountTwice() throws Exception {
    // two different keys are needed; one reviewer cannot sign twice (cosign refuses), and a
    // parse of a doubled signer is refused: see ErasureDecisionTest. Here: a reviewer plus
    // an auditor is still one allowed signer.
    ErasureDecision d = by(body(ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY,
        "2026-05-02T08:30:00Z", null), "maria", "ana");
    assertThatThrownBy(() -> ErasureRules.check(d, CHAIN, RECEIVED))
        .hasMessageContaining("is not a reviewer or admin");
  }

  @Test
  void aDecisionDatedBeforeItsReportArrived_isRefused() {
    // early, two valid signers, but dated months before the report: a back-dated decision
    assertThatThrownBy(() -> ErasureRules.check(GoldenErasureWriter.early(), CHAIN,
        LocalDate.parse("2026-06-01"))).hasMessageContaining("before its report arrived");
  }
}

package org.testigo.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The audit's dating rules for erasures (docs/spec/retention-and-erasure.md §6): a logged
 * decision dated after its leaf's day + 1 (+ 10 minutes) or more than 31 days before it FAILs
 * (one dated before its report's day is {@code ErasureRules.check}'s, tested in crypto); a served decision not yet logged waits for the next tree head
 * only while the server could still have accepted it.
 */
class ErasureCheckDatingTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final SigningPrivateKey KEY = SigningPrivateKey.generate(RANDOM);
  static final LocalDate LEAF = LocalDate.parse("2026-06-15");

  static ErasureDecision decidedAt(String at) {
    byte[] id = new byte[16];
    byte[] ev = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(ev);
    return ErasureDecision.sign(new ErasureDecision.Body(CaseId.fromBytes(id), ErasureDecision.Reason.DUPLICATE,
        ErasureDecision.Basis.EARLY, Instant.parse(at), null, EventId.fromBytes(ev), List.of(new byte[32])), KEY);
  }

  /**
   * Signers must be reviewers on the day the erasure was logged, as the server requires when it
   * applies one: keys revoked since cannot back-date a decision a seized server then logs.
   */
  @Test
  void aDecisionSignedByAKeyRevokedBeforeItsLeafDay_fails() {
    SigningPrivateKey root = SigningPrivateKey.generate(RANDOM);
    ReviewerIdentity alice = ReviewerIdentity.generate("alice", RANDOM);
    ReviewerIdentity carol = ReviewerIdentity.generate("carol", RANDOM);
    Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
    Instant until = Instant.parse("2026-12-31T00:00:00Z");
    SignedManifest s0 = SignedManifest.sign(ManifestUpdates.genesis("Org", root.publicKey(),
        SigningPrivateKey.generate(RANDOM).publicKey(), List.of(
            ReviewerEntry.of(alice.publicBundle(), ReviewerEntry.ROLE_REVIEWER, t0, until),
            ReviewerEntry.of(carol.publicBundle(), ReviewerEntry.ROLE_REVIEWER, t0, until)), t0), root);
    SignedManifest s1 = SignedManifest.sign(ManifestUpdates.revokeReviewer(s0, "carol",
        Instant.parse("2026-06-10T12:00:00Z")), root);
    List<SignedManifest> chain = List.of(s0, s1);
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    ErasureDecision.Body body = new ErasureDecision.Body(CaseId.fromBytes(id), ErasureDecision.Reason.DUPLICATE,
        ErasureDecision.Basis.EARLY, Instant.parse("2026-06-05T08:00:00Z"), null, EventId.fromBytes(new byte[32]),
        List.of(new byte[32]));
    ErasureDecision byCarol = ErasureDecision.sign(body, carol.signingKey());
    assertThat(ErasureCheck.signersProblem(byCarol, chain, LocalDate.parse("2026-06-15")))
        .contains("on 2026-06-15, the day its erasure was logged").contains("in force then");
    // logged the day of the revocation, before it: not held against it
    assertThat(ErasureCheck.signersProblem(byCarol, chain, LocalDate.parse("2026-06-10"))).isNull();
    assertThat(ErasureCheck.signersProblem(ErasureDecision.sign(body, alice.signingKey()), chain,
        LocalDate.parse("2026-06-15"))).isNull();
  }

  @Test
  void aDecisionDatedAroundItsLeafPasses() {
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-06-15T08:00:00Z"), LEAF)).isNull();
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-06-16T00:10:00Z"), LEAF)).isNull();
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-05-15T00:00:00Z"), LEAF)).isNull();
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-05-01T00:00:00Z"), LocalDate.parse("2026-05-20")))
        .isNull();
  }

  @Test
  void aDecisionDatedAfterItsLeafFails() {
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-06-16T00:10:01Z"), LEAF))
        .contains("after the day its erasure was logged (2026-06-15)");
  }

  @Test
  void aDecisionMoreThan31DaysOlderThanItsLeafFails() {
    assertThat(ErasureCheck.datingProblem(decidedAt("2026-05-14T23:59:59Z"), LEAF))
        .contains("more than 31 days before").contains("older than 30 days");
  }


  @Test
  void aServedDecisionWaitsForTheNextHeadOnlyWhileTheServerCouldStillAcceptIt() {
    Instant decided = Instant.parse("2026-06-15T08:00:00Z");
    assertThat(ErasureCheck.mayBePending(decided, decided.plusSeconds(5))).isTrue();
    assertThat(ErasureCheck.mayBePending(decided, decided.minusSeconds(3600))).isTrue();
    Instant limit = decided.plus(java.time.Duration.ofDays(30)).plus(java.time.Duration.ofMinutes(11));
    assertThat(ErasureCheck.mayBePending(decided, limit.minusSeconds(1))).isTrue();
    assertThat(ErasureCheck.mayBePending(decided, limit)).isFalse();
    assertThat(ErasureCheck.mayBePending(decided, limit.plusSeconds(86_400))).isFalse();
  }
}

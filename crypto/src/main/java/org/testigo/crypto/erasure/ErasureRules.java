package org.testigo.crypto.erasure;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Who may erase what, and when: the rules of docs/spec/retention-and-erasure.md §2.1, the
 * same for the server (before it deletes), reviewers (at sync) and auditors. A decision's
 * signatures are already checked by {@link ErasureDecision#parse}; these rules check that the
 * signers were allowed to decide, that there are enough of them, and that a decision by
 * policy does not name a day the policy cannot have reached.
 */
public final class ErasureRules {
  private ErasureRules() {}

  /** A decision the rules refuse; the message names the rule, in English, for people. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /** The manifest of {@code chain} in force at {@code t} (the last issued at or before it), or null. */
  public static KeyManifest inForce(List<SignedManifest> chain, Instant t) {
    KeyManifest found = null;
    for (SignedManifest s : chain) {
      if (!s.manifest().issuedAt().isAfter(t)) {
        found = s.manifest();
      }
    }
    return found;
  }

  /**
   * Signatures a decision with this body needs under {@code policy}: {@code early_signatures}
   * for an early erasure, a source's request and spam (whether a report is spam is sealed to the
   * reviewers, so one reviewer's word must not erase a case 30 days after it came); 1 otherwise.
   */
  public static int signaturesNeeded(RetentionPolicy policy, ErasureDecision.Body body) {
    return body.basis() == ErasureDecision.Basis.EARLY
        || body.reason() == ErasureDecision.Reason.SOURCE_REQUEST
        || body.reason() == ErasureDecision.Reason.SPAM ? policy.earlySignatures() : 1;
  }

  /**
   * Checks that every signer of {@code decision} is a reviewer or admin of the manifest in force
   * at {@code at} (whoever applies a decision, at the time it is applied): a key removed, revoked
   * or expired since the decision's own date cannot sign a back-dated decision.
   *
   * @throws Refused naming the first signer that is not
   */
  public static void checkSignersAt(ErasureDecision decision, List<SignedManifest> verifiedChain,
      Instant at) throws Refused {
    KeyManifest current = inForce(verifiedChain, at);
    for (SigningPublicKey signer : decision.signers()) {
      if (current == null || current.reviewerBySigningKey(signer, at)
          .filter(ReviewerEntry::receivesReports).isEmpty()) {
        throw new Refused("signer " + signer.fingerprint().shortForm() + " is not a reviewer or admin of"
            + " the manifest in force now (removed, revoked or expired since)");
      }
    }
  }

  /**
   * Checks {@code decision} against the (already verified) manifest chain and the day its
   * report was received (from the log or the feed).
   *
   * @throws Refused naming the first rule that fails
   */
  public static void check(ErasureDecision decision, List<SignedManifest> verifiedChain,
      LocalDate reportReceivedDay) throws Refused {
    ErasureDecision.Body body = decision.body();
    KeyManifest m = inForce(verifiedChain, body.decidedAt());
    if (m == null) {
      throw new Refused("the decision is dated " + body.decidedAt()
          + ", before the first key manifest");
    }
    Optional<RetentionPolicy> p = m.retentionPolicy();
    if (p.isEmpty()) {
      throw new Refused("no retention policy is in force at " + body.decidedAt()
          + " (manifest " + m.sequence() + "): nothing may be erased until the custodians set"
          + " one (manifest set-retention)");
    }
    RetentionPolicy policy = p.get();
    Set<String> entries = new HashSet<>();
    for (SigningPublicKey signer : decision.signers()) {
      Optional<ReviewerEntry> e = m.reviewerBySigningKey(signer, body.decidedAt());
      if (e.isEmpty() || !e.get().receivesReports()) {
        throw new Refused("signer " + signer.fingerprint().shortForm()
            + " is not a reviewer or admin of manifest " + m.sequence() + " valid at "
            + body.decidedAt());
      }
      entries.add(e.get().alias());
    }
    int needed = signaturesNeeded(policy, body);
    if (entries.size() < needed) {
      throw new Refused("this decision needs " + needed + " reviewers' signatures (" + (body
          .basis() == ErasureDecision.Basis.EARLY ? "early erasure"
          : body.reason() == ErasureDecision.Reason.SPAM ? "spam, which nobody but reviewers can see"
          : "a source's request")
          + " under the policy of manifest " + m.sequence() + ") and has " + entries.size());
    }
    LocalDate decidedDay = LocalDate.ofInstant(body.decidedAt(), ZoneOffset.UTC);
    if (reportReceivedDay != null && decidedDay.isBefore(reportReceivedDay)) {
      throw new Refused("the decision is dated " + decidedDay + ", before its report arrived ("
          + reportReceivedDay + "): a back-dated decision");
    }
    if (body.basis() == ErasureDecision.Basis.POLICY) {
      if (body.policyDay().isAfter(decidedDay)) {
        throw new Refused("the decision says the policy made the case due on "
            + body.policyDay() + ", after the decision itself (" + decidedDay + ")");
      }
      if (reportReceivedDay != null) {
        LocalDate earliest = switch (body.reason()) {
          case SPAM -> policy.dueAsSpam(reportReceivedDay);
          default -> reportReceivedDay.plusDays(policy.closedDays());
        };
        if (body.policyDay().isBefore(earliest)) {
          throw new Refused("the report arrived on " + reportReceivedDay + "; under the policy of"
              + " manifest " + m.sequence() + " it cannot be due before " + earliest
              + " (the decision says " + body.policyDay() + "): erasing it now is early erasure,"
              + " which needs " + policy.earlySignatures() + " signatures");
        }
      }
    }
  }
}

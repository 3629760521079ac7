package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testigo.cli.audit.AuditReport.Status;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.challenge.ChallengeAnswer;
import org.testigo.crypto.challenge.PossessionChallenge;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * Possession challenges (docs/spec/merkle-log-and-proofs.md §5.1). Every challenge entry of the log is a served
 * answer (SHA-256 of ChallengeAnswer v1 = the object hash) that verifies against its served
 * challenge, for a challenge addressed to a reviewer's signing and X-Wing keys as listed in
 * the manifest in force at the entry; every served answer older than the tree head is
 * logged. Then, per report recipient of the latest manifest, the last passed challenge:
 * proven (issued by this auditor, answered within the maximum age), stale, answered only to
 * challenges this auditor did not issue (which prove nothing: the reviewer may have made
 * them), or never. Integrity problems FAIL; unproven reviewers WARN.
 */
final class ChallengeCheck implements LogAudit.LeafCheck {
  private static final HexFormat HEX = HexFormat.of();

  /** How recent a proof must be, which challenge ids this auditor issued, and now. */
  record Policy(Duration maxAge, Set<String> issuedHere, Instant now) {
    static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);

    static Policy defaults() {
      return new Policy(DEFAULT_MAX_AGE, Set.of(), Instant.now());
    }
  }

  /** One verified answer in the log. */
  record Passed(String alias, String signingKey, String recipient, String challengeId, LocalDate day,
      boolean issuedHere) {}

  private final Policy policy;

  ChallengeCheck(Policy policy) {
    this.policy = policy;
  }

  @Override
  public void run(LogAudit.Context ctx, AuditReport report) {
    List<Integer> indices = LoggedObjects.indicesOf(ctx.leaves(), LogLeaf.EntryType.CHALLENGE);
    Optional<List<List<byte[]>>> served = ctx.server().challenges();
    if (served.isEmpty() && !indices.isEmpty()) {
      report.add("challenges", Status.FAIL, "the log holds " + indices.size() + " challenge entries, but the"
          + " server serves no answered challenges to check them against");
      return;
    }
    List<String> failures = new ArrayList<>();
    List<Passed> passed = new ArrayList<>();
    LoggedObjects<List<byte[]>> logged = new LoggedObjects<>(ctx.leaves(), indices, served.orElse(List.of()),
        p -> HEX.formatHex(LogHashes.sha256(p.get(1))), "answer", "", failures);
    for (LoggedObjects.Match<List<byte[]>> match : logged.matches()) {
      int i = match.index();
      LogLeaf l = match.leaf();
      List<byte[]> pair = match.served();
      PossessionChallenge c;
      ChallengeAnswer a;
      try {
        c = PossessionChallenge.parse(pair.get(0));
        a = ChallengeAnswer.parse(pair.get(1));
      } catch (CryptoException e) {
        failures.add("entry " + i + ": the served challenge or answer is not v1");
        continue;
      }
      if (!a.verifies(c)) {
        failures.add("entry " + i + " (challenge " + c.idHex() + "): the answer does NOT verify against its challenge");
        continue;
      }
      Optional<KeyManifest> m = ctx.manifestBefore(i);
      Optional<ReviewerEntry> who = m.flatMap(k -> k.reviewers().stream()
          .filter(e -> e.signingKey().equals(c.reviewerKey())
              && e.encryptionKey().fingerprint().equals(c.recipient()) && validOn(e, l.day()))
          .findFirst());
      if (who.isEmpty()) {
        failures.add("entry " + i + " (challenge " + c.idHex() + "): not addressed to the keys of a reviewer in"
            + " force then");
        continue;
      }
      passed.add(new Passed(who.get().alias(), c.reviewerKey().fingerprint().hex(), c.recipient().hex(), c.idHex(),
          l.day(), policy.issuedHere().contains(c.idHex())));
    }
    Instant headTime = Instant.ofEpochMilli(ctx.head().timestampMillis());
    for (List<byte[]> p : served.orElse(List.of())) {
      String h = HEX.formatHex(LogHashes.sha256(p.get(1)));
      if (logged.isLogged(h)) {
        continue;
      }
      Optional<Instant> answered = answeredAt(p.get(1));
      if (answered.isPresent() && answered.get().plus(CaseEventCheck.CLAIM_SKEW).plus(CaseEventCheck.COMMIT_SLACK)
          .isAfter(headTime)) {
        continue;
      }
      failures.add("an answered challenge the server serves is NOT in the log (answer SHA-256 "
          + h.substring(0, 16) + "…)");
    }

    KeyManifest latest = ctx.chain().get(ctx.chain().size() - 1).manifest();
    ArrayNode table = report.facts.putArray("possession");
    List<String> flags = new ArrayList<>();
    for (ReviewerEntry e : latest.reviewers()) {
      if (!e.receivesReports() || !e.isValidAt(policy.now())) {
        continue;
      }
      String fp = e.signingKey().fingerprint().hex();
      String rcpt = e.encryptionKey().fingerprint().hex();
      Optional<Passed> mine = last(passed, fp, rcpt, true);
      Optional<Passed> any = last(passed, fp, rcpt, false);
      String state;
      if (mine.isPresent()) {
        boolean fresh = !mine.get().day().atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofDays(1))
            .plus(policy.maxAge()).isBefore(policy.now());
        state = fresh ? "proven" : "stale";
      } else {
        state = any.isPresent() ? "issuer-unknown" : "never";
      }
      ObjectNode o = table.addObject();
      o.put("alias", e.alias());
      o.put("signingKey", fp);
      o.put("encryptionKey", rcpt);
      o.put("state", state);
      o.put("lastPassedHere", mine.map(p -> p.day().toString()).orElse(null));
      o.put("lastAnsweredAny", any.map(p -> p.day().toString()).orElse(null));
      switch (state) {
        case "stale" -> flags.add(e.alias() + ": last proven " + mine.get().day() + ", longer ago than "
            + policy.maxAge().toDays() + " days");
        case "issuer-unknown" -> flags.add(e.alias() + ": answered only challenges this auditor did not issue"
            + " (last " + any.get().day() + "); issue one: audit challenge issue");
        case "never" -> flags.add(e.alias() + ": never proven to hold their key");
        default -> { }
      }
    }
    if (!failures.isEmpty()) {
      failures.addAll(flags);
      report.add("challenges", Status.FAIL, failures.size() - flags.size() + " problem(s) with the "
          + indices.size() + " challenge entries", failures);
    } else if (!flags.isEmpty()) {
      report.add("challenges", Status.WARN, indices.size() + " challenge entries verify; " + flags.size()
          + " reviewer(s) not recently proven to hold their key", flags);
    } else {
      report.add("challenges", Status.PASS, indices.size() + " challenge entries verify; every report recipient"
          + " proved within " + policy.maxAge().toDays() + " days that they can open their key");
    }
  }

  private static Optional<Passed> last(List<Passed> passed, String signing, String recipient, boolean issuedHere) {
    return passed.stream().filter(p -> p.signingKey().equals(signing) && p.recipient().equals(recipient)
        && (!issuedHere || p.issuedHere())).reduce((a, b) -> b);
  }

  private static Optional<Instant> answeredAt(byte[] answer) {
    try {
      return Optional.of(ChallengeAnswer.parse(answer).answeredAt());
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  private static boolean validOn(ReviewerEntry e, LocalDate day) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return e.notBefore().isBefore(end) && e.notAfter().isAfter(start);
  }
}

package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.testigo.api.client.ClientException;
import org.testigo.cli.audit.AuditReport.Status;
import org.testigo.cli.common.CliException;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.erasure.ErasureRules;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * Check {@code erasures} (docs/spec/retention-and-erasure.md §6): each {@code erasure} leaf has a
 * decision served by the public erasure feed with that hash, which passes
 * {@link ErasureRules#check} against the verified chain, with the report's day taken from the
 * log (the earliest submission leaf the decision lists: a report comes before its follow-ups);
 * every decision served is in the log; and a {@code submission} leaf whose envelope the server
 * no longer serves passes only if a verified decision, logged after it, lists its hash
 * ("missing without an erasure decision" otherwise). Facts: erasures by reason and basis, objects
 * erased.
 *
 * <p>Reply envelopes are not served to auditors at all, so a reply leaf cannot be checked for
 * presence; the replies a verified decision lists are counted among the objects erased.
 * {@link #run} is computed once, before the other checks, so that they can tell an erased
 * envelope ({@link Result#covers}) from a withheld one.
 */
final class ErasureCheck implements LogAudit.LeafCheck {
  private static final HexFormat HEX = HexFormat.of();
  /** The server refuses a decision dated more than this before its clock (§5). */
  static final Duration MAX_AGE = Duration.ofDays(30);
  /** The server refuses a decision dated more than this after its clock. */
  static final Duration SKEW = Duration.ofMinutes(10);
  /** Time from a decision's arrival to its leaf being in the next signed tree head, beyond skew. */
  static final Duration COMMIT_SLACK = Duration.ofMinutes(1);

  /**
   * What the erasure check found: the objects covered by verified decisions (hex) and where each
   * was logged, and the objects listed by served decisions still waiting for the next tree head.
   */
  record Result(Map<String, Long> coveredAt, Set<String> pendingObjects, List<String> failures,
      Map<String, Integer> byReason, Map<String, Integer> byBasis, int decisions, int objects, int pending,
      boolean served) {
    /** True if a verified decision logged after leaf {@code index} lists {@code objectHash}. */
    boolean covers(long index, byte[] objectHash) {
      Long at = coveredAt.get(HEX.formatHex(objectHash));
      return at != null && at > index;
    }

    /** True if a served decision not yet in the log, but recent enough to wait for the next head, lists it. */
    boolean pendingFor(byte[] objectHash) {
      return pendingObjects.contains(HEX.formatHex(objectHash));
    }
  }

  /**
   * True if a served decision dated {@code decidedAt} may be missing from a head signed at
   * {@code headTime} only because it is not sequenced yet: the server accepts decisions up to
   * {@link #MAX_AGE} old (and {@link #SKEW} ahead), so one dated {@code decidedAt} may arrive
   * until {@code decidedAt + MAX_AGE + SKEW}, and its leaf then needs {@link #COMMIT_SLACK}.
   */
  static boolean mayBePending(Instant decidedAt, Instant headTime) {
    return decidedAt.plus(MAX_AGE).plus(SKEW).plus(COMMIT_SLACK).isAfter(headTime);
  }

  /**
   * The dating rules the log itself fixes (§6): a decision is dated no later than the day after
   * its erasure leaf's day (skew), no more than 31 days before it (the server refuses decisions
   * older than 30 days). Null if they hold. (That it is not dated before its report was
   * received is {@link ErasureRules#check}'s.)
   */
  static String datingProblem(ErasureDecision d, LocalDate leafDay) {
    LocalDate decided = LocalDate.ofInstant(d.body().decidedAt(), ZoneOffset.UTC);
    if (d.body().decidedAt().isAfter(leafDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(SKEW))) {
      return "the decision is dated " + d.body().decidedAt() + ", after the day its erasure was logged ("
          + leafDay + ")";
    }
    if (decided.isBefore(leafDay.minusDays(31))) {
      return "the decision is dated " + d.body().decidedAt() + ", more than 31 days before its erasure was logged ("
          + leafDay + "); the server refuses decisions older than 30 days";
    }
    return null;
  }

  /**
   * The rule the server applies when it takes a decision (retention spec §3.2): every signer is a
   * reviewer of the manifest in force then. The log fixes that moment to its leaf's day, and it
   * is not before the decision's own date; the later of the two (the decision's date, or the
   * start of the leaf's day) is taken, so a key revoked or expired by then fails, and neither a
   * revocation later that day nor a reviewer added that day before signing is held against it.
   * Null if it holds. Without it, keys revoked since could sign a decision dated back to when
   * they were valid, and a seized server could log it (outside attack).
   */
  static String signersProblem(ErasureDecision d, List<org.testigo.crypto.manifest.SignedManifest> chain,
      LocalDate leafDay) {
    Instant dayStart = leafDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant at = d.body().decidedAt().isAfter(dayStart) ? d.body().decidedAt() : dayStart;
    try {
      ErasureRules.checkSignersAt(d, chain, at);
      return null;
    } catch (ErasureRules.Refused e) {
      return "on " + leafDay + ", the day its erasure was logged, " + e.getMessage().replace(" now ", " then ");
    }
  }

  /** Reads the feed and verifies every decision and erasure leaf. */
  static Result compute(LogAudit.Context ctx) {
    List<String> failures = new ArrayList<>();
    Optional<List<byte[]>> feed;
    try {
      feed = ctx.server().erasures();
    } catch (CliException | ClientException e) {
      LogAudit.unreachable(e);
      failures.add("the server's erasure feed is malformed: " + e.getMessage());
      feed = Optional.of(List.of());
    }
    Map<String, ErasureDecision> served = new HashMap<>();
    int n = 0;
    for (byte[] encoded : feed.orElse(List.of())) {
      n++;
      try {
        ErasureDecision d = ErasureDecision.parse(encoded);
        served.put(HEX.formatHex(d.hash()), d);
      } catch (CryptoException e) {
        failures.add("erasure feed item " + n + " is not a valid erasure decision (it does not parse, or a signature"
            + " does not verify)");
      }
    }
    Map<String, Long> submissionAt = new HashMap<>();
    Map<String, LocalDate> submissionDay = new HashMap<>();
    Map<String, Long> coveredAt = new HashMap<>();
    Map<String, Integer> byReason = new TreeMap<>();
    Map<String, Integer> byBasis = new TreeMap<>();
    java.util.Set<String> logged = new java.util.HashSet<>();
    int decisions = 0;
    int objects = 0;
    for (int i = 0; i < ctx.leaves().size(); i++) {
      LogLeaf l = ctx.leaves().get(i);
      if (l == null) {
        continue;
      }
      String h = HEX.formatHex(l.objectHash());
      if (l.type() == LogLeaf.EntryType.SUBMISSION) {
        submissionAt.putIfAbsent(h, (long) i);
        submissionDay.putIfAbsent(h, l.day());
        continue;
      }
      if (l.type() != LogLeaf.EntryType.ERASURE) {
        continue;
      }
      logged.add(h);
      ErasureDecision d = served.get(h);
      if (d == null) {
        failures.add("entry " + i + " (" + l.day() + "): erasure leaf without a served decision of that hash");
        continue;
      }
      LocalDate reportDay = null;
      for (byte[] o : d.objectHashes()) {
        LocalDate day = submissionDay.get(HEX.formatHex(o));
        if (day != null && (reportDay == null || day.isBefore(reportDay))) {
          reportDay = day;
        }
      }
      if (reportDay == null) {
        failures.add("entry " + i + ": the erasure of case " + d.caseId().hex() + " lists no submission logged"
            + " before it");
        continue;
      }
      String dating = datingProblem(d, l.day());
      if (dating != null) {
        failures.add("entry " + i + ": invalid erasure of case " + d.caseId().hex() + ": " + dating);
        continue;
      }
      try {
        ErasureRules.check(d, ctx.chain(), reportDay);
      } catch (ErasureRules.Refused e) {
        failures.add("entry " + i + ": FORGED or invalid erasure of case " + d.caseId().hex() + ": " + e.getMessage());
        continue;
      }
      String signers = signersProblem(d, ctx.chain(), l.day());
      if (signers != null) {
        failures.add("entry " + i + ": invalid erasure of case " + d.caseId().hex() + ": " + signers);
        continue;
      }
      decisions++;
      objects += d.objectHashes().size();
      byReason.merge(d.body().reason().label(), 1, Integer::sum);
      byBasis.merge(d.body().basis().label(), 1, Integer::sum);
      for (byte[] o : d.objectHashes()) {
        coveredAt.putIfAbsent(HEX.formatHex(o), (long) i);
      }
    }
    Instant headTime = Instant.ofEpochMilli(ctx.head().timestampMillis());
    Set<String> pendingObjects = new java.util.HashSet<>();
    int pending = 0;
    for (Map.Entry<String, ErasureDecision> e : served.entrySet()) {
      if (logged.contains(e.getKey())) {
        continue;
      }
      ErasureDecision d = e.getValue();
      if (mayBePending(d.body().decidedAt(), headTime)) {
        // pending only if it would verify once logged: signers, policy, report's day
        LocalDate reportDay = null;
        for (byte[] o : d.objectHashes()) {
          LocalDate day = submissionDay.get(HEX.formatHex(o));
          if (day != null && (reportDay == null || day.isBefore(reportDay))) {
            reportDay = day;
          }
        }
        String why = reportDay == null ? "it lists no submission of the log" : null;
        if (why == null) {
          try {
            ErasureRules.check(d, ctx.chain(), reportDay);
          } catch (ErasureRules.Refused r) {
            why = r.getMessage();
          }
        }
        if (why != null) {
          failures.add("the server serves an erasure decision of case " + d.caseId().hex() + ", not yet in the"
              + " log, that is FORGED or invalid: " + why);
          continue;
        }
        pending++;
        for (byte[] o : d.objectHashes()) {
          pendingObjects.add(HEX.formatHex(o));
        }
        continue;
      }
      failures.add("the server serves an erasure decision of case " + d.caseId().hex() + " (dated "
          + d.body().decidedAt() + ") that is not in the log, though the tree head is too recent for it to be"
          + " still waiting");
    }
    for (Map.Entry<String, Long> s : submissionAt.entrySet()) {
      long i = s.getValue();
      Optional<byte[]> header;
      try {
        header = ctx.server().envelopeHeader(i);
      } catch (CliException | ClientException e) {
        LogAudit.unreachable(e);
        header = Optional.empty();
      }
      if (header.isEmpty()) {
        Long at = coveredAt.get(s.getKey());
        if ((at == null || at <= i) && !pendingObjects.contains(s.getKey())) {
          failures.add("entry " + i + ": submission " + s.getKey().substring(0, 16) + "... is missing without an"
              + " erasure decision");
        }
      }
    }
    failures.sort(null);
    return new Result(coveredAt, pendingObjects, failures, byReason, byBasis, decisions, objects, pending,
        feed.isPresent());
  }

  @Override
  public void run(LogAudit.Context ctx, AuditReport report) {
    Result r = ctx.erasures();
    ObjectNode facts = report.facts.putObject("erasures");
    facts.put("decisions", r.decisions());
    facts.put("objectsErased", r.objects());
    facts.put("pendingDecisions", r.pending());
    facts.put("pendingObjects", r.pendingObjects().size());
    r.byReason().forEach(facts.putObject("byReason")::put);
    r.byBasis().forEach(facts.putObject("byBasis")::put);
    report.add("erasures", r.failures().isEmpty() ? Status.PASS : Status.FAIL, r.failures().isEmpty()
        ? (r.decisions() == 0 ? "the log holds no erasures, and every submission's envelope is served"
                + (r.pending() == 0 ? "" : " or listed by a pending erasure")
            : r.decisions() + " erasure(s) verify against the manifest in force (by reason " + r.byReason()
                + ", basis " + r.byBasis() + "), " + r.objects() + " object(s) erased; every submission not served"
                + " is covered by one" + (r.pending() == 0 ? "" : " or by a pending erasure"))
            + (r.pending() == 0 ? "" : "; " + r.pending() + " erasure decision(s) served, listing "
                + r.pendingObjects().size() + " object(s), are pending: newer than the tree head, they wait for"
                + " the next one (run the audit again then)")
        : r.failures().size() + " problem(s) with erasures or missing objects", r.failures());
  }
}

package org.testigo.cli.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.cli.audit.AuditReport.Status;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Every case-event entry of the log (docs/spec/merkle-log-and-proofs.md §5.1): the server serves a signed case
 * event whose SHA-256 is the entry's object hash, the event parses strictly, its Ed25519
 * signature verifies under its author key, and that key is a reviewer's or admin's signing
 * key in the manifest in force at the entry (logged last before it), valid at some moment of
 * the entry's day and at the event's claimed time, which lies on or next to the entry's day.
 * Conversely every event the server serves is in the log, unless it claims a time too close
 * to the signed tree head to be covered by it yet. Reads no content: the auditor holds no
 * key, and the event binds its sealed content by hash.
 */
final class CaseEventCheck implements LogAudit.LeafCheck {
  /** The server refuses events whose claimed time is further than this from its clock. */
  static final Duration CLAIM_SKEW = Duration.ofMinutes(10);
  /** Time from an event's arrival to its leaf being in the next signed tree head, beyond skew. */
  static final Duration COMMIT_SLACK = Duration.ofMinutes(1);
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public void run(LogAudit.Context ctx, AuditReport report) {
    List<Integer> indices = LoggedObjects.indicesOf(ctx.leaves(), LogLeaf.EntryType.CASE_EVENT);
    Optional<List<byte[]>> served = ctx.server().caseEvents();
    if (served.isEmpty()) {
      report.add("case-events", indices.isEmpty() ? Status.WARN : Status.FAIL, indices.isEmpty()
          ? "the server serves no case-event feed (" + ApiPaths.AUDIT_CASE_EVENTS + "): events missing from the log"
              + " cannot be detected"
          : "the log holds " + indices.size() + " case-event entries, but the server serves no case events to"
              + " check them against");
      return;
    }
    List<String> failures = new ArrayList<>();
    LoggedObjects<byte[]> logged = new LoggedObjects<>(ctx.leaves(), indices, served.get(),
        e -> HEX.formatHex(LogHashes.sha256(e)), "case event", " (altered, withheld or never stored)", failures);
    for (LoggedObjects.Match<byte[]> match : logged.matches()) {
      int i = match.index();
      LogLeaf l = match.leaf();
      byte[] encoded = match.served();
      SignedCaseEvent event;
      try {
        event = SignedCaseEvent.parse(encoded);
      } catch (CryptoException e) {
        failures.add("entry " + i + ": the served bytes are not a v1 signed case event");
        continue;
      }
      String what = "entry " + i + " (event " + event.eventId().hex().substring(0, 16) + ", " + l.day() + ")";
      if (!event.verify(event.author())) {
        failures.add(what + ": the signature does NOT verify under its author key (forged or altered)");
        continue;
      }
      Optional<KeyManifest> m = ctx.manifestBefore(i);
      if (m.isEmpty()) {
        failures.add(what + ": no manifest was in force");
        continue;
      }
      Optional<ReviewerEntry> author = writer(m.get(), event.author(), l.day(), event.createdAt());
      if (author.isEmpty()) {
        failures.add(what + ": signed by " + event.author().fingerprint().shortForm() + ", which is not a reviewer"
            + " or admin valid then in manifest " + m.get().sequence() + " (unknown, removed, expired or auditor)");
        continue;
      }
      LocalDate claimed = LocalDate.ofInstant(event.createdAt(), ZoneOffset.UTC);
      if (claimed.isBefore(l.day().minusDays(1)) || claimed.isAfter(l.day())) {
        failures.add(what + ": claims to be made on " + claimed + ", not on or just before the day it was logged");
      }
    }
    Instant headTime = Instant.ofEpochMilli(ctx.head().timestampMillis());
    int recent = 0;
    for (byte[] e : served.get()) {
      String h = HEX.formatHex(LogHashes.sha256(e));
      if (logged.isLogged(h)) {
        continue;
      }
      Optional<Instant> claimed = claimedTime(e);
      if (claimed.isPresent() && claimed.get().plus(CLAIM_SKEW).plus(COMMIT_SLACK).isAfter(headTime)) {
        recent++;
        continue;
      }
      failures.add("a case event the server serves is NOT in the log (SHA-256 " + h.substring(0, 16) + "…"
          + claimed.map(t -> ", claimed " + t).orElse(", not even a v1 event") + ")");
    }
    int checked = indices.size();
    report.add("case-events", failures.isEmpty() ? Status.PASS : Status.FAIL, failures.isEmpty()
        ? "each of the " + checked + " case-event entries is a served event whose signature verifies under a"
            + " reviewer key in force, and every served event older than the tree head is logged"
            + (recent == 0 ? "" : " (" + recent + " newer event(s) wait for the next tree head)")
        : failures.size() + " problem(s) with the " + checked + " case-event entries and "
            + served.get().size() + " served event(s)", failures);
    report.facts.put("caseEventsLogged", checked);
    report.facts.put("caseEventsServed", served.get().size());
  }

  private static Optional<Instant> claimedTime(byte[] encoded) {
    try {
      return Optional.of(SignedCaseEvent.parse(encoded).createdAt());
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  /** A reviewer or admin of {@code m} with signing key {@code key}, valid on {@code day} and at {@code at}. */
  static Optional<ReviewerEntry> writer(KeyManifest m, SigningPublicKey key, LocalDate day, Instant at) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return m.reviewers().stream().filter(e -> e.signingKey().equals(key) && e.receivesReports()
        && e.notBefore().isBefore(end) && e.notAfter().isAfter(start) && e.isValidAt(at)).findFirst();
  }
}

package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.wire.WireFields;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.erasure.ErasureRules;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * What {@code erase} and {@code sync} share (docs/spec/retention-and-erasure.md §5): the
 * verified manifest chain and the policy in force, the check of a case's objects as the server
 * lists them against what this reviewer can vouch for, and the local application of an
 * erasure (keep the statistical record, delete the case's cached envelopes and events).
 */
final class Erasures {
  /** The sync checkpoint of the erasure feed. */
  static final String ERASURES_CURSOR = "erasuresCursor";
  static final String ERASURES_PATH = ApiPaths.REVIEWER_ERASURES;
  static final int FEED_PAGE = 100;
  private static final HexFormat HEX = HexFormat.of();

  private Erasures() {}

  /** The cached manifest chain, verified from the pinned root. */
  static List<SignedManifest> chain(LocalCache cache, ServerRegistry.Server server) throws IOException {
    String armored = cache.manifest().orElseThrow(() -> new CliException(ExitCodes.USAGE,
        "no manifest cached for this server yet; run sync first"));
    try {
      List<SignedManifest> chain = SignedManifest.parseArmored(armored);
      ManifestChain.verify(chain, server.root());
      return chain;
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.CRYPTO, "the cached manifest chain does not verify from the pinned root;"
          + " run sync again");
    }
  }

  /** The retention policy of the manifest in force now; refused (exit 6) when there is none. */
  static RetentionPolicy policy(List<SignedManifest> chain, java.time.Instant now) {
    KeyManifest m = ErasureRules.inForce(chain, now);
    if (m == null || m.retentionPolicy().isEmpty()) {
      throw new CliException(ExitCodes.REFUSED, "no retention policy is in force (manifest #"
          + (m == null ? 0 : m.sequence()) + "): nothing may be erased until the custodians set one with"
          + " testigo-reviewer manifest set-retention; nothing recorded");
    }
    return m.retentionPolicy().get();
  }

  /**
   * Reads the server's list of a case's stored objects and checks it against what this
   * reviewer can vouch for: the report and every follow-up of the case in the cache (by their
   * SHA-256 as first stored), and replies named by the case's {@code reply_sent} and
   * {@code status_published} events. Any listed object that is none of these (a hostile server
   * slipping another case's envelope into the decision), and any cached submission of the case
   * that the server does not list, refuse the erasure with exit 7 naming them; nothing is
   * signed. Returns the hashes to sign, ascending.
   */
  static List<byte[]> checkedObjects(JsonNode answer, String caseId, List<LocalCache.Submission> cachedOfCase,
      CaseState full) {
    JsonNode objects = answer.get("objects");
    if (!answer.isObject() || !answer.path("caseId").isTextual() || !caseId.equals(answer.get("caseId").asText())
        || objects == null || !objects.isArray() || objects.isEmpty()
        || objects.size() > ErasureDecision.MAX_OBJECTS) {
      throw new CliException(ExitCodes.SERVER, "the server's list of the objects of case " + caseId
          + " is malformed; nothing signed");
    }
    Set<String> submissions = new HashSet<>();
    cachedOfCase.forEach(s -> submissions.add(s.sha256()));
    Set<String> replies = new HashSet<>();
    for (CaseState.HistoryEntry h : full.history()) {
      if (h.action() instanceof CaseAction.ReplySent r) {
        replies.add(r.replyHex());
      } else if (h.action() instanceof CaseAction.StatusPublished p) {
        replies.add(p.replyHex());
      }
    }
    TreeSet<String> listed = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (JsonNode o : objects) {
      String sha;
      String context;
      try {
        sha = WireFields.hex(o, "sha256", 64);
        context = o.path("context").asText("");
      } catch (WireFields.InvalidEntryException e) {
        throw new CliException(ExitCodes.SERVER, "the server's list of the objects of case " + caseId
            + " has an entry with a " + e.getMessage() + "; nothing signed");
      }
      if (!listed.add(sha)) {
        throw new CliException(ExitCodes.SERVER, "the server lists object " + sha + " twice for case " + caseId
            + "; nothing signed");
      }
      boolean vouched = switch (context) {
        case Envelope.CONTEXT_REPORT, Envelope.CONTEXT_FOLLOW_UP -> submissions.contains(sha);
        case "reply" -> replies.contains(sha);
        default -> false;
      };
      if (!vouched) {
        unknown.add(sha + " (" + (context.isEmpty() ? "no context" : Text.cell(context, 20)) + ")");
      }
    }
    if (!unknown.isEmpty()) {
      throw new CliException(ExitCodes.SERVER, "the server lists " + unknown.size() + " object(s) for case " + caseId
          + " that are neither its report or follow-ups in your cache nor replies recorded in its events: "
          + String.join(", ", unknown.subList(0, Math.min(5, unknown.size())))
          + "; an erasure decision listing them could cover the deletion of other evidence, so nothing was"
          + " signed. Run sync and try again; if it persists, report the server to the other reviewers");
    }
    List<String> notListed = submissions.stream().filter(s -> !listed.contains(s)).sorted().toList();
    if (!notListed.isEmpty()) {
      throw new CliException(ExitCodes.SERVER, "the server does not list " + notListed.size() + " envelope(s) of"
          + " case " + caseId + " that your cache holds (" + String.join(", ", notListed.subList(0,
              Math.min(5, notListed.size()))) + "); nothing signed");
    }
    List<byte[]> out = new ArrayList<>();
    listed.forEach(h -> out.add(HEX.parseHex(h)));
    return out;
  }

  /** The cached submissions (report and follow-ups) of a case. */
  static List<LocalCache.Submission> cachedOfCase(LocalCache cache, String caseId) throws IOException {
    return cache.submissions().stream().filter(s -> caseId.equals(s.caseId())).toList();
  }

  /**
   * Checks that the event a decision names as its statistical record ({@code record_event}) is
   * the case's {@code erasure} event with the decision's reason and basis
   * (docs/spec/retention-and-erasure.md §5): the server keeps that event's sealed content, so a
   * decision naming a note or any other event keeps that content on the server after the
   * erasure. {@code found} says whether the event is among the case's events this reviewer
   * holds, {@code action} its opened content (null if it does not open). Null if it is right,
   * else a warning for people.
   */
  static String recordEventProblem(ErasureDecision d, boolean found, CaseAction action) {
    if (!found) {
      return "the decision's statistical record event " + d.body().recordEvent().hex().substring(0, 16)
          + "... is not among the events of case " + d.caseId().hex() + " that you hold: if it is not the case's"
          + " erasure event, its sealed content was NOT erased on the server; tell the other reviewers";
    }
    if (action == null) {
      return "the decision's statistical record event of case " + d.caseId().hex() + " does not open with your"
          + " key, so you cannot tell whether it is the case's erasure event; if it is not, its sealed content was"
          + " NOT erased on the server; tell the other reviewers";
    }
    if (!(action instanceof CaseAction.Erasure e)) {
      return "the decision names a " + action.type() + " event as its statistical record: its sealed content was"
          + " NOT erased on the server; tell the other reviewers";
    }
    if (!e.reason().equals(d.body().reason().label()) || !e.basis().equals(d.body().basis().label())) {
      return "the decision names an erasure event with another reason or basis (" + e.reason() + ", " + e.basis()
          + ") than its own (" + d.body().reason().label() + ", " + d.body().basis().label() + ") as its"
          + " statistical record: statistics will count the event's; tell the other reviewers";
    }
    return null;
  }

  /** What applying an erasure locally did. */
  record Applied(int envelopes, int events, boolean recordKept, boolean recordFromEvent) {}

  /**
   * Applies a verified erasure decision to this reviewer's cache: keeps the statistical record
   * (from the decision's {@code erasure} event when this reviewer can open it, else built from
   * the cache before anything is deleted), then deletes the case's cached envelopes that the
   * decision lists (with their listing files) and the case's cached events. Idempotent.
   */
  static Applied apply(Path home, String serverName, LocalCache cache, ServerRegistry.Server server,
      ReviewerIdentity identity, ErasureDecision d, PrintWriter err) throws IOException {
    Applied a = apply(home, serverName, cache, server, identity, d, err,
        ReportIndex.current(home, cache, serverName, server, identity, err));
    ReportIndex.current(home, cache, serverName, server, identity, err);
    return a;
  }

  /**
   * As {@link #apply(Path, String, LocalCache, ServerRegistry.Server, ReviewerIdentity, ErasureDecision,
   * PrintWriter)}, reading the case from {@code index} (current when the pass began: a pass over
   * many decisions reads the index once, not three times per case) and leaving the index to be
   * brought up to date by the caller once the pass is over.
   */
  static Applied apply(Path home, String serverName, LocalCache cache, ServerRegistry.Server server,
      ReviewerIdentity identity, ErasureDecision d, PrintWriter err, ReportIndex index) throws IOException {
    String caseId = d.caseId().hex();
    String decisionHex = HEX.formatHex(d.hash());
    ErasedRecords records = ErasedRecords.load(home, serverName, identity, err);
    boolean fromEvent = false;
    boolean kept = records.has(decisionHex);
    List<Long> seqs = index.eventSeqs(caseId);
    CaseLog log = seqs.isEmpty() ? null : CaseLog.load(cache, server, identity, seqs);
    // checked also when this reviewer holds none of the case's events: the case's erasure event,
    // which a decision must name, is then missing too (an outside attack saw no warning)
    boolean found = false;
    CaseAction action = null;
    for (OpenedCaseEvent o : log == null ? List.<OpenedCaseEvent>of() : log.opened.getOrDefault(d.caseId(), List.of())) {
      if (o.event().eventId().equals(d.body().recordEvent())) {
        found = true;
        action = o.action();
      }
    }
    String problem = recordEventProblem(d, found, action);
    if (problem != null) {
      err.println("testigo-reviewer: warning: erasure of case " + caseId + ": " + problem);
    }
    if (!kept) {
      StatsRecord record = null;
      if (log != null) {
        for (OpenedCaseEvent o : log.opened.getOrDefault(d.caseId(), List.of())) {
          if (o.event().eventId().equals(d.body().recordEvent()) && o.action() instanceof CaseAction.Erasure e) {
            record = e.record();
            fromEvent = true;
          }
        }
      }
      // only while the report is still cached: the index of a pass is the one before it, and a
      // second valid decision for a case erased earlier in the pass (other signers: another hash)
      // must not count the case again (outside attack: a seized server listed four)
      // and only by a decision that erases it (one whose list leaves the report out deletes
      // nothing of it and must not count it either: third outside attack)
      ReportIndex.Entry report = erasesCachedReport(cache, caseId, d) ? index.entries.get(caseId) : null;
      if (record == null && report != null && report.isReport() && report.kind() != ReportIndex.Kind.UNREADABLE
          && report.kind() != ReportIndex.Kind.INVALID) {
        record = StatsRecord.of(index.state(report), report, LocalDate.now(Clock.systemUTC()));
      }
      if (record != null) {
        records.put(decisionHex, record);
        records.save(identity);
        kept = true;
      } else {
        err.println("testigo-reviewer: warning: no statistical record of erased case " + caseId + " could be kept"
            + " (its erasure event does not open with your key and its report is not in your cache): statistics"
            + " will not count it");
      }
    }
    Set<String> listed = new HashSet<>();
    d.objectHashes().forEach(h -> listed.add(HEX.formatHex(h)));
    int envelopes = 0;
    for (LocalCache.Submission s : cachedOfCase(cache, caseId)) {
      if (listed.contains(s.sha256())) {
        Files.deleteIfExists(cache.envelope(s.id()));
        Files.deleteIfExists(cache.directory().resolve("submissions").resolve(s.id() + ".json"));
        envelopes++;
      } else {
        err.println("testigo-reviewer: warning: cached submission " + s.id() + " of erased case " + caseId
            + " is not listed by the erasure decision; it is kept");
      }
    }
    int events = 0;
    for (long seq : seqs) {
      if (Files.deleteIfExists(cache.directory().resolve("events").resolve(seq + ".json"))) {
        events++;
      }
    }
    // and the case's events that did not verify: a hostile server could otherwise keep sealed
    // content of an erased case on this disk by serving it under a bad signature (outside attack)
    for (long seq : index.refusedSeqs()) {
      Path file = cache.directory().resolve("events").resolve(seq + ".json");
      if (claimsCase(file, d.caseId()) && Files.deleteIfExists(file)) {
        events++;
      }
    }
    return new Applied(envelopes, events, kept, fromEvent);
  }

  /**
   * Whether a cached event that did not verify belongs to {@code caseId} by the server's listing
   * ({@code caseId}) or by the case the event itself names. An unreadable file belongs to none.
   */
  static boolean claimsCase(Path eventFile, CaseId caseId) {
    // streamed: the sealed content (up to 16 MiB) is skipped, never held
    try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory()
        .createParser(eventFile.toFile())) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        p.nextToken();
        if ("caseId".equals(name) && caseId.hex().equals(p.getValueAsString())) {
          return true;
        }
        if ("event".equals(name) && p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
            && p.getTextLength() <= 4096) {
          try {
            if (org.testigo.crypto.event.SignedCaseEvent.parse(Base64.getDecoder().decode(p.getText()))
                .caseId().equals(caseId)) {
              return true;
            }
          } catch (CryptoException | IllegalArgumentException e) {
            // not an event: its listing's case alone says
          }
        }
        p.skipChildren();
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether the case's report is cached here and {@code d} lists it among the objects it erases. */
  private static boolean erasesCachedReport(LocalCache cache, String caseId, ErasureDecision d) throws IOException {
    Optional<LocalCache.Submission> report = cache.byId(caseId);
    return report.isPresent() && cache.hasEnvelope(caseId)
        && d.objectHashes().stream().anyMatch(h -> HEX.formatHex(h).equals(report.get().sha256()));
  }

  /** What a pass over the erasure feed did: {@code applied} cases erased here (not decisions). */
  record Synced(int applied, int refused, int envelopes) {}

  /**
   * Reads the erasure feed from its checkpoint and applies each decision that verifies
   * ({@link ErasureRules#check} against the verified chain, with the report's day as this
   * cache's listing gives it). A case the local replay says is under legal hold keeps its cached
   * copy, with a warning (the hold says the evidence must be preserved); so does a case that a
   * decision by policy names and the replay says was not yet due, and one whose decision is dated
   * in the future or signed by a key that is no longer a reviewer's. A decision that does not
   * parse or verify is reported and nothing of the case is deleted here. The cursor
   * moves once per page. Cases are read from {@code index}, current when the pass began; the
   * caller brings it up to date afterwards when anything was applied.
   */
  static Synced sync(Path home, String serverName, LocalCache cache, ServerRegistry.Server server,
      ReviewerIdentity identity, org.testigo.api.client.ReviewerApiClient client, PrintWriter out, PrintWriter err,
      ReportIndex index) throws IOException {
    List<SignedManifest> chain = chain(cache, server);
    // cases, not decisions: two decisions that each delete part of one case count it once
    Set<String> erasedCases = new HashSet<>();
    int refused = 0;
    int envelopes = 0;
    boolean more = true;
    while (more) {
      long cursor = cache.cursor(ERASURES_CURSOR);
      JsonNode page;
      try {
        page = client.getJson(ApiPaths.page(ERASURES_PATH, cursor, FEED_PAGE), Bounded.PAGE_JSON_BYTES);
      } catch (org.testigo.api.client.ClientException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("not found on the server")) {
          return new Synced(0, 0, 0); // a server from before erasures (issue #21) has no erasure feed
        }
        throw e;
      }
      JsonNode items = page.get("items");
      JsonNode moreNode = page.get("more");
      if (!page.isObject() || items == null || !items.isArray() || items.size() > FEED_PAGE
          || moreNode != null && !moreNode.isBoolean()) {
        throw new CliException(ExitCodes.SERVER, "the server's erasure list is malformed");
      }
      more = moreNode != null && moreNode.asBoolean();
      for (JsonNode item : items) {
        long seq;
        ErasureDecision d;
        try {
          seq = WireFields.positiveLong(item, "seq");
          if (seq <= cursor) {
            throw new CliException(ExitCodes.SERVER, "the server's erasure list is out of order");
          }
          cursor = seq;
          d = ErasureDecision.parse(Base64.getDecoder().decode(item.path("decision").asText("")));
        } catch (WireFields.InvalidEntryException | CryptoException | IllegalArgumentException e) {
          refused++;
          err.println("testigo-reviewer: warning: skipped an erasure entry from the server that does not parse"
              + " or verify; nothing deleted for it");
          continue;
        }
        String caseId = d.caseId().hex();
        if (!caseId.equals(item.path("caseId").asText())) {
          refused++;
          err.println("testigo-reviewer: warning: the server lists erasure " + seq + " under another case than its"
              + " decision names; nothing deleted for it");
          continue;
        }
        LocalCache.Submission report = cache.byId(caseId).orElse(null);
        try {
          ErasureRules.check(d, chain, report == null ? null : report.day());
        } catch (ErasureRules.Refused e) {
          refused++;
          err.println("testigo-reviewer: warning: the server applied an erasure of case " + caseId + " whose"
              + " decision does not verify (" + e.getMessage() + "); your cached copy is kept. Tell the other"
              + " reviewers and an auditor");
          continue;
        }
        try {
          // as the server (retention §3.2): every signer must still be a reviewer now. A decision
          // is dated by its signers, so keys revoked or expired since could otherwise sign one
          // back-dated to when they were valid, and a seized server would serve it (outside attack)
          ErasureRules.checkSignersAt(d, chain, java.time.Instant.now());
        } catch (ErasureRules.Refused e) {
          refused++;
          err.println("testigo-reviewer: warning: the server applied an erasure of case " + caseId + " signed by a key"
              + " that is no longer a reviewer's (" + e.getMessage() + "); your cached copy is KEPT, since such keys"
              + " can sign a decision dated back to when they were valid. If the erasure was decided before that"
              + " key was revoked, its other reviewers can confirm it with you; tell them and an auditor");
          continue;
        }
        if (d.body().decidedAt().isAfter(java.time.Instant.now().plus(MAX_AHEAD))) {
          // the server refuses these (retention §3.2); a future date would make a policy day
          // that has not come yet look passed (outside attack: one signature erased a new case)
          refused++;
          err.println("testigo-reviewer: warning: the server applied an erasure of case " + caseId + " dated "
              + d.body().decidedAt() + ", in the future; your cached copy is KEPT (if this computer's clock is"
              + " behind, set it right and run sync --rescan to check the decision again). Signed by "
              + d.signers().stream().map(k -> k.fingerprint().shortForm()).toList() + ": tell the other reviewers"
              + " and an auditor");
          continue;
        }
        String keep = report == null ? null : keepReason(cache, server, identity, d, report, chain, index);
        if (keep != null) {
          refused++;
          err.println("testigo-reviewer: warning: the server erased case " + caseId + ", " + keep + " Signed by "
              + d.signers().stream().map(k -> k.fingerprint().shortForm()).toList() + ": tell the other reviewers"
              + " and an auditor");
          continue;
        }
        Applied a = apply(home, serverName, cache, server, identity, d, err, index);
        if (a.envelopes() > 0 || a.events() > 0) {
          erasedCases.add(caseId);
          envelopes += a.envelopes();
          out.println("erased case " + caseId.substring(0, 12) + "… (" + d.body().reason().label() + ", "
              + d.body().basis().label() + "): " + a.envelopes() + " cached envelope(s) and " + a.events()
              + " event(s) deleted" + (a.recordKept() ? "; its statistical record is kept" : ""));
        }
      }
      if (cursor > cache.cursor(ERASURES_CURSOR)) {
        cache.setCursor(ERASURES_CURSOR, cursor);
      }
      if (more && items.isEmpty()) {
        throw new CliException(ExitCodes.SERVER, "the server's erasure list says more but gave none");
      }
    }
    if (!erasedCases.isEmpty()) {
      out.println(FOLDERS);
    }
    return new Synced(erasedCases.size(), refused, envelopes);
  }

  /** What the tool says whenever it erases: it cannot reach what was written out before. */
  static final String FOLDERS = "Folders written earlier by 'files' or 'export' for erased cases are yours to delete:"
      + " this tool does not track them (look in the folders you gave to --out).";

  /** How far ahead of this machine's clock a decision may be dated, as the server allows (retention §3.2). */
  static final java.time.Duration MAX_AHEAD = java.time.Duration.ofMinutes(10);

  /**
   * Why this reviewer keeps its cached copy of a case the server erased, or null to apply the
   * decision: the replay says the case is under legal hold (the evidence must be preserved), or
   * the decision claims the policy made it due and the replay says it was not (one reviewer's
   * signature suffices for a policy erasure, so a rogue or coerced one could otherwise erase an
   * open case everywhere; outside attack).
   */
  private static String keepReason(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity identity,
      ErasureDecision d, LocalCache.Submission report, List<SignedManifest> chain, ReportIndex index)
      throws IOException {
    KeyManifest m = ErasureRules.inForce(chain, d.body().decidedAt());
    if (m == null || m.retentionPolicy().isEmpty()) {
      return null;
    }
    ReportIndex.Entry e = index.entries.get(report.id());
    if (e == null) {
      return null;
    }
    CaseLog log = CaseLog.load(cache, server, identity, index.eventSeqs(report.id()));
    CaseState st = log.state(report.id(), report.day());
    if (st.held()) {
      return "which your replay says is under legal hold; your cached copy is KEPT (a hold means the evidence must"
          + " be preserved); tell also whoever ordered the hold.";
    }
    if (d.body().basis() != ErasureDecision.Basis.POLICY) {
      return null;
    }
    Retention.Due due = Retention.due(m.retentionPolicy().get(), st, e.kind() == ReportIndex.Kind.MALFORMED);
    LocalDate decided = LocalDate.ofInstant(d.body().decidedAt(), java.time.ZoneOffset.UTC);
    if (!due.dueBy(decided)) {
      return "by a decision that says the policy made it due, but your replay of its events says it was not due on "
          + decided + " (" + due.why() + (due.day() == null ? "" : "; due on " + due.day()) + "); your cached copy"
          + " is KEPT. If an event that closed the case has not reached you yet, run sync --rescan once it has, to"
          + " check the decision again; otherwise an erasure before its time needs more signatures: ask the signers.";
    }
    return null;
  }

  static CaseId caseIdOf(String hex) {
    return CaseId.fromHex(hex);
  }
}

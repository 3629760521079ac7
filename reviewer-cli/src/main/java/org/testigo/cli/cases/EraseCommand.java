package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.testigo.api.client.ClientException;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.erasure.ErasureRules;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.manifest.SignedManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code erase}: a signed erasure decision (docs/spec/retention-and-erasure.md §2, §5).
 *
 * <p>For each case: refuses a case under legal hold, and one the retention policy in force
 * does not make due today unless {@code --early}; records the {@code erasure} case event that
 * carries the statistical record; reads the case's stored objects from the server and checks
 * them against the cache ({@link Erasures#checkedObjects}); signs the decision; posts it when
 * it has the signatures the policy needs ({@link ErasureRules#signaturesNeeded}), else writes
 * it armored to a file that the other reviewers co-sign with {@code erase --cosign FILE}. A
 * posted decision is applied to the cache at once, as {@code sync} would.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = {"Erase cases: a decision signed by reviewers that the server checks and applies (the case's"
        + " envelopes, replies and event contents are deleted; an erasure leaf is logged) and that every"
        + " reviewer's sync applies to their cache. Only a statistical record without free text survives.",
        "erase ID... --reason R [--early] [--dry-run]; erase --due [--dry-run] for every case the retention policy"
            + " makes due today; erase --cosign FILE to add your signature to a decision that needs several."})
public final class EraseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Parameters(arity = "0..*", paramLabel = "ID", description = "Report ids (or unique prefixes of 4+ characters).")
  List<String> ids = new ArrayList<>();
  @Option(names = "--reason", paramLabel = "R", description = "retention-due, spam, source-request (the source asked;"
      + " needs the policy's early signatures), duplicate or other.")
  String reason;
  @Option(names = "--early", description = "Erase before the retention policy makes the case due (needs the"
      + " policy's early_signatures distinct reviewers: the others co-sign with erase --cosign FILE).")
  boolean early;
  @Option(names = "--due", description = "Every case the retention policy makes due today (one signature each;"
      + " spam needs the policy's early signatures, co-signed with --cosign).")
  boolean due;
  @Option(names = "--dry-run", description = "List what would be erased, with due dates; record and send nothing.")
  boolean dryRun;
  @Option(names = "--cosign", paramLabel = "FILE", description = "Co-sign the armored decision in FILE (written by"
      + " another reviewer's erase); posted when it then has enough signatures, else written to a new file.")
  Path cosign;
  @Option(names = "--out", paramLabel = "DIR", description = "Where to write decisions that need more signatures"
      + " (default: the current directory); existing files are never overwritten.")
  Path out = Path.of(".");

  private static final HexFormat HEX = HexFormat.of();

  /** One case to erase: its report, replayed state, due date and the decision's reason and basis. */
  record Plan(LocalCache.Submission report, ReportIndex.Entry entry, CaseState state, Retention.Due due,
      ErasureDecision.Reason reason, ErasureDecision.Basis basis) {}

  @Override
  public Integer call() throws IOException, CryptoException {
    int modes = (cosign != null ? 1 : 0) + (due ? 1 : 0) + (!ids.isEmpty() ? 1 : 0);
    if (modes != 1) {
      throw new CliException(ExitCodes.USAGE, "give case IDs with --reason, or --due, or --cosign FILE");
    }
    if (cosign != null && (reason != null || early || dryRun)) {
      throw new CliException(ExitCodes.USAGE, "--cosign takes no --reason, --early or --dry-run: the decision"
          + " in the file says them");
    }
    if (due && (reason != null || early)) {
      throw new CliException(ExitCodes.USAGE, "--due erases by the policy: it takes no --reason or --early");
    }
    ErasureDecision.Reason why = null;
    if (!ids.isEmpty()) {
      if (reason == null) {
        throw new CliException(ExitCodes.USAGE, "give --reason: retention-due, spam, source-request, duplicate or"
            + " other");
      }
      try {
        why = ErasureDecision.Reason.ofLabel(reason.strip().toLowerCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--reason must be retention-due, spam, source-request, duplicate"
            + " or other");
      }
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      SyncCommand.syncManifest(s);
      CaseLog.sync(s.client, s.cache, err);
      if (cosign != null) {
        return cosign(s, o, err);
      }
      Instant now = Instant.now();
      LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
      List<SignedManifest> chain = Erasures.chain(s.cache, s.server);
      RetentionPolicy policy = Erasures.policy(chain, now);
      ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
      List<Plan> plans = due ? duePlans(s, index, policy, today) : plans(s, index, policy, today, why);
      if (dryRun) {
        for (Plan p : plans) {
          o.println("would erase " + p.report().id() + "  received " + p.report().receivedDay() + "  "
              + (p.due().day() == null ? "never due (" + p.due().why() + ")" : "due " + p.due().day()
                  + " (" + p.due().why() + ")") + "  reason " + p.reason().label() + ", " + p.basis().label());
        }
        o.println(plans.size() + " case(s) would be erased (dry run: nothing recorded or sent)");
        return ExitCodes.OK;
      }
      int posted = 0;
      int pending = 0;
      int refused = 0;
      try (ProgressBar bar = ProgressBars.of("erase", plans.size())) {
        for (Plan p : plans) {
          try {
            if (erase(s, p, chain, policy, now, o, err)) {
              posted++;
            } else {
              pending++;
            }
          } catch (CliException | ClientException e) {
            if (plans.size() == 1) {
              throw e;
            }
            refused++;
            err.println("testigo-reviewer: " + p.report().id() + " not erased: " + e.getMessage());
          }
          bar.step();
        }
      }
      o.println("Erased " + posted + " case(s)" + (pending > 0 ? "; " + pending + " decision(s) wait for more"
          + " signatures (see above)" : "") + (refused > 0 ? "; " + refused + " refused (see above)" : ""));
      if (posted > 0) {
        o.println(Erasures.FOLDERS);
      }
      return refused > 0 ? ExitCodes.REFUSED : ExitCodes.OK;
    }
  }

  /** The plans of the named cases; a held case, or one not due without --early, is refused. */
  private List<Plan> plans(RemoteSession s, ReportIndex index, RetentionPolicy policy, LocalDate today,
      ErasureDecision.Reason why) throws IOException {
    List<Plan> out = new ArrayList<>();
    for (String id : ids) {
      LocalCache.Submission report = TriageCommands.report(s.cache, id);
      ReportIndex.Entry entry = index.entries.get(report.id());
      CaseLog log = CaseLog.load(s.cache, s.server, s.identity, index.eventSeqs(report.id()));
      CaseState st = log.state(report.id(), report.day());
      Retention.Due d = Retention.due(policy, st, entry != null && entry.kind() == ReportIndex.Kind.MALFORMED);
      if (st.held()) {
        throw new CliException(ExitCodes.REFUSED, "case " + report.id() + " is under legal hold ("
            + Text.cell(st.legalHold(), 80) + "); it is never erased while held. If the order no longer applies,"
            + " release it first: testigo-reviewer hold " + report.id() + " --release; nothing recorded");
      }
      boolean dueNow = d.dueBy(today);
      if (!dueNow && !early) {
        throw new CliException(ExitCodes.REFUSED, "case " + report.id() + " is not due for erasure: "
            + (d.day() == null ? d.why() : "the retention policy makes it due on " + d.day() + " (" + d.why() + ")")
            + ". Wait" + (d.day() == null ? "" : " until then") + ", or erase it early with --early, which needs "
            + policy.earlySignatures() + " reviewers' signatures; nothing recorded");
      }
      // by policy only where ErasureRules accepts the day for this reason (spec §2.1 rule 4)
      boolean byPolicy = dueNow && why != ErasureDecision.Reason.SOURCE_REQUEST
          && !d.day().isBefore(why == ErasureDecision.Reason.SPAM ? policy.dueAsSpam(report.day())
              : report.day().plusDays(policy.closedDays()));
      out.add(new Plan(report, entry, st, d, why, byPolicy ? ErasureDecision.Basis.POLICY
          : ErasureDecision.Basis.EARLY));
    }
    return out;
  }

  /** Every report case the policy makes due today and that is not held. */
  private List<Plan> duePlans(RemoteSession s, ReportIndex index, RetentionPolicy policy, LocalDate today)
      throws IOException {
    List<Plan> out = new ArrayList<>();
    for (ReportIndex.Entry e : index.sortedEntries()) {
      if (!e.isReport() || e.kind() == ReportIndex.Kind.INVALID) {
        continue;
      }
      CaseState summary = index.state(e);
      Retention.Due d = Retention.due(policy, summary, e.kind() == ReportIndex.Kind.MALFORMED);
      if (!d.dueBy(today)) {
        continue;
      }
      LocalCache.Submission report = s.cache.byId(e.id()).orElse(null);
      if (report == null) {
        continue;
      }
      CaseLog log = CaseLog.load(s.cache, s.server, s.identity, index.eventSeqs(e.id()));
      CaseState st = log.state(e.id(), report.day());
      Retention.Due full = Retention.due(policy, st, e.kind() == ReportIndex.Kind.MALFORMED);
      if (full.dueBy(today)) {
        out.add(new Plan(report, e, st, full, full.reason(), ErasureDecision.Basis.POLICY));
      }
    }
    return out;
  }

  /** Records the erasure event, checks the objects, signs; true if posted (and applied), false if written out. */
  private boolean erase(RemoteSession s, Plan p, List<SignedManifest> chain, RetentionPolicy policy, Instant now,
      PrintWriter o, PrintWriter err) throws IOException {
    String caseId = p.report().id();
    ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
    ReportIndex.Entry entry = index.entries.get(caseId);
    if (entry == null || entry.kind() == ReportIndex.Kind.UNREADABLE || entry.kind() == ReportIndex.Kind.INVALID) {
      throw new CliException(ExitCodes.REFUSED, "case " + caseId + " does not open with your key, so no statistical"
          + " record can be made of it; ask a reviewer who can read it; nothing recorded");
    }
    List<LocalCache.Submission> cached = Erasures.cachedOfCase(s.cache, caseId);
    JsonNode answer = s.client.getJson(org.testigo.api.ApiPaths.reviewerCaseObjects(caseId));
    List<byte[]> hashes = Erasures.checkedObjects(answer, caseId, cached, p.state());
    StatsRecord record = StatsRecord.of(index.state(entry), entry, LocalDate.ofInstant(now, java.time.ZoneOffset.UTC));
    CaseAction.Erasure action = new CaseAction.Erasure(p.reason().label(), p.basis().label(), record);
    CaseLog log = CaseLog.load(s.cache, s.server, s.identity, index.eventSeqs(caseId));
    TriageCommands.Posted event = TriageCommands.record(s, log, p.report(), action);
    CaseLog.sync(s.client, s.cache, err);
    ErasureDecision.Body body = new ErasureDecision.Body(CaseId.fromHex(caseId), p.reason(), p.basis(), now,
        p.basis() == ErasureDecision.Basis.POLICY ? p.due().day() : null,
        org.testigo.crypto.event.EventId.fromHex(event.eventHex()), hashes);
    ErasureDecision d = ErasureDecision.sign(body, s.identity.signingKey());
    return postOrWrite(s, d, chain, policy, o, err);
  }

  /** Posts {@code d} if it has the signatures it needs (applying it to the cache), else writes it out. */
  private boolean postOrWrite(RemoteSession s, ErasureDecision d, List<SignedManifest> chain, RetentionPolicy policy,
      PrintWriter o, PrintWriter err) throws IOException {
    String caseId = d.caseId().hex();
    int needed = ErasureRules.signaturesNeeded(policy, d.body());
    if (d.signers().size() < needed) {
      Path file = out.resolve("erasure-" + caseId.substring(0, 12) + "-" + d.signers().size() + "of" + needed
          + ".txt");
      try {
        Files.createDirectories(out);
        Files.writeString(file, d.toArmored(), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new CliException(ExitCodes.REFUSED, file + " already exists; not overwritten. Give another --out");
      }
      o.println("Signed the erasure of case " + caseId + " (" + d.body().reason().label() + ", "
          + d.body().basis().label() + "); it needs " + needed + " reviewers' signatures and has " + d.signers().size()
          + ". Written to " + file + ": give it to " + (needed - d.signers().size()) + " other reviewer(s), each to"
          + " run: testigo-reviewer erase --cosign " + file.getFileName());
      return false;
    }
    LocalCache.Submission report = s.cache.byId(caseId).orElse(null);
    try {
      ErasureRules.check(d, chain, report == null ? null : report.day());
    } catch (ErasureRules.Refused e) {
      throw new CliException(ExitCodes.REFUSED, "the erasure of case " + caseId + " breaks a rule: " + e.getMessage()
          + "; nothing sent");
    }
    JsonNode answer;
    try {
      answer = s.client.post(Erasures.ERASURES_PATH, d.encoded());
    } catch (ClientException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      if (m.startsWith("the server has this already")) {
        throw new ClientException(ClientException.Kind.SERVER, "the server refused the erasure of case " + caseId
            + " (409): the objects listed are not exactly the case's stored envelopes (a follow-up may have arrived:"
            + " run sync and erase again), no retention policy is in force on the server, the case was erased by"
            + " another decision, or its erasure event is not stored; nothing was deleted");
      }
      if (m.startsWith("your role in the manifest")) {
        throw new ClientException(ClientException.Kind.SERVER, "the server refused the signatures of the erasure of"
            + " case " + caseId + " (403): a signer is not a reviewer of the manifest in force, or there are too few;"
            + " nothing was deleted");
      }
      throw e;
    }
    if (!HEX.formatHex(d.hash()).equals(answer.path("decision").asText())) {
      throw new CliException(ExitCodes.SERVER, "the server's answer names another decision than the one sent");
    }
    Erasures.Applied a = Erasures.apply(home.home(), home.serverName(), s.cache, s.server, s.identity, d, err);
    o.println("Erased case " + caseId + " (" + d.body().reason().label() + ", " + d.body().basis().label() + "): the"
        + " server deleted " + answer.path("erasedObjects").asInt() + " object(s); " + a.envelopes()
        + " cached envelope(s) and " + a.events() + " event(s) deleted here"
        + (a.recordKept() ? "; its statistical record is kept" : ""));
    return true;
  }

  /**
   * Co-signs a decision written by another reviewer after checking it as this reviewer: it
   * parses and its signatures verify, this key has not signed it, the case is in the cache and
   * not under hold, its {@code erasure} event is one of the case's verified events with the same
   * reason and basis, and the server's list of the case's objects is what the decision lists and
   * what this cache vouches for.
   */
  private int cosign(RemoteSession s, PrintWriter o, PrintWriter err) throws IOException {
    ErasureDecision d;
    try {
      d = ErasureDecision.parseArmored(Files.readString(cosign, StandardCharsets.US_ASCII));
    } catch (CryptoException | java.nio.charset.MalformedInputException e) {
      throw new CliException(ExitCodes.CRYPTO, cosign + " is not an erasure decision whose signatures verify;"
          + " nothing signed");
    }
    if (d.signers().contains(s.identity.signingKey().publicKey())) {
      throw new CliException(ExitCodes.REFUSED, "you have already signed this decision; another reviewer must"
          + " co-sign it");
    }
    String caseId = d.caseId().hex();
    Instant now = Instant.now();
    List<SignedManifest> chain = Erasures.chain(s.cache, s.server);
    RetentionPolicy policy = Erasures.policy(chain, now);
    LocalCache.Submission report = s.cache.byId(caseId).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT,
        "case " + caseId + " of this decision is not in your cache; run sync first"));
    ReportIndex index = ReportIndex.current(home.home(), s.cache, home.serverName(), s.server, s.identity, err);
    CaseLog log = CaseLog.load(s.cache, s.server, s.identity, index.eventSeqs(caseId));
    CaseState st = log.state(caseId, report.day());
    if (st.held()) {
      throw new CliException(ExitCodes.REFUSED, "case " + caseId + " is under legal hold ("
          + Text.cell(st.legalHold(), 80) + "); not co-signed");
    }
    var named = st.history().stream().filter(h -> h.eventId().equals(d.body().recordEvent())).findFirst();
    String problem = Erasures.recordEventProblem(d, named.isPresent(), named.map(h -> h.action()).orElse(null));
    if (problem != null) {
      throw new CliException(ExitCodes.REFUSED, problem + "; not co-signed");
    }
    if (d.body().basis() == ErasureDecision.Basis.POLICY) {
      ReportIndex.Entry e = index.entries.get(caseId);
      Retention.Due due = Retention.due(policy, st, e != null && e.kind() == ReportIndex.Kind.MALFORMED);
      if (!due.dueBy(LocalDate.ofInstant(d.body().decidedAt(), java.time.ZoneOffset.UTC))) {
        throw new CliException(ExitCodes.REFUSED, "the decision says the policy made case " + caseId + " due, but"
            + " your replay says " + (due.day() == null ? due.why() : "it is due on " + due.day()) + "; not co-signed");
      }
    }
    JsonNode answer = s.client.getJson(org.testigo.api.ApiPaths.reviewerCaseObjects(caseId));
    List<byte[]> hashes = Erasures.checkedObjects(answer, caseId, Erasures.cachedOfCase(s.cache, caseId), st);
    List<String> mine = hashes.stream().map(HEX::formatHex).toList();
    List<String> theirs = d.objectHashes().stream().map(HEX::formatHex).toList();
    if (!mine.equals(theirs)) {
      throw new CliException(ExitCodes.REFUSED, "the decision lists other objects (" + theirs.size() + ") than the"
          + " server now stores for case " + caseId + " (" + mine.size() + "); a follow-up may have arrived since."
          + " Ask for a new decision: testigo-reviewer erase " + caseId.substring(0, 12) + " ...; not co-signed");
    }
    ErasureDecision signed = d.cosign(s.identity.signingKey());
    o.println("Co-signed the erasure of case " + caseId + " (" + signed.body().reason().label() + ", "
        + signed.body().basis().label() + "), decided " + signed.body().decidedAt());
    boolean posted = postOrWrite(s, signed, chain, policy, o, err);
    if (posted) {
      o.println(Erasures.FOLDERS);
    }
    return ExitCodes.OK;
  }
}

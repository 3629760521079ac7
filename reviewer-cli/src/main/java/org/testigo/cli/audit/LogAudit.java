package org.testigo.cli.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.testigo.api.client.ClientException;
import org.testigo.cli.audit.AuditReport.Status;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.MerkleVerifier;
import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * The auditor's checks of one Testigo server, from its public endpoints and a pinned root
 * fingerprint (docs/spec/merkle-log-and-proofs.md, "Audit"). Needs no reviewer key and reads no content.
 *
 * <p>Extension point: per-entry checks implement {@link LeafCheck} and are listed in
 * {@link #leafChecks()}: the recipients of submissions, the signatures and authors of case
 * events ({@link CaseEventCheck}), possession challenges ({@link ChallengeCheck};
 * docs/spec/merkle-log-and-proofs.md §5.1) and erasures ({@link ErasureCheck}, computed first so
 * that the others tell an erased envelope from a withheld one).
 */
final class LogAudit {
  private static final HexFormat HEX = HexFormat.of();

  /** Everything a per-entry check may use: the verified chain and the verified leaves. */
  record Context(LogClient server, List<SignedManifest> chain, List<LogLeaf> leaves,
      Map<Long, KeyManifest> manifestInForceByIndex, SignedTreeHead head, ErasureCheck.Result erasures) {
    /** The manifest logged last before leaf {@code index}, if any. */
    Optional<KeyManifest> manifestBefore(long index) {
      return Optional.ofNullable(manifestInForceByIndex.get(index));
    }
  }

  /** A check over the entries of the log. */
  interface LeafCheck {
    void run(Context ctx, AuditReport report);
  }

  private final LogClient server;
  private final Fingerprint root;
  private final ChallengeCheck.Policy challenges;

  LogAudit(LogClient server, Fingerprint root) {
    this(server, root, ChallengeCheck.Policy.defaults());
  }

  LogAudit(LogClient server, Fingerprint root, ChallengeCheck.Policy challenges) {
    this.server = server;
    this.root = root;
    this.challenges = challenges;
  }

  List<LeafCheck> leafChecks() {
    return List.of(new RecipientsCheck(), new RewrapAudit(), new CaseEventCheck(), new ChallengeCheck(challenges),
        new ErasureCheck());
  }

  /** Result: the report, and the tree head to remember if it may replace the previous one. */
  record Outcome(AuditReport report, Optional<SignedTreeHead> toRemember) {}

  Outcome run(Optional<SignedTreeHead> previous) {
    AuditReport report = new AuditReport();
    report.facts.put("rootFingerprint", root.hex());
    List<SignedManifest> chain;
    KeyManifest latest;
    // Not reaching the server (Tor, the proxy, the network) concludes nothing about it: the
    // audit stops with that error (exit 7) instead of reporting the chain as failing.
    String armored = server.manifestChain();
    try {
      chain = SignedManifest.parseArmored(armored);
      latest = ManifestChain.verify(chain, root);
      report.add("manifest-chain", Status.PASS, chain.size() + " manifest(s) verify from the pinned root; latest is"
          + " sequence " + latest.sequence() + " of \"" + latest.organisation() + "\", " + latest.recipients().size()
          + " report recipient(s), log key " + latest.logKey().fingerprint().shortForm());
    } catch (CryptoException | RuntimeException e) {
      report.add("manifest-chain", Status.FAIL, "the server's manifest chain does not verify from the pinned root "
          + root.shortForm());
      skipRest(report, "manifest chain");
      return new Outcome(report, Optional.empty());
    }

    Optional<SignedTreeHead> maybeHead = server.latestTreeHead();
    if (maybeHead.isEmpty()) {
      report.add("tree-head-signature", Status.FAIL, "the server serves no signed tree head");
      skipRest(report, "tree head");
      return new Outcome(report, Optional.empty());
    }
    SignedTreeHead head = maybeHead.get();
    report.facts.set("treeHead", AuditState.treeHeadJson(head));
    previous.ifPresent(p -> report.facts.set("previousTreeHead", AuditState.treeHeadJson(p)));
    KeyManifest keyManifest = inForceAt(chain, head.timestampMillis());
    boolean signed = keyManifest != null && head.verify(keyManifest.logKey());
    report.add("tree-head-signature", signed ? Status.PASS : Status.FAIL, signed
        ? "tree head of " + head.treeSize() + " entries at " + Instant.ofEpochMilli(head.timestampMillis())
            + " is signed by the log key of manifest " + keyManifest.sequence()
        : "the latest tree head is not signed by the log key of the manifest in force at its time");

    boolean consistent = consistency(previous, head, report);

    List<byte[]> encoded;
    try {
      encoded = server.leaves(0, head.treeSize());
    } catch (CliException | ClientException e) {
      unreachable(e);
      String why;
      if (e instanceof LogClient.MissingLeaves) {
        why = "entries were removed or are withheld";
      } else if (e instanceof CliException c && c.exitCode() == ExitCodes.BAD_INPUT) {
        why = "its answer is malformed, so the log cannot be checked; keep this output and ask the operator";
      } else {
        why = "the server answered with an error; run audit verify again, and if it keeps failing the server is"
            + " withholding its log";
      }
      report.add("leaves-match-root", Status.FAIL, "the server does not serve the " + head.treeSize()
          + " entries of its own signed tree head (" + e.getMessage() + "): " + why);
      skipRest(report, "list of entries");
      return new Outcome(report, Optional.empty());
    }
    List<LogLeaf> leaves = new ArrayList<>(encoded.size());
    List<byte[]> hashes = new ArrayList<>(encoded.size());
    List<String> unparsable = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      try {
        LogLeaf leaf = LogLeaf.parse(encoded.get(i));
        leaves.add(leaf);
        hashes.add(leaf.leafHash());
      } catch (CryptoException e) {
        unparsable.add("entry " + i + " is not a v1 log leaf");
        leaves.add(null);
        hashes.add(org.testigo.crypto.merkle.MerkleHash.leafHash(encoded.get(i)));
      }
    }
    LeafHashSource source = LeafHashSource.of(hashes);
    boolean rootMatches = Arrays.equals(MerkleTree.root(source, head.treeSize()), head.rootHash());
    report.add("leaves-match-root", rootMatches && unparsable.isEmpty() ? Status.PASS : Status.FAIL, rootMatches
        ? "the " + head.treeSize() + " entries served hash to the signed root" + (unparsable.isEmpty() ? "" : ", but some do not parse")
        : "the entries served do NOT hash to the signed root: an entry was dropped, added, changed or reordered",
        unparsable);
    if (previous.isPresent() && previous.get().treeSize() > 0 && previous.get().treeSize() <= head.treeSize()) {
      SignedTreeHead p = previous.get();
      boolean old = Arrays.equals(MerkleTree.root(source, p.treeSize()), p.rootHash());
      report.add("leaves-match-previous", old ? Status.PASS : Status.FAIL, old
          ? "the first " + p.treeSize() + " entries still hash to the root this auditor saw before"
          : "the first " + p.treeSize() + " entries no longer hash to the root this auditor saw before: the log"
              + " was rewritten");
    }
    List<String> order = new ArrayList<>();
    LocalDate last = LocalDate.MIN;
    for (int i = 0; i < leaves.size(); i++) {
      LogLeaf l = leaves.get(i);
      if (l != null) {
        if (l.day().isBefore(last)) {
          order.add("entry " + i + " (" + l.day() + ") comes after an entry of " + last);
        }
        last = l.day().isAfter(last) ? l.day() : last;
      }
    }
    report.add("entry-days-in-order", order.isEmpty() ? Status.PASS : Status.FAIL, order.isEmpty()
        ? "entry days never go back" : "entries are out of day order (reordered, or backdated)", order);

    Map<Long, KeyManifest> inForce = manifestsInLog(chain, leaves, report);
    Context pre = new Context(server, chain, leaves, inForce, head, null);
    Context ctx = new Context(server, chain, leaves, inForce, head, ErasureCheck.compute(pre));
    for (LeafCheck c : leafChecks()) {
      c.run(ctx, report);
    }
    boolean remember = signed && consistent && rootMatches;
    return new Outcome(report, remember ? Optional.of(head) : Optional.empty());
  }

  private boolean consistency(Optional<SignedTreeHead> previous, SignedTreeHead head, AuditReport report) {
    if (previous.isEmpty()) {
      report.add("consistency", Status.WARN, "first audit of this server by this auditor: the tree head is"
          + " recorded (trust on first use); compare it with other auditors (audit state)");
      return true;
    }
    SignedTreeHead p = previous.get();
    Optional<SignedTreeHead> served = p.treeSize() == head.treeSize() ? Optional.of(head) : server.treeHead(p.treeSize());
    if (served.isPresent() && !Arrays.equals(served.get().rootHash(), p.rootHash())) {
      report.add("consistency", Status.FAIL, "FORK: the server now serves a tree head of " + p.treeSize()
          + " entries with root " + HEX.formatHex(served.get().rootHash()) + ", but this auditor recorded root "
          + HEX.formatHex(p.rootHash()) + " for that size");
      return false;
    }
    if (head.treeSize() < p.treeSize()) {
      report.add("consistency", Status.FAIL, "the log shrank: this auditor saw " + p.treeSize()
          + " entries, the latest tree head has " + head.treeSize());
      return false;
    }
    if (head.treeSize() == p.treeSize() || p.treeSize() == 0) {
      report.add("consistency", Status.PASS, "consistent with the tree head this auditor saw before ("
          + p.treeSize() + " entries)");
      return true;
    }
    List<byte[]> proof = server.consistencyProof(p.treeSize(), head.treeSize());
    boolean ok = MerkleVerifier.verifyConsistency(p.treeSize(), head.treeSize(), p.rootHash(), head.rootHash(), proof);
    report.add("consistency", ok ? Status.PASS : Status.FAIL, ok
        ? "the log of " + head.treeSize() + " entries extends the one of " + p.treeSize() + " this auditor saw before"
        : "FORK: no valid consistency proof from the tree head this auditor saw (" + p.treeSize()
            + " entries) to the latest (" + head.treeSize() + "): history was rewritten");
    return ok;
  }

  /**
   * Checks that the chain's manifests are logged, once each, in chain order, and no other
   * manifest is; returns, for each entry index, the manifest logged last before it.
   */
  private static Map<Long, KeyManifest> manifestsInLog(List<SignedManifest> chain, List<LogLeaf> leaves,
      AuditReport report) {
    Map<String, SignedManifest> byHash = new HashMap<>();
    chain.forEach(m -> byHash.put(m.hash().hex(), m));
    List<String> problems = new ArrayList<>();
    Map<Long, KeyManifest> inForce = new HashMap<>();
    KeyManifest current = null;
    long expectedSequence = chain.isEmpty() ? 0 : chain.get(0).manifest().sequence();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < leaves.size(); i++) {
      inForce.put((long) i, current);
      LogLeaf l = leaves.get(i);
      if (l == null || l.type() != LogLeaf.EntryType.MANIFEST) {
        if (current == null && l != null) {
          problems.add("entry " + i + " (" + l.type().label() + ") comes before any manifest");
        }
        continue;
      }
      String h = HEX.formatHex(l.objectHash());
      SignedManifest m = byHash.get(h);
      if (m == null) {
        problems.add("entry " + i + " logs a manifest that is not in the chain: " + h);
      } else if (!seen.add(h)) {
        problems.add("entry " + i + " logs manifest " + m.manifest().sequence() + " a second time");
      } else if (m.manifest().sequence() != expectedSequence) {
        problems.add("entry " + i + " logs manifest " + m.manifest().sequence() + " out of chain order");
        current = m.manifest();
      } else {
        current = m.manifest();
        expectedSequence++;
      }
    }
    for (SignedManifest m : chain) {
      if (!seen.contains(m.hash().hex())) {
        problems.add("manifest " + m.manifest().sequence() + " is not in the log");
      }
    }
    report.add("manifests-logged", problems.isEmpty() ? Status.PASS : Status.FAIL, problems.isEmpty()
        ? "each of the " + chain.size() + " manifest(s) is in the log once, in chain order"
        : "the manifests in the log do not match the chain", problems);
    return inForce;
  }

  static KeyManifest inForceAt(List<SignedManifest> chain, long millis) {
    Instant at = Instant.ofEpochMilli(millis);
    KeyManifest m = null;
    for (SignedManifest s : chain) {
      if (!s.manifest().issuedAt().isAfter(at)) {
        m = s.manifest();
      }
    }
    return m;
  }

  private static void skipRest(AuditReport report, String because) {
    for (String name : List.of("tree-head-signature", "consistency", "leaves-match-root", "entry-days-in-order",
        "manifests-logged", "recipients", "rewraps", "current-recipients", "case-events", "challenges",
        "erasures")) {
      if (report.statusOf(name) == null) {
        report.add(name, Status.SKIP, "not checked: no verified " + because);
      }
    }
  }

  /**
   * Every submission (report or follow-up) was sealed to exactly the report recipients of
   * the manifest in force when it arrived: the manifest logged last before it, with the
   * reviewers valid at some moment of the entry's day. Reads the envelope header the server
   * serves for the entry; WARNING: that header is bound to the entry only for someone who
   * holds the whole envelope (the leaf hashes the whole envelope), see docs/spec/merkle-log-and-proofs.md.
   */
  static final class RecipientsCheck implements LeafCheck {
    @Override
    public void run(Context ctx, AuditReport report) {
      List<String> failures = new ArrayList<>();
      int checked = 0;
      int erased = 0;
      int erasurePending = 0;
      for (int i = 0; i < ctx.leaves().size(); i++) {
        LogLeaf l = ctx.leaves().get(i);
        if (l == null || l.type() != LogLeaf.EntryType.SUBMISSION) {
          continue;
        }
        if (ctx.erasures() != null && ctx.erasures().covers(i, l.objectHash())
            && ctx.server().envelopeHeader(i).isEmpty()) {
          erased++;
          continue;
        }
        if (ctx.erasures() != null && ctx.erasures().pendingFor(l.objectHash())
            && ctx.server().envelopeHeader(i).isEmpty()) {
          erasurePending++;
          continue;
        }
        checked++;
        Optional<KeyManifest> m = ctx.manifestBefore(i);
        if (m.isEmpty()) {
          failures.add("entry " + i + ": no manifest was in force");
          continue;
        }
        Optional<byte[]> header = ctx.server().envelopeHeader(i);
        if (header.isEmpty()) {
          failures.add("entry " + i + ": the server does not serve its envelope header");
          continue;
        }
        EnvelopeInfo info;
        try {
          info = Envelope.inspectHeader(new ByteArrayInputStream(header.get()));
        } catch (CryptoException | IOException e) {
          failures.add("entry " + i + ": the served envelope header is malformed");
          continue;
        }
        if (info.headerLength() != header.get().length
            || !Set.of(Envelope.CONTEXT_REPORT, Envelope.CONTEXT_FOLLOW_UP).contains(info.context())) {
          failures.add("entry " + i + ": the served header is not exactly one report or follow-up header");
          continue;
        }
        Set<Fingerprint> actual = new HashSet<>(info.recipients());
        Set<Set<Fingerprint>> allowed = allowedRecipientSets(m.get(), l.day());
        if (!allowed.contains(actual)) {
          failures.add("entry " + i + " (" + l.day() + "): sealed to " + describe(actual, m.get())
              + ", but manifest " + m.get().sequence() + " lists " + allowed.stream()
                  .map(s -> describe(s, m.get())).collect(Collectors.joining(" or ")));
        }
      }
      report.add("recipients", failures.isEmpty() ? Status.PASS : Status.FAIL, failures.isEmpty()
          ? "each of the " + checked + " submission(s) was sealed to exactly the reviewers of the manifest in force"
              + " (from the headers the server serves)" + (erased > 0 ? "; " + erased + " erased (see erasures)" : "")
              + (erasurePending > 0 ? "; " + erasurePending + " erasure pending (see erasures)" : "")
          : failures.size() + " of " + checked + " submission(s) were NOT sealed to exactly the reviewers in force",
          failures);
    }

    /** The recipient sets of {@code m} at each moment of {@code day} where validity changes. */
    static Set<Set<Fingerprint>> allowedRecipientSets(KeyManifest m, LocalDate day) {
      Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      Set<Instant> moments = new LinkedHashSet<>();
      moments.add(start);
      for (ReviewerEntry e : m.reviewers()) {
        for (Instant t : List.of(e.notBefore(), e.notAfter())) {
          if (!t.isBefore(start) && t.isBefore(end)) {
            moments.add(t);
          }
        }
      }
      Set<Set<Fingerprint>> out = new HashSet<>();
      for (Instant t : moments) {
        Set<Fingerprint> s = m.recipients(t).stream().map(k -> k.fingerprint()).collect(Collectors.toSet());
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out;
    }

    private static String describe(Set<Fingerprint> set, KeyManifest m) {
      return set.stream().map(f -> m.reviewers().stream().filter(e -> e.encryptionKey().fingerprint().equals(f))
          .map(ReviewerEntry::alias).findFirst().orElse("unknown key " + f.shortForm()))
          .sorted().collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /**
   * Rethrows a failure to reach the server at all ({@link LogClient.Unreachable}, exit 7: the
   * network, the proxy or Tor), which proves nothing about the log; returns for what the server
   * did answer (an error status, a missing or malformed answer), which the caller reports as a
   * failed check.
   */
  static void unreachable(RuntimeException e) {
    if (e instanceof LogClient.Unreachable) {
      throw e;
    }
  }
}

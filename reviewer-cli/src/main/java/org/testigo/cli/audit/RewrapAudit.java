package org.testigo.cli.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.testigo.api.client.ClientException;
import org.testigo.cli.audit.AuditReport.Status;
import org.testigo.cli.common.CliException;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.envelope.RewrapRecord;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * The audit of rewraps (docs/spec/reviewer-api-and-batches.md §5), a {@link LogAudit.LeafCheck} that completes
 * {@code recipients} (which checks each submission's original header against the manifest in
 * force when it arrived). Two report lines:
 *
 * <ul>
 *   <li>{@code rewraps}: every {@code rewrap} leaf's served record hashes to the leaf's object
 *       hash (else it is forged or altered), names an earlier submission leaf, replaces the
 *       header in force for that envelope at that point of the log (the original, or the
 *       previous rewrap's), is exactly one header for the same payload (same context and salt
 *       as the original, {@link Envelope#isRewrapOf}), and is sealed to exactly the
 *       reviewers of the manifest in force at the rewrap leaf. FAIL on any of these.
 *   <li>{@code current-recipients}: the header each submission is served with now (its last
 *       rewrap, else the original) against the latest manifest's reviewers: envelopes still
 *       sealed to a removed or revoked reviewer ("stranded") or not to a current one ("not yet
 *       rewrapped") are a WARN with counts: nothing is wrong in the log, but a reviewer should
 *       run {@code testigo-reviewer rewrap}.
 * </ul>
 *
 * <p>Needs no key, so it cannot tell whether a new header opens the payload (the server
 * cannot either): a recipient finds that out by opening the envelope.
 */
final class RewrapAudit implements LogAudit.LeafCheck {
  private static final HexFormat HEX = HexFormat.of();

  /** The header an envelope is served with at a point of the log, and its original. */
  private static final class Envelopes {
    final byte[] original;
    byte[] currentSha;
    Set<Fingerprint> currentRecipients;

    Envelopes(byte[] original, Set<Fingerprint> recipients) {
      this.original = original;
      this.currentSha = RewrapRecord.sha256(original);
      this.currentRecipients = recipients;
    }
  }

  @Override
  public void run(LogAudit.Context ctx, AuditReport report) {
    Map<String, Envelopes> byHash = new HashMap<>();
    Map<String, Long> submissionIndex = new HashMap<>();
    List<String> failures = new ArrayList<>();
    int rewraps = 0;
    for (int i = 0; i < ctx.leaves().size(); i++) {
      LogLeaf l = ctx.leaves().get(i);
      if (l == null) {
        continue;
      }
      if (l.type() == LogLeaf.EntryType.SUBMISSION) {
        String h = HEX.formatHex(l.objectHash());
        submissionIndex.putIfAbsent(h, (long) i);
        Optional<byte[]> header = ctx.server().envelopeHeader(i);
        Optional<EnvelopeInfo> info = header.flatMap(RewrapAudit::exactlyOneHeader);
        if (info.isPresent()) {
          byHash.putIfAbsent(h, new Envelopes(header.get(), Set.copyOf(info.get().recipients())));
        }
        continue;
      }
      if (l.type() != LogLeaf.EntryType.REWRAP) {
        continue;
      }
      rewraps++;
      String problem = checkRewrap(ctx, i, l, byHash, submissionIndex);
      if (problem != null) {
        failures.add("entry " + i + " (" + l.day() + "): " + problem);
      }
    }
    report.add("rewraps", failures.isEmpty() ? Status.PASS : Status.FAIL, failures.isEmpty()
        ? (rewraps == 0 ? "the log holds no rewraps"
            : "each of the " + rewraps + " rewrap(s) matches its log entry, replaces the header then in force of a"
                + " logged submission with one for the same payload, and is sealed to exactly the reviewers of the"
                + " manifest in force")
        : failures.size() + " of " + rewraps + " rewrap(s) do NOT hold", failures);
    currentRecipients(ctx, byHash, report);
  }

  private static String checkRewrap(LogAudit.Context ctx, int i, LogLeaf l, Map<String, Envelopes> byHash,
      Map<String, Long> submissionIndex) {
    Optional<LogClient.Rewrap> served;
    try {
      served = ctx.server().rewrap(i);
    } catch (CliException | ClientException e) {
      LogAudit.unreachable(e);
      return "the server's rewrap record is malformed";
    }
    if (served.isEmpty()) {
      return "the server does not serve its rewrap record";
    }
    LogClient.Rewrap r = served.get();
    RewrapRecord record;
    try {
      record = RewrapRecord.of(r.envelopeSha256(), r.previousHeaderSha256(), r.header());
    } catch (IllegalArgumentException e) {
      return "the server's rewrap record is malformed";
    }
    if (!MessageDigest.isEqual(record.hash(), l.objectHash())) {
      return "FORGED: the rewrap record the server serves does not hash to this log entry";
    }
    String envelope = HEX.formatHex(r.envelopeSha256());
    if (!submissionIndex.containsKey(envelope)) {
      return "names no earlier submission of the log (" + envelope.substring(0, 16) + "...)";
    }
    Envelopes e = byHash.get(envelope);
    if (e == null) {
      if (ctx.erasures() != null && ctx.erasures().covers(submissionIndex.get(envelope), r.envelopeSha256())) {
        return null; // erased since (a verified decision lists it): nothing left to check
      }
      if (ctx.erasures() != null && ctx.erasures().pendingFor(r.envelopeSha256())) {
        return null; // erasure pending (a served decision newer than the tree head lists it): see erasures
      }
      return "its submission's original header is not served, so it cannot be checked";
    }
    if (!MessageDigest.isEqual(e.currentSha, r.previousHeaderSha256())) {
      return "does not replace the header in force for submission entry " + submissionIndex.get(envelope)
          + " (the chain of rewraps is broken)";
    }
    Optional<EnvelopeInfo> info = exactlyOneHeader(r.header());
    if (info.isEmpty() || !Envelope.isRewrapOf(e.original, r.header())) {
      return "the new header is not exactly one header for the same payload (context and salt) as submission"
          + " entry " + submissionIndex.get(envelope);
    }
    Set<Fingerprint> actual = new HashSet<>(info.get().recipients());
    // from here on the server serves this header for the envelope, whether or not it is right
    e.currentSha = record.newHeaderSha256();
    e.currentRecipients = actual;
    Optional<KeyManifest> m = ctx.manifestBefore(i);
    if (m.isEmpty()) {
      return "no manifest was in force";
    }
    Set<Set<Fingerprint>> allowed = LogAudit.RecipientsCheck.allowedRecipientSets(m.get(), l.day());
    if (!allowed.contains(actual)) {
      return "rewrapped to " + actual.size() + " key(s) that are not exactly the reviewers of manifest "
          + m.get().sequence() + " in force at the rewrap";
    }
    return null;
  }

  private static void currentRecipients(LogAudit.Context ctx, Map<String, Envelopes> byHash, AuditReport report) {
    if (ctx.chain().isEmpty()) {
      return;
    }
    KeyManifest latest = ctx.chain().get(ctx.chain().size() - 1).manifest();
    Set<Fingerprint> now = latest.recipients(Instant.now()).stream().map(k -> k.fingerprint())
        .collect(Collectors.toSet());
    int stranded = 0;
    int lacking = 0;
    List<String> details = new ArrayList<>();
    for (Map.Entry<String, Envelopes> en : byHash.entrySet()) {
      Set<Fingerprint> have = en.getValue().currentRecipients;
      boolean departed = have.stream().anyMatch(f -> !now.contains(f));
      boolean missing = now.stream().anyMatch(f -> !have.contains(f));
      stranded += departed ? 1 : 0;
      lacking += missing ? 1 : 0;
      if (departed || missing) {
        details.add("submission " + en.getKey().substring(0, 16) + "...: " + (departed ? "still sealed to a removed"
            + " or revoked reviewer" : "") + (departed && missing ? "; " : "") + (missing ? "not sealed to a"
            + " current reviewer" : ""));
      }
    }
    boolean ok = stranded == 0 && lacking == 0;
    report.add("current-recipients", ok ? Status.PASS : Status.WARN, ok
        ? "each of the " + byHash.size() + " submission(s) is served sealed to exactly the reviewers of the latest"
            + " manifest " + latest.sequence()
        : stranded + " submission(s) stranded (still sealed to a removed or revoked reviewer), " + lacking
            + " not yet rewrapped (not sealed to a current reviewer), of " + byHash.size()
            + "; a current reviewer should run: testigo-reviewer rewrap --all", details);
  }

  private static Optional<EnvelopeInfo> exactlyOneHeader(byte[] header) {
    try {
      EnvelopeInfo info = Envelope.inspectHeader(new ByteArrayInputStream(header));
      return info.headerLength() == header.length ? Optional.of(info) : Optional.empty();
    } catch (CryptoException | IOException e) {
      return Optional.empty();
    }
  }
}

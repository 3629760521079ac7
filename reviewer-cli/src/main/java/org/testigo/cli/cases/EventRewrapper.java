package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.testigo.api.client.ClientException;
import org.testigo.cli.common.CliException;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * The case-event half of {@code rewrap}: for every verified event of the selected cases whose
 * content is not readable by exactly the current manifest's reviewers (neither its original
 * header nor a valid content rewrap names exactly them), and that this reviewer can open,
 * re-seals the content's file key to the current reviewers ({@link Envelope#rewrapHeader}) and
 * posts a {@code content_rewrap} event on the case. Content rewraps themselves are not
 * rewrapped. Resumable: an event that a valid rewrap already covers is skipped.
 */
final class EventRewrapper {
  private EventRewrapper() {}

  /** What the run did: rewrapped, already current, not openable by this reviewer, failed. */
  record Result(int rewrapped, int current, int notMine, List<String> failed) {}

  static Result run(RemoteSession s, KeyManifest manifest, List<RecipientPublicKey> recipients, Set<String> cases,
      boolean dryRun, PrintWriter out) throws IOException {
    CaseLog.sync(s.client, s.cache);
    CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
    Set<Fingerprint> want = recipients.stream().map(RecipientPublicKey::fingerprint).collect(Collectors.toSet());
    Fingerprint me = s.identity.encryptionKey().publicKey().fingerprint();
    int rewrapped = 0;
    int current = 0;
    int notMine = 0;
    List<String> failed = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (Map.Entry<CaseId, List<OpenedCaseEvent>> c : log.opened.entrySet()) {
      String caseHex = c.getKey().hex();
      if (cases != null && !cases.contains(caseHex)) {
        continue;
      }
      LocalCache.Submission report = s.cache.byId(caseHex).orElse(null);
      List<OpenedCaseEvent> events = new ArrayList<>(c.getValue());
      events.sort(Comparator.comparing(OpenedCaseEvent::event, CaseReplay.ORDER));
      for (OpenedCaseEvent e : events) {
        if (e.action() instanceof CaseAction.ContentRewrap) {
          continue;
        }
        byte[] sealed = log.sealedContents.get(e.event().eventId());
        Served served = served(sealed, e, events, log, want, me);
        if (served.current) {
          current++;
          continue;
        }
        if (served.mine == null || e.action() == null) {
          notMine++;
          continue;
        }
        if (dryRun) {
          out.println(caseHex.substring(0, 12) + "  event " + e.event().eventId().hex().substring(0, 12) + "  "
              + e.action().type() + "  content not sealed to the current reviewers");
          rewrapped++;
          continue;
        }
        if (report == null) {
          failed.add("case " + caseHex.substring(0, 12) + ": its report is not synced; run sync");
          break;
        }
        try {
          byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(served.mine), s.identity.encryptionKey(),
              Envelope.CONTEXT_CASE_EVENT, recipients, random);
          TriageCommands.record(s, log, report, new CaseAction.ContentRewrap(e.event().eventId(), header));
          rewrapped++;
        } catch (CryptoException | CliException | ClientException | IllegalStateException ex) {
          failed.add("event " + e.event().eventId().hex().substring(0, 12) + " of case " + caseHex.substring(0, 12)
              + ": " + ex.getMessage());
        }
      }
    }
    if (!dryRun && rewrapped > 0) {
      CaseLog.sync(s.client, s.cache);
    }
    return new Result(rewrapped, current, notMine, failed);
  }

  /** Whether a header for {@code e} names exactly {@code want}, and a form of it that opens for {@code me}. */
  private record Served(boolean current, byte[] mine) {}

  private static Served served(byte[] sealed, OpenedCaseEvent e, List<OpenedCaseEvent> events, CaseLog log,
      Set<Fingerprint> want, Fingerprint me) {
    try {
      byte[] original = ContentRewraps.headerOf(sealed);
      Set<Fingerprint> have = ContentRewraps.recipients(original);
      boolean current = have.equals(want);
      byte[] mine = have.contains(me) ? sealed : null;
      for (OpenedCaseEvent r : events) {
        if (!(r.action() instanceof CaseAction.ContentRewrap rw) || !rw.event().equals(e.event().eventId())) {
          continue;
        }
        // only rewraps that follow the rules count (the reader checks the same, ContentRewraps)
        if (ContentRewraps.valid(original, rw, r, log.verifier)) {
          Set<Fingerprint> named = ContentRewraps.recipients(rw.header());
          current |= named.equals(want);
          if (mine == null && named.contains(me)) {
            byte[] h = rw.header();
            mine = new byte[h.length + sealed.length - original.length];
            System.arraycopy(h, 0, mine, 0, h.length);
            System.arraycopy(sealed, original.length, mine, h.length, sealed.length - original.length);
          }
        }
      }
      return new Served(current, mine);
    } catch (CryptoException | IOException | RuntimeException ex) {
      return new Served(false, null);
    }
  }
}

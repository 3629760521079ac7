package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;

/**
 * Content rewraps of case events (content type {@code content_rewrap}, docs/spec/case-events.md
 * §6): how a reviewer added after an event was sealed reads it. The event, its signature and
 * its signed content hash are unchanged; a later event of the same case carries a new header
 * for its content, and the reader puts that header in front of the original payload bytes.
 *
 * <p>The rules are those the server applies to envelope rewraps (reviewer-api-and-batches.md
 * §5.3), checked here by the reader because the header travels sealed: the rewrap's author
 * (in the manifest in force when it was created) holds an encryption key that the original
 * header names (only someone who could open the content may re-seal its file key); the new
 * header is exactly one v1 header with the original's context and payload salt
 * ({@link Envelope#isRewrapOf}); and it is sealed to exactly the reviewers of the manifest in
 * force when the rewrap was created. The content's integrity does not depend on the rewrapper:
 * the payload bytes are the signed ones, and a header with another file key does not open them.
 *
 * <p>WARNING: as for envelopes, rewrapping does not revoke: it only adds readers.
 */
final class ContentRewraps {
  private ContentRewraps() {}

  /** The header of a sealed envelope: its first {@code headerLength} bytes. */
  static byte[] headerOf(byte[] sealed) throws CryptoException, IOException {
    EnvelopeInfo info = Envelope.inspectHeader(new ByteArrayInputStream(sealed));
    return java.util.Arrays.copyOf(sealed, (int) info.headerLength());
  }

  static Set<Fingerprint> recipients(byte[] header) throws CryptoException, IOException {
    return Set.copyOf(Envelope.inspectHeader(new ByteArrayInputStream(header)).recipients());
  }

  /** The fingerprints a header must name to be sealed to the manifest's reviewers at {@code at}. */
  static Set<Fingerprint> team(KeyManifest m, java.time.Instant at) {
    Set<Fingerprint> out = new HashSet<>();
    for (RecipientPublicKey k : m.recipients(at)) {
      out.add(k.fingerprint());
    }
    return out;
  }

  /**
   * Opens, for {@code reader}, every event of {@code opened} that it could not read and that a
   * valid content rewrap of the same case names; replaces those entries in place. Returns how
   * many were opened. {@code contents} holds the sealed content of each unreadable event.
   */
  static int apply(List<OpenedCaseEvent> opened, Map<EventId, byte[]> contents, CaseEventVerifier verifier,
      ReviewerIdentity reader) {
    List<OpenedCaseEvent> rewraps = new ArrayList<>();
    for (OpenedCaseEvent o : opened) {
      if (o.action() instanceof CaseAction.ContentRewrap) {
        rewraps.add(o);
      }
    }
    if (rewraps.isEmpty()) {
      return 0;
    }
    rewraps.sort(Comparator.comparing(OpenedCaseEvent::event, CaseReplay.ORDER));
    int n = 0;
    for (int i = 0; i < opened.size(); i++) {
      OpenedCaseEvent e = opened.get(i);
      byte[] sealed = contents.get(e.event().eventId());
      if (e.action() != null || sealed == null) {
        continue;
      }
      for (OpenedCaseEvent r : rewraps) {
        CaseAction.ContentRewrap rw = (CaseAction.ContentRewrap) r.action();
        if (!rw.event().equals(e.event().eventId())) {
          continue;
        }
        CaseAction action = open(sealed, rw, r, verifier, reader);
        if (action != null) {
          opened.set(i, new OpenedCaseEvent(e.event(), e.authorAlias(), action));
          n++;
          break;
        }
      }
    }
    return n;
  }

  /**
   * The rules of a content rewrap without a key: same context and salt as the original header,
   * an author who is a recipient of the original, and a header sealed to exactly the team of
   * the manifest in force when the rewrap was created.
   */
  static boolean valid(byte[] original, CaseAction.ContentRewrap rw, OpenedCaseEvent by, CaseEventVerifier verifier) {
    try {
      byte[] fresh = rw.header();
      if (!Envelope.isRewrapOf(original, fresh)) {
        return false;
      }
      KeyManifest m = verifier.manifestAt(by.event().createdAt()).orElse(null);
      if (m == null) {
        return false;
      }
      ReviewerEntry author = m.reviewerBySigningKey(by.event().author(), by.event().createdAt()).orElse(null);
      return author != null && recipients(original).contains(author.encryptionKey().fingerprint())
          && recipients(fresh).equals(team(m, by.event().createdAt()));
    } catch (CryptoException | IOException | RuntimeException e) {
      return false;
    }
  }

  /** The action behind {@code sealed} through rewrap {@code rw} (carried by {@code by}), or null. */
  static CaseAction open(byte[] sealed, CaseAction.ContentRewrap rw, OpenedCaseEvent by,
      CaseEventVerifier verifier, ReviewerIdentity reader) {
    try {
      byte[] original = headerOf(sealed);
      byte[] fresh = rw.header();
      if (!valid(original, rw, by, verifier)) {
        return null;
      }
      byte[] served = new byte[fresh.length + sealed.length - original.length];
      System.arraycopy(fresh, 0, served, 0, fresh.length);
      System.arraycopy(sealed, original.length, served, fresh.length, sealed.length - original.length);
      CaseAction action = CaseContent.parse(Envelope.open(served, reader.encryptionKey(), Envelope.CONTEXT_CASE_EVENT));
      return action instanceof CaseAction.ContentRewrap ? null : action;
    } catch (CryptoException | IOException | CaseContent.InvalidContentException | RuntimeException e) {
      return null;
    }
  }
}

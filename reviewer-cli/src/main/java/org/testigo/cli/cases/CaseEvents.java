package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;

/**
 * Makes and opens case events.
 *
 * <p>{@link #build}: encodes the action as content JSON v1, seals it in a {@code case-event}
 * envelope to every reviewer and admin of the manifest valid now, and signs a
 * {@link SignedCaseEvent} whose parents are the current heads of the known events of the
 * case (at most 16, the latest by (Lamport, id)) and whose Lamport counter is one more than
 * the highest known. The author must be listed in the manifest now.
 *
 * <p>{@link #open}: verifies author and signature with a {@link CaseEventVerifier}, checks
 * the envelope against the signed content hash, then opens and parses it. The plaintext is
 * held only in memory.
 */
public final class CaseEvents {
  private final Clock clock;
  private final SecureRandom random;

  /** A new event and the sealed content envelope that travels beside it. */
  public record Built(SignedCaseEvent event, byte[] sealedContent) {
    public Built {
      sealedContent = sealedContent.clone();
    }

    @Override
    public byte[] sealedContent() {
      return sealedContent.clone();
    }
  }

  public CaseEvents(Clock clock, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
  }

  /**
   * Builds a signed, sealed event.
   *
   * @throws IllegalStateException if the author is not a reviewer or admin in
   *     {@code manifest} now, or the manifest has no recipient valid now
   */
  public Built build(ReviewerIdentity author, KeyManifest manifest, CaseId caseId,
      Collection<SignedCaseEvent> known, CaseAction action) {
    Instant now = clock.instant();
    boolean listed = manifest.reviewerBySigningKey(author.signingKey().publicKey(), now)
        .filter(ReviewerEntry::receivesReports).isPresent();
    if (!listed) {
      throw new IllegalStateException(
          "your key is not a reviewer key of the current manifest; ask an admin to add it");
    }
    List<RecipientPublicKey> recipients = manifest.recipients(now);
    if (recipients.isEmpty()) {
      throw new IllegalStateException("the current manifest has no reviewer to seal to");
    }
    List<SignedCaseEvent> ofCase = new ArrayList<>();
    long lamport = 0;
    for (SignedCaseEvent e : known) {
      if (e.caseId().equals(caseId)) {
        ofCase.add(e);
        lamport = Math.max(lamport, e.lamport());
      }
    }
    List<SignedCaseEvent> heads = CaseReplay.heads(ofCase);
    List<EventId> parents = new ArrayList<>();
    for (int i = Math.max(0, heads.size() - SignedCaseEvent.MAX_PARENTS); i < heads.size(); i++) {
      parents.add(heads.get(i).eventId());
    }
    byte[] sealed = seal(CaseContent.encode(action), recipients);
    SignedCaseEvent event = SignedCaseEvent.sign(author.signingKey(), caseId, lamport + 1,
        parents, now, sealed);
    return new Built(event, sealed);
  }

  /**
   * Verifies and opens an event. An event whose author or signature does not verify, or
   * whose envelope does not match the signed hash, is refused; an authentic event whose
   * content this reviewer cannot open or parse comes back with a null action.
   *
   * @throws CryptoException (generic) if the event is not authentic
   */
  public OpenedCaseEvent open(SignedCaseEvent event, byte[] sealedContent,
      CaseEventVerifier verifier, ReviewerIdentity reader) throws CryptoException {
    ReviewerEntry author = verifier.verify(event);
    if (!event.matchesContent(sealedContent)) {
      throw new CryptoException();
    }
    CaseAction action;
    try {
      action = CaseContent.parse(
          Envelope.open(sealedContent, reader.encryptionKey(), Envelope.CONTEXT_CASE_EVENT));
    } catch (CryptoException | CaseContent.InvalidContentException e) {
      action = null;
    }
    return new OpenedCaseEvent(event, author.alias(), action);
  }

  private byte[] seal(byte[] plaintext, List<RecipientPublicKey> recipients) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 4096);
    try {
      Envelope.seal(new ByteArrayInputStream(plaintext), out, recipients,
          Envelope.CONTEXT_CASE_EVENT, random);
    } catch (IOException e) {
      throw new UncheckedIOException("sealing to memory failed", e);
    }
    return out.toByteArray();
  }
}

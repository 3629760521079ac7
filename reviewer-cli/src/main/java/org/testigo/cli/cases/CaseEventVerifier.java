package org.testigo.cli.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * Decides whether a signed case event comes from someone entitled to write it: the whole
 * manifest chain is verified against the pinned root fingerprint once, at construction;
 * then an event is accepted only if (1) a manifest of the chain was in force at the event's
 * claimed creation time (the latest with {@code issuedAt <= createdAt}), (2) that manifest
 * lists the author's signing key with a validity window containing that time and a role
 * that receives reports (reviewer or admin; auditors do not triage), and (3) the Ed25519
 * signature verifies.
 *
 * <p>WARNING: the creation time is the author's claim. A reviewer removed from the team
 * could back-date events to a time they were listed. Pass the server's receipt time to
 * {@link #verify(SignedCaseEvent, Instant, Duration)} where it is known, so that claims far
 * from it are refused.
 */
public final class CaseEventVerifier {
  private final List<KeyManifest> manifests;

  private CaseEventVerifier(List<KeyManifest> manifests) {
    this.manifests = manifests;
  }

  /** Verifies the chain (generic exception on any defect) and keeps its manifests. */
  public static CaseEventVerifier of(List<SignedManifest> chain, Fingerprint pinnedRoot)
      throws CryptoException {
    ManifestChain.verify(chain, pinnedRoot);
    List<KeyManifest> ms = new ArrayList<>(chain.size());
    for (SignedManifest m : chain) {
      ms.add(m.manifest());
    }
    return new CaseEventVerifier(List.copyOf(ms));
  }

  /** The manifest in force at {@code t}: the latest one issued at or before it. */
  public Optional<KeyManifest> manifestAt(Instant t) {
    KeyManifest found = null;
    for (KeyManifest m : manifests) {
      if (!m.issuedAt().isAfter(t)) {
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The latest manifest of the chain. */
  public KeyManifest latest() {
    return manifests.get(manifests.size() - 1);
  }

  /**
   * Returns the author's manifest entry if the event passes (1)-(3) above.
   *
   * @throws CryptoException (generic) otherwise
   */
  public ReviewerEntry verify(SignedCaseEvent event) throws CryptoException {
    if (event == null) {
      throw new CryptoException();
    }
    Instant t = event.createdAt();
    Optional<ReviewerEntry> entry = manifestAt(t)
        .flatMap(m -> m.reviewerBySigningKey(event.author(), t))
        .filter(ReviewerEntry::receivesReports);
    if (entry.isEmpty() || !event.verify(entry.get().signingKey())) {
      throw new CryptoException();
    }
    return entry.get();
  }

  /**
   * As {@link #verify(SignedCaseEvent)}, and also refuses an event whose claimed creation
   * time is more than {@code maxSkew} away from the time the server received it.
   */
  public ReviewerEntry verify(SignedCaseEvent event, Instant serverReceivedAt, Duration maxSkew)
      throws CryptoException {
    ReviewerEntry entry = verify(event);
    Duration skew = Duration.between(event.createdAt(), serverReceivedAt).abs();
    if (skew.compareTo(maxSkew) > 0) {
      throw new CryptoException();
    }
    return entry;
  }
}

package org.testigo.crypto.custody;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Builds the next key manifest of a chain for one change: add, remove or revoke a reviewer,
 * or rotate the log key. Each result has {@code sequence + 1}, {@code previousHash} = the
 * current signed manifest's hash, the same organisation and root key, and an issue time
 * that never goes backwards ({@code max(now, current.issuedAt)}). The result is unsigned:
 * sign it with {@link RootKeyCeremony#signManifest} and append it with {@link #append}.
 *
 * <p>Every method throws {@link IllegalArgumentException} with a clear message when the
 * change makes no sense (unknown alias, alias already present, revoking an expired entry).
 */
public final class ManifestUpdates {
  private ManifestUpdates() {}

  /** The first manifest (sequence 0) of a new chain. */
  public static KeyManifest genesis(String organisation, SigningPublicKey rootKey,
      SigningPublicKey logKey, List<ReviewerEntry> reviewers, Instant now) {
    return new KeyManifest(0, null, organisation, rootKey, logKey, reviewers, now);
  }

  public static KeyManifest addReviewer(SignedManifest current, ReviewerEntry entry,
      Instant now) {
    KeyManifest m = current.manifest();
    for (ReviewerEntry e : m.reviewers()) {
      if (e.alias().equals(entry.alias())) {
        throw new IllegalArgumentException("the manifest already lists " + entry.alias()
            + "; remove that entry first or choose another alias");
      }
    }
    List<ReviewerEntry> next = new ArrayList<>(m.reviewers());
    next.add(entry);
    return next(current, m.logKey(), next, now);
  }

  /**
   * Sets the Tor client-auth key of the listed entry whose keys are {@code bundle}'s (a v2
   * bundle, its Tor key signed by the entry's signing key): from this manifest on, that holder
   * may reach the reviewer onion while the entry is valid.
   */
  public static KeyManifest setTorKey(SignedManifest current,
      org.testigo.crypto.identity.ReviewerPublicBundle bundle, Instant now) {
    if (bundle.tor().isEmpty()) {
      throw new IllegalArgumentException("the bundle of " + bundle.alias() + " has no Tor"
          + " client-auth key (a v1 bundle): ask for a new one from 'testigo-reviewer keys public'");
    }
    KeyManifest m = current.manifest();
    List<ReviewerEntry> next = new ArrayList<>();
    boolean found = false;
    for (ReviewerEntry e : m.reviewers()) {
      if (e.fingerprint().equals(bundle.fingerprint())) {
        found = true;
        next.add(e.withTorKey(bundle.torKey()));
      } else {
        next.add(e);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("the current manifest lists no entry with the keys of "
          + bundle.alias() + "'s bundle");
    }
    return next(current, m.logKey(), next, now);
  }

  public static KeyManifest removeReviewer(SignedManifest current, String alias, Instant now) {
    KeyManifest m = current.manifest();
    List<ReviewerEntry> next = new ArrayList<>(m.reviewers());
    if (!next.removeIf(e -> e.alias().equals(alias))) {
      throw new IllegalArgumentException("the current manifest lists no reviewer " + alias);
    }
    return next(current, m.logKey(), next, now);
  }

  /**
   * Ends an entry's validity now: {@code notAfter = now} (or one second after
   * {@code notBefore} for an entry that became valid in this same second, since a window
   * cannot be empty). The entry stays listed, so
   * signatures it made before now still verify, but the server stops sealing to it and
   * stops accepting its requests.
   */
  public static KeyManifest revokeReviewer(SignedManifest current, String alias, Instant now) {
    KeyManifest m = current.manifest();
    Instant at = issueTime(m, now);
    List<ReviewerEntry> next = new ArrayList<>();
    boolean found = false;
    for (ReviewerEntry e : m.reviewers()) {
      if (e.alias().equals(alias)) {
        found = true;
        if (!e.notAfter().isAfter(at)) {
          throw new IllegalArgumentException(alias + " is already expired or revoked (valid"
              + " until " + e.notAfter() + ")");
        }
        if (e.notBefore().isAfter(at)) {
          throw new IllegalArgumentException(alias + " is not valid yet (from "
              + e.notBefore() + "): remove the entry instead of revoking it");
        }
        // An entry added in this very second keeps the shortest window the format allows.
        Instant end = e.notBefore().equals(at) ? at.plusSeconds(1) : at;
        next.add(new ReviewerEntry(e.alias(), e.role(), e.encryptionKey(), e.signingKey(),
            e.notBefore(), end, e.torKey()));
      } else {
        next.add(e);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("the current manifest lists no reviewer " + alias);
    }
    return next(current, m.logKey(), next, now);
  }

  /**
   * Sets (or replaces) the retention policy (docs/spec/retention-and-erasure.md §1). The next
   * manifest is encoded as v3; the policy applies to every erasure decided from its issue time.
   */
  public static KeyManifest setRetention(SignedManifest current,
      org.testigo.crypto.manifest.RetentionPolicy policy, Instant now) {
    KeyManifest m = current.manifest();
    if (policy == null) {
      throw new IllegalArgumentException("a retention policy is required");
    }
    if (policy.equals(m.retention())) {
      throw new IllegalArgumentException("that is already the retention policy in force");
    }
    return next(current, m.logKey(), m.reviewers(), now).withRetention(policy);
  }

  /** Replaces the server's log-signing key. */
  public static KeyManifest rotateLogKey(SignedManifest current, SigningPublicKey newLogKey,
      Instant now) {
    KeyManifest m = current.manifest();
    if (m.logKey().equals(newLogKey)) {
      throw new IllegalArgumentException("that is already the log key");
    }
    return next(current, newLogKey, m.reviewers(), now);
  }

  /**
   * Verifies {@code chain} from {@code pinnedRoot}, appends {@code next}, verifies the whole
   * new chain, and returns it. A manifest that does not chain to the last one (sequence,
   * previous hash, time, root, signature) is refused with the generic
   * {@link CryptoException}.
   */
  public static List<SignedManifest> append(List<SignedManifest> chain, SignedManifest next,
      Fingerprint pinnedRoot) throws CryptoException {
    ManifestChain.verify(chain, pinnedRoot);
    List<SignedManifest> out = new ArrayList<>(chain);
    out.add(next);
    ManifestChain.verify(out, pinnedRoot);
    return List.copyOf(out);
  }

  private static KeyManifest next(SignedManifest current, SigningPublicKey logKey,
      List<ReviewerEntry> reviewers, Instant now) {
    KeyManifest m = current.manifest();
    return new KeyManifest(m.sequence() + 1, current.hash(), m.organisation(), m.rootKey(),
        logKey, reviewers, issueTime(m, now), m.retention());
  }

  private static Instant issueTime(KeyManifest m, Instant now) {
    Instant t = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return t.isBefore(m.issuedAt()) ? m.issuedAt() : t;
  }
}

package org.testigo.crypto.manifest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.identity.TorClientAuthKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * One key holder listed in a key manifest. Times are whole seconds (sub-second parts are
 * dropped at construction, so encoding round-trips); the entry is valid for
 * {@code notBefore <= t < notAfter}.
 *
 * <p>Roles in v1: {@value #ROLE_REVIEWER} and {@value #ROLE_ADMIN} receive reports (their
 * X-Wing keys are recipients); {@value #ROLE_AUDITOR} verifies and is never a recipient.
 *
 * <p>{@code torKey} (manifest v2, may be null): the holder's Tor client-auth x25519 key, which
 * makes them an authorised client of the reviewer onion while the entry is valid.
 */
public record ReviewerEntry(String alias, String role, RecipientPublicKey encryptionKey,
    SigningPublicKey signingKey, Instant notBefore, Instant notAfter, TorClientAuthKey torKey) {
  public static final String ROLE_REVIEWER = "reviewer";
  public static final String ROLE_ADMIN = "admin";
  public static final String ROLE_AUDITOR = "auditor";
  public static final Set<String> ROLES = Set.of(ROLE_REVIEWER, ROLE_ADMIN, ROLE_AUDITOR);

  public ReviewerEntry {
    Alias.check(alias);
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of reviewer, admin, auditor");
    }
    if (encryptionKey == null || signingKey == null || notBefore == null || notAfter == null) {
      throw new IllegalArgumentException("a reviewer entry needs both keys and both times");
    }
    notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
    notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("notBefore must be before notAfter");
    }
  }

  /** An entry without a Tor client-auth key. */
  public ReviewerEntry(String alias, String role, RecipientPublicKey encryptionKey,
      SigningPublicKey signingKey, Instant notBefore, Instant notAfter) {
    this(alias, role, encryptionKey, signingKey, notBefore, notAfter, null);
  }

  /** Builds an entry from a reviewer's public bundle, with its Tor key if it is a v2 bundle. */
  public static ReviewerEntry of(ReviewerPublicBundle bundle, String role, Instant notBefore,
      Instant notAfter) {
    return new ReviewerEntry(bundle.alias(), role, bundle.encryptionKey(), bundle.signingKey(),
        notBefore, notAfter, bundle.torKey());
  }

  /** The same entry with {@code key} as its Tor client-auth key (null: none). */
  public ReviewerEntry withTorKey(TorClientAuthKey key) {
    return new ReviewerEntry(alias, role, encryptionKey, signingKey, notBefore, notAfter, key);
  }

  /** {@code Fingerprint.of("testigo-reviewer-v1", xwingPk, ed25519Pk)}, as for bundles. */
  public Fingerprint fingerprint() {
    return ReviewerPublicBundle.fingerprint(encryptionKey, signingKey);
  }

  public boolean isValidAt(Instant t) {
    return !t.isBefore(notBefore) && t.isBefore(notAfter);
  }

  /** True for roles whose X-Wing key reports are sealed to. */
  public boolean receivesReports() {
    return role.equals(ROLE_REVIEWER) || role.equals(ROLE_ADMIN);
  }
}

package org.testigo.crypto.identity;

import java.security.SecureRandom;
import java.util.Objects;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * A reviewer's private identity: an X-Wing decryption key, an Ed25519 signing key and an
 * alias. It lives in memory only after {@link Keystore#decrypt} and should be
 * {@link #destroy() destroyed} when the work is done. {@link #toString()} shows the alias
 * and the fingerprint, never key material.
 */
public final class ReviewerIdentity {
  private final String alias;
  private final RecipientPrivateKey encryptionKey;
  private final SigningPrivateKey signingKey;

  private ReviewerIdentity(String alias, RecipientPrivateKey encryptionKey,
      SigningPrivateKey signingKey) {
    this.alias = Alias.check(alias);
    this.encryptionKey = Objects.requireNonNull(encryptionKey);
    this.signingKey = Objects.requireNonNull(signingKey);
  }

  /** Fresh keys for {@code alias} (see {@link Alias}). */
  public static ReviewerIdentity generate(String alias, SecureRandom random) {
    Alias.check(alias);
    return new ReviewerIdentity(alias, RecipientPrivateKey.generate(random),
        SigningPrivateKey.generate(random));
  }

  /** Wraps existing keys (not copied: the identity owns them from now on). */
  public static ReviewerIdentity of(String alias, RecipientPrivateKey encryptionKey,
      SigningPrivateKey signingKey) {
    return new ReviewerIdentity(alias, encryptionKey, signingKey);
  }

  public String alias() {
    return alias;
  }

  public RecipientPrivateKey encryptionKey() {
    return encryptionKey;
  }

  public SigningPrivateKey signingKey() {
    return signingKey;
  }

  public ReviewerPublicBundle publicBundle() {
    return new ReviewerPublicBundle(alias, encryptionKey.publicKey(), signingKey.publicKey());
  }

  /** {@code Fingerprint.of("testigo-reviewer-v1", xwingPk, ed25519Pk)}. */
  public Fingerprint fingerprint() {
    return publicBundle().fingerprint();
  }

  /** Zeroes both seeds. */
  public void destroy() {
    encryptionKey.destroy();
    signingKey.destroy();
  }

  @Override
  public String toString() {
    return "ReviewerIdentity[" + alias + ", " + fingerprint().hex() + ", keys REDACTED]";
  }
}

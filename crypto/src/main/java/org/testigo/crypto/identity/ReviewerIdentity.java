package org.testigo.crypto.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.Hkdf;
import org.testigo.crypto.internal.X25519Raw;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * A reviewer's private identity: an X-Wing decryption key, an Ed25519 signing key and an
 * alias. It lives in memory only after {@link Keystore#decrypt} and should be
 * {@link #destroy() destroyed} when the work is done. {@link #toString()} shows the alias
 * and the fingerprint, never key material.
 */
public final class ReviewerIdentity {
  /** HKDF info of the Tor client-auth key derivation. */
  public static final String TOR_CLIENT_AUTH_INFO = "testigo-tor-client-auth-v1";
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

  /** The public bundle v1: alias and both keys, no Tor client-auth key. */
  public ReviewerPublicBundle publicBundle() {
    return new ReviewerPublicBundle(alias, encryptionKey.publicKey(), signingKey.publicKey());
  }

  /**
   * The public bundle v2 ({@code keys public} writes it): both keys and the Tor client-auth
   * public key, bound to the signing key by a signature under
   * {@link SignatureDomain#TOR_CLIENT_AUTH}.
   */
  public ReviewerPublicBundle publicBundleWithTorKey() {
    TorClientAuthKey tor = torClientAuthPublicKey();
    return new ReviewerPublicBundle(alias, encryptionKey.publicKey(), signingKey.publicKey(), tor,
        signingKey.sign(SignatureDomain.TOR_CLIENT_AUTH, tor.toBytes()));
  }

  /**
   * The x25519 private key for v3 onion client authorisation (the reviewer onion), derived
   * from the Ed25519 seed: {@code clamp(HKDF-SHA256(ikm = seed, salt = empty,
   * info = "testigo-tor-client-auth-v1", 32))}. It lives wherever the keystore's keys live
   * and never needs a file of its own; a new identity means a new one. The caller destroys it.
   */
  public SecretBytes torClientAuthPrivateKey() {
    byte[] k = Hkdf.deriveSha256(signingKey.exposeSecret(), new byte[0],
        TOR_CLIENT_AUTH_INFO.getBytes(StandardCharsets.US_ASCII), X25519Raw.LENGTH);
    X25519Raw.clamp(k);
    try {
      return new SecretBytes(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The public half of {@link #torClientAuthPrivateKey()}. */
  public TorClientAuthKey torClientAuthPublicKey() {
    SecretBytes k = torClientAuthPrivateKey();
    try {
      return TorClientAuthKey.fromBytes(X25519Raw.publicKey(k.exposeSecret()));
    } finally {
      k.destroy();
    }
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

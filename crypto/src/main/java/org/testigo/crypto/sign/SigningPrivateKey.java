package org.testigo.crypto.sign;

import java.security.SecureRandom;
import java.util.Arrays;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.Ed25519Raw;

/**
 * An Ed25519 private key, held as its 32-byte RFC 8032 seed. Secret: never prints,
 * compares in constant time, can be destroyed.
 *
 * <p>It signs through {@link #sign(SignatureDomain, byte[])}, which binds every signature to
 * a {@link SignatureDomain}. The one exception is {@link #signHttpSignatureBase(byte[])},
 * for RFC 9421 HTTP message signatures only (see there why it cannot collide with a
 * domain-separated signature).
 */
public final class SigningPrivateKey extends SecretBytes {
  public static final int SEED_LENGTH = Ed25519Raw.SEED_LENGTH;
  private final SigningPublicKey publicKey;

  private SigningPrivateKey(byte[] seed) {
    super(seed);
    byte[] pk = Ed25519Raw.publicKeyFromSeed(seed);
    this.publicKey = SigningPublicKey.fromBytes(pk);
  }

  /** A fresh key from a cryptographically secure random source. */
  public static SigningPrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    try {
      return new SigningPrivateKey(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Imports a 32-byte seed (copied; the caller should zero its array). */
  public static SigningPrivateKey fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new SigningPrivateKey(seed);
  }

  public SigningPublicKey publicKey() {
    return publicKey;
  }

  /** A 64-byte Ed25519 signature over {@code domain.toBeSigned(message)}. Deterministic. */
  public byte[] sign(SignatureDomain domain, byte[] message) {
    return Ed25519Raw.sign(exposeSecret(), domain.toBeSigned(message));
  }

  /**
   * FOR RFC 9421 HTTP MESSAGE SIGNATURES ONLY: a pure Ed25519 signature (RFC 9421 section
   * 3.3.6) over an RFC 9421 signature base, exactly as the RFC specifies, so that any
   * RFC 9421 implementation can verify it.
   *
   * <p>Why this raw signature cannot be confused with another Testigo signature: an RFC 9421
   * signature base always begins with a quoted component identifier, i.e. the byte
   * {@code '"'} (0x22), and this method refuses anything else; every domain-separated
   * message ({@link SignatureDomain#toBeSigned}) begins with {@code "testigo-sig-v1"}. The
   * two sets of signed byte strings are therefore disjoint. Within HTTP, the Testigo
   * profile's mandatory {@code tag} parameter and covered components bind the signature to
   * the reviewer API (see {@code org.testigo.crypto.httpsig.ReviewerRequestSignature}).
   *
   * @throws IllegalArgumentException if {@code signatureBase} does not start with {@code '"'}
   */
  public byte[] signHttpSignatureBase(byte[] signatureBase) {
    if (!SigningPublicKey.looksLikeSignatureBase(signatureBase)) {
      throw new IllegalArgumentException("not an RFC 9421 signature base");
    }
    return Ed25519Raw.sign(exposeSecret(), signatureBase);
  }
}

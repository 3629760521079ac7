package org.testigo.crypto.sign;

import java.security.SecureRandom;
import java.util.Arrays;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.Ed25519Raw;

/**
 * An Ed25519 private key, held as its 32-byte RFC 8032 seed. Secret: never prints,
 * compares in constant time, can be destroyed.
 *
 * <p>It signs only through {@link #sign(SignatureDomain, byte[])}, which binds every
 * signature to a {@link SignatureDomain}; there is no way to sign raw bytes from here.
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
}

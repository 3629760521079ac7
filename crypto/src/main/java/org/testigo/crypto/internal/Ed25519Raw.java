package org.testigo.crypto.internal;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Plain RFC 8032 Ed25519 (pure, no context, no prehash) over Bouncy Castle. Bouncy Castle
 * stays here; callers use {@code org.testigo.crypto.sign}, which adds domain separation.
 *
 * <p>WARNING: this layer signs raw messages. Outside known-answer tests, sign only through
 * {@code SigningPrivateKey}, so that every signature is bound to a domain label.
 */
public final class Ed25519Raw {
  public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;
  public static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
  public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

  private Ed25519Raw() {}

  /** The 32-byte public key A of a 32-byte seed (RFC 8032 section 5.1.5). */
  public static byte[] publicKeyFromSeed(byte[] seed) {
    checkSeed(seed);
    byte[] pk = new byte[PUBLIC_KEY_LENGTH];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  /**
   * True if {@code pk} decodes to a point of the prime-order subgroup that is not of small
   * order (Bouncy Castle's full validation).
   */
  public static boolean isValidPublicKey(byte[] pk) {
    if (pk == null || pk.length != PUBLIC_KEY_LENGTH) {
      return false;
    }
    try {
      return Ed25519.validatePublicKeyFull(pk, 0);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A 64-byte signature of {@code message} (RFC 8032 section 5.1.6). */
  public static byte[] sign(byte[] seed, byte[] message) {
    checkSeed(seed);
    byte[] sig = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /**
   * RFC 8032 verification (cofactorless, canonical S required by Bouncy Castle). Never
   * throws: any malformed input (null, wrong length, undecodable point) gives false.
   */
  public static boolean verify(byte[] pk, byte[] message, byte[] signature) {
    if (pk == null || message == null || signature == null
        || pk.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, pk, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void checkSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
  }
}

package org.testigo.crypto.sign;

import java.security.MessageDigest;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.internal.Ed25519Raw;

/**
 * An Ed25519 public key (32 bytes, RFC 8032 encoding) that checks domain-separated
 * signatures.
 *
 * <p>{@link #fromBytes} accepts only keys that decode to a point of the prime-order
 * subgroup and are not of small order. {@link #verify} never throws on malformed input.
 * {@link #fingerprint()} is {@code SHA-256("testigo-signing-v1" || 0x00 || pk)}.
 */
public final class SigningPublicKey {
  public static final int LENGTH = Ed25519Raw.PUBLIC_KEY_LENGTH;
  public static final int SIGNATURE_LENGTH = Ed25519Raw.SIGNATURE_LENGTH;
  public static final String FINGERPRINT_DOMAIN = "testigo-signing-v1";

  private final byte[] encoded;

  private SigningPublicKey(byte[] encoded) {
    this.encoded = encoded;
  }

  /**
   * Parses a 32-byte Ed25519 public key.
   *
   * @throws IllegalArgumentException if it is not 32 bytes or not a valid, non-small-order point
   */
  public static SigningPublicKey fromBytes(byte[] encoded) {
    if (encoded.length != LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    if (!Ed25519Raw.isValidPublicKey(encoded)) {
      throw new IllegalArgumentException("not a valid Ed25519 public key");
    }
    return new SigningPublicKey(encoded.clone());
  }

  public byte[] toBytes() {
    return encoded.clone();
  }

  public Fingerprint fingerprint() {
    return Fingerprint.of(FINGERPRINT_DOMAIN, encoded);
  }

  /**
   * True only if {@code signature} is a valid Ed25519 signature by this key over
   * {@code domain.toBeSigned(message)}. Never throws: null, wrong lengths or garbage give
   * false.
   */
  public boolean verify(SignatureDomain domain, byte[] message, byte[] signature) {
    if (domain == null || message == null || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return Ed25519Raw.verify(encoded, domain.toBeSigned(message), signature);
  }

  /** As {@link #verify}, but throws the generic {@link CryptoException} on failure. */
  public void verifyOrThrow(SignatureDomain domain, byte[] message, byte[] signature)
      throws CryptoException {
    if (!verify(domain, message, signature)) {
      throw new CryptoException();
    }
  }

  /**
   * FOR RFC 9421 HTTP MESSAGE SIGNATURES ONLY: true iff {@code signature} is a pure Ed25519
   * signature by this key over {@code signatureBase}, which must begin with {@code '"'} (see
   * {@link SigningPrivateKey#signHttpSignatureBase}). Never throws.
   */
  public boolean verifyHttpSignatureBase(byte[] signatureBase, byte[] signature) {
    if (!looksLikeSignatureBase(signatureBase) || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return Ed25519Raw.verify(encoded, signatureBase, signature);
  }

  static boolean looksLikeSignatureBase(byte[] base) {
    return base != null && base.length > 0 && base[0] == '"';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningPublicKey k && MessageDigest.isEqual(encoded, k.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "SigningPublicKey[" + fingerprint().hex() + "]";
  }
}

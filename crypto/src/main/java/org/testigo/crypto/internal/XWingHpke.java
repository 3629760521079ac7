package org.testigo.crypto.internal;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;
import org.testigo.crypto.CryptoException;

/**
 * Single-shot HPKE with the one suite Testigo uses: mode_base, KEM X-Wing (0x647A),
 * KDF HKDF-SHA256, AEAD ChaCha20Poly1305 (RFC 9180 framework). Bouncy Castle stays here.
 *
 * <p>WARNING: keys are imported from their 32-byte seed; never use
 * {@code HPKE.deriveKeyPair}, which differs between implementations (see SECURITY.md).
 */
public final class XWingHpke {
  public static final int PUBLIC_KEY_LENGTH = 1216;
  public static final int ENC_LENGTH = 1120;
  public static final int TAG_LENGTH = 16;
  public static final short KEM_ID = 0x647A;
  public static final short KDF_ID = 0x0001;
  public static final short AEAD_ID = 0x0003;

  private XWingHpke() {}

  private static HPKE hpke() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X_WING, HPKE.kdf_HKDF_SHA256,
        HPKE.aead_CHACHA20_POLY1305);
  }

  /** Derives the 1216-byte public key from a 32-byte seed. */
  public static byte[] publicKeyFromSeed(byte[] seed) {
    return expand(seed).publicKey;
  }

  /**
   * An X-Wing private key expanded once from its 32-byte seed (the ML-KEM-768 and X25519 key
   * pairs), so that repeated {@link #open(ExpandedKey, byte[], byte[], byte[], byte[])} calls
   * skip the key generation that opening from a seed repeats every time. Opaque: it exposes
   * no private key bytes and never prints them. Holders must treat it like the seed.
   */
  public static final class ExpandedKey {
    private final AsymmetricCipherKeyPair keyPair;
    private final byte[] publicKey;

    private ExpandedKey(AsymmetricCipherKeyPair keyPair) {
      this.keyPair = keyPair;
      this.publicKey = ((XWingPublicKeyParameters) keyPair.getPublic()).getEncoded();
    }

    /** The 1216-byte public key (a copy). */
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "XWingHpke.ExpandedKey[REDACTED]";
    }
  }

  /**
   * Expands a 32-byte seed once (one X-Wing key generation).
   *
   * @throws IllegalArgumentException if {@code seed} is not 32 bytes
   */
  public static ExpandedKey expand(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an X-Wing seed is 32 bytes");
    }
    return new ExpandedKey(hpke().deserializePrivateKey(seed, null));
  }

  /** Throws {@link IllegalArgumentException} if {@code pk} is not a parseable X-Wing key. */
  public static void checkPublicKey(byte[] pk) {
    try {
      new XWingPublicKeyParameters(pk);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an X-Wing public key");
    }
  }

  /** Result of {@link #seal}: the KEM encapsulation and the AEAD ciphertext. */
  public record Sealed(byte[] enc, byte[] ciphertext) {}

  /** HPKE SealBase to {@code recipientPk}. */
  public static Sealed seal(byte[] recipientPk, byte[] info, byte[] aad, byte[] plaintext,
      SecureRandom random) {
    byte[] ikmE = new byte[64];
    random.nextBytes(ikmE);
    return sealDeterministic(recipientPk, info, aad, plaintext, ikmE);
  }

  /**
   * HPKE SealBase with caller-given encapsulation randomness (64 bytes, X-Wing eseed).
   * For known-answer tests only: reusing {@code eseed} breaks confidentiality.
   */
  public static Sealed sealDeterministic(byte[] recipientPk, byte[] info, byte[] aad,
      byte[] plaintext, byte[] eseed) {
    try {
      HPKE hpke = hpke();
      AsymmetricKeyParameter pk = hpke.deserializePublicKey(recipientPk);
      var ctx = hpke.setupBaseS(pk, info, eseed);
      byte[] ct = ctx.seal(aad, plaintext);
      return new Sealed(ctx.getEncapsulation(), ct);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  /**
   * HPKE OpenBase with the recipient's seed. Any failure (bad tag, malformed or low-order
   * encapsulation, which Bouncy Castle reports with unchecked exceptions) becomes the one
   * generic {@link CryptoException}.
   */
  public static byte[] open(byte[] seed, byte[] enc, byte[] info, byte[] aad, byte[] ciphertext)
      throws CryptoException {
    ExpandedKey key;
    try {
      key = expand(seed);
    } catch (RuntimeException e) {
      throw new CryptoException();
    }
    return open(key, enc, info, aad, ciphertext);
  }

  /**
   * HPKE OpenBase with an already expanded key; same failure behaviour as
   * {@link #open(byte[], byte[], byte[], byte[], byte[])}, without its per-call key generation.
   */
  public static byte[] open(ExpandedKey key, byte[] enc, byte[] info, byte[] aad,
      byte[] ciphertext) throws CryptoException {
    if (enc.length != ENC_LENGTH || ciphertext.length < TAG_LENGTH) {
      throw new CryptoException();
    }
    try {
      return hpke().setupBaseR(enc, key.keyPair, info).open(aad, ciphertext);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new CryptoException();
    }
  }
}

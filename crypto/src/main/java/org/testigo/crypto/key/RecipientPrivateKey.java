package org.testigo.crypto.key;

import java.security.SecureRandom;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.XWingHpke;

/**
 * An X-Wing private key, held as its 32-byte seed (the form draft-connolly-cfrg-xwing-kem
 * and hpke-js both use). Secret: never prints, compares in constant time, can be destroyed.
 *
 * <p>The seed is expanded into the ML-KEM-768 and X25519 key pairs once, when the key is
 * made, and that expansion is kept (never exposed) for {@link #openHpke}; {@link #destroy()}
 * zeroes the seed and drops the expansion.
 */
public final class RecipientPrivateKey extends SecretBytes {
  public static final int SEED_LENGTH = 32;
  private final RecipientPublicKey publicKey;
  private volatile XWingHpke.ExpandedKey expanded;

  private RecipientPrivateKey(byte[] seed) {
    super(seed);
    XWingHpke.ExpandedKey e = XWingHpke.expand(seed);
    this.expanded = e;
    this.publicKey = RecipientPublicKey.fromBytes(e.publicKey());
  }

  /** A fresh key from a cryptographically secure random source. */
  public static RecipientPrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    try {
      return new RecipientPrivateKey(seed);
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }

  /** Imports a 32-byte seed (copied; the caller should zero its array). */
  public static RecipientPrivateKey fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an X-Wing seed is 32 bytes");
    }
    return new RecipientPrivateKey(seed);
  }

  public RecipientPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Single-shot HPKE OpenBase with this key, suite X-Wing / HKDF-SHA256 / ChaCha20Poly1305
   * (see {@link XWingHpke}), using the expansion kept since construction. Gives the same
   * result as {@link XWingHpke#open(byte[], byte[], byte[], byte[], byte[])} on the seed.
   *
   * @throws CryptoException (generic) on any failure to open
   * @throws IllegalStateException if this key was destroyed
   */
  public byte[] openHpke(byte[] enc, byte[] info, byte[] aad, byte[] ciphertext)
      throws CryptoException {
    XWingHpke.ExpandedKey e = expanded;
    if (e == null || isDestroyed()) {
      throw new IllegalStateException("secret was destroyed");
    }
    return XWingHpke.open(e, enc, info, aad, ciphertext);
  }

  @Override
  protected void onDestroy() {
    expanded = null;
  }
}

package org.testigo.crypto.key;

import java.security.SecureRandom;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.XWingHpke;

/**
 * An X-Wing private key, held as its 32-byte seed (the form draft-connolly-cfrg-xwing-kem
 * and hpke-js both use). Secret: never prints, compares in constant time, can be destroyed.
 */
public final class RecipientPrivateKey extends SecretBytes {
  public static final int SEED_LENGTH = 32;
  private final RecipientPublicKey publicKey;

  private RecipientPrivateKey(byte[] seed) {
    super(seed);
    this.publicKey = RecipientPublicKey.fromBytes(XWingHpke.publicKeyFromSeed(seed));
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
}

package org.testigo.crypto.internal;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.testigo.crypto.CryptoException;

/**
 * ChaCha20-Poly1305 (RFC 8439) single-shot seal and open: 32-byte key, 12-byte nonce,
 * 16-byte tag appended to the ciphertext.
 *
 * <p>WARNING: the caller guarantees that a (key, nonce) pair is never used twice.
 */
public final class ChaChaPoly {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private ChaChaPoly() {}

  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    ChaCha20Poly1305 aead = init(true, key, nonce, aad);
    byte[] out = new byte[aead.getOutputSize(plaintext.length)];
    int n = aead.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
    }
    return out;
  }

  /** Opens or throws the generic {@link CryptoException}; no partial plaintext escapes. */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
      throws CryptoException {
    if (key.length != KEY_LENGTH || nonce.length != NONCE_LENGTH
        || ciphertext.length < TAG_LENGTH) {
      throw new CryptoException();
    }
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    try {
      ChaCha20Poly1305 aead = init(false, key, nonce, aad);
      int n = aead.processBytes(ciphertext, 0, ciphertext.length, out, 0);
      aead.doFinal(out, n);
      return out;
    } catch (InvalidCipherTextException | RuntimeException e) {
      java.util.Arrays.fill(out, (byte) 0);
      throw new CryptoException();
    }
  }

  private static ChaCha20Poly1305 init(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
    ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    aead.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
    return aead;
  }
}

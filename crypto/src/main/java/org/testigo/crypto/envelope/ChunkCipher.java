package org.testigo.crypto.envelope;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.testigo.crypto.CryptoException;

/**
 * AES-256-GCM over the STREAM chunks of one envelope, with one reused {@link Cipher}.
 *
 * <p>Nonce (12 bytes) = 11-byte big-endian chunk counter || last flag (0x01 on the final
 * chunk, 0x00 otherwise). No associated data. Counters are never reused within one key:
 * the key is fresh per envelope (it derives from a random file key).
 */
final class ChunkCipher {
  static final int TAG_LENGTH = 16;
  static final int NONCE_LENGTH = 12;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final int mode;
  private final byte[] nonce = new byte[NONCE_LENGTH];

  private ChunkCipher(byte[] payloadKey, int mode) {
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required by the Java platform", e);
    }
    this.key = new SecretKeySpec(payloadKey, "AES");
    this.mode = mode;
  }

  static ChunkCipher forSealing(byte[] payloadKey) {
    return new ChunkCipher(payloadKey, Cipher.ENCRYPT_MODE);
  }

  static ChunkCipher forOpening(byte[] payloadKey) {
    return new ChunkCipher(payloadKey, Cipher.DECRYPT_MODE);
  }

  /** Encrypts {@code in[0..len)} into {@code out}; returns {@code len + 16}. */
  int seal(long counter, boolean last, byte[] in, int len, byte[] out) {
    return seal(counter, last, in, 0, len, out);
  }

  /** Encrypts {@code in[off..off+len)} into {@code out}; returns {@code len + 16}. */
  int seal(long counter, boolean last, byte[] in, int off, int len, byte[] out) {
    try {
      init(counter, last);
      return cipher.doFinal(in, off, len, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Decrypts and authenticates {@code in[0..len)} into {@code out}; returns {@code len - 16}. */
  int open(long counter, boolean last, byte[] in, int len, byte[] out) throws CryptoException {
    if (len < TAG_LENGTH) {
      throw new CryptoException();
    }
    try {
      init(counter, last);
      return cipher.doFinal(in, 0, len, out, 0);
    } catch (AEADBadTagException e) {
      throw new CryptoException();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private void init(long counter, boolean last) throws GeneralSecurityException {
    if (counter < 0) {
      throw new IllegalStateException("chunk counter overflow");
    }
    for (int i = 0; i < 8; i++) {
      nonce[10 - i] = (byte) (counter >>> (8 * i));
    }
    nonce[11] = (byte) (last ? 1 : 0);
    cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
  }
}

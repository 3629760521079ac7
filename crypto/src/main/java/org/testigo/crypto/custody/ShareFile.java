package org.testigo.crypto.custody;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.internal.ChaChaPoly;

/**
 * Custodian share file v1: one root-key share encrypted under its custodian's passphrase.
 *
 * <pre>
 * header = "TSTGSHR" || 0x01 || share header v1 (see {@link ShareHeader})
 *          || root_fingerprint (32) || argon2 memory KiB, iterations, parallelism (3 × u32 BE)
 *          || salt (16)
 * file   = header || nonce (12) || ChaCha20-Poly1305(kek, nonce, aad = header, share value)
 * kek    = Argon2id(UTF-8 NFC passphrase, salt, stored parameters, 32 bytes)
 * </pre>
 *
 * <p>Everything in the header (ceremony, m, n, share number, custodian, root key and its
 * fingerprint, Argon2 parameters, salt) is associated data: changing any byte of the file,
 * or moving the encrypted value into another header (another ceremony, another number),
 * makes {@link #decrypt} fail. A wrong passphrase and a modified file fail alike, with the
 * generic {@link CryptoException}. Parameters are range-checked (as for keystores) before
 * any hashing.
 */
public final class ShareFile {
  static final byte[] MAGIC = "TSTGSHR".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  static final int SALT_LENGTH = 16;
  /** Share files are a few hundred bytes. */
  public static final int MAX_LENGTH = 1024;

  private ShareFile() {}

  /** Encrypts {@code share} under {@code passphrase} (not empty). */
  public static byte[] encrypt(RootShare share, Passphrase passphrase, KeystoreParams params,
      SecureRandom random) {
    if (passphrase.isEmpty()) {
      throw new IllegalArgumentException("the passphrase must not be empty");
    }
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] nonce = new byte[ChaChaPoly.NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] header = header(share.header(), params, salt);
    byte[] kek = passphrase.deriveKey(salt, params, ChaChaPoly.KEY_LENGTH);
    try {
      byte[] ct = ChaChaPoly.seal(kek, nonce, header, share.exposeSecret());
      return ByteBuffer.allocate(header.length + nonce.length + ct.length).put(header)
          .put(nonce).put(ct).array();
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /** Opens a share file, or throws the generic {@link CryptoException}. */
  public static RootShare decrypt(byte[] file, Passphrase passphrase) throws CryptoException {
    Parsed p = Parsed.of(file);
    byte[] kek;
    try {
      kek = passphrase.deriveKey(p.salt, p.params, ChaChaPoly.KEY_LENGTH);
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
    byte[] value = null;
    try {
      value = ChaChaPoly.open(kek, p.nonce, p.aad, p.ciphertext);
      return new RootShare(p.header, value);
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    } finally {
      Arrays.fill(kek, (byte) 0);
      if (value != null) {
        Arrays.fill(value, (byte) 0);
      }
    }
  }

  /**
   * The header of a share file, read WITHOUT authentication: for showing whose share a
   * file claims to be before asking for the passphrase. Never trust it further.
   */
  public static ShareHeader peek(byte[] file) throws CryptoException {
    return Parsed.of(file).header;
  }

  /** True if {@code bytes} start like a share file (magic and version), nothing more. */
  public static boolean looksLikeShareFile(byte[] bytes) {
    return bytes.length > MAGIC.length
        && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  static byte[] header(ShareHeader h, KeystoreParams params, byte[] salt) {
    byte[] sh = h.encode();
    return ByteBuffer.allocate(MAGIC.length + 1 + sh.length + Fingerprint.LENGTH + 12
            + SALT_LENGTH)
        .put(MAGIC).put((byte) VERSION).put(sh).put(h.rootFingerprint().toBytes())
        .putInt(params.memoryKiB()).putInt(params.iterations()).putInt(params.parallelism())
        .put(salt).array();
  }

  private static final class Parsed {
    ShareHeader header;
    KeystoreParams params;
    byte[] salt;
    byte[] aad;
    byte[] nonce;
    byte[] ciphertext;

    static Parsed of(byte[] file) throws CryptoException {
      if (file == null || file.length > MAX_LENGTH || !looksLikeShareFile(file)
          || file[MAGIC.length] != VERSION) {
        throw new CryptoException();
      }
      try {
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(MAGIC.length + 1);
        Parsed p = new Parsed();
        p.header = ShareHeader.decode(b);
        byte[] fp = new byte[Fingerprint.LENGTH];
        b.get(fp);
        if (!p.header.rootFingerprint().equals(Fingerprint.fromBytes(fp))) {
          throw new CryptoException();
        }
        long m = b.getInt() & 0xffffffffL;
        long t = b.getInt() & 0xffffffffL;
        long par = b.getInt() & 0xffffffffL;
        if (m > Integer.MAX_VALUE || t > Integer.MAX_VALUE || par > Integer.MAX_VALUE) {
          throw new CryptoException();
        }
        p.params = new KeystoreParams((int) m, (int) t, (int) par);
        p.salt = new byte[SALT_LENGTH];
        b.get(p.salt);
        p.aad = Arrays.copyOf(file, b.position());
        p.nonce = new byte[ChaChaPoly.NONCE_LENGTH];
        b.get(p.nonce);
        p.ciphertext = new byte[RootShare.VALUE_LENGTH + ChaChaPoly.TAG_LENGTH];
        b.get(p.ciphertext);
        if (b.hasRemaining()) {
          throw new CryptoException();
        }
        return p;
      } catch (IllegalArgumentException | BufferUnderflowException e) {
        throw new CryptoException();
      }
    }
  }
}

package org.testigo.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.internal.Hkdf;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * A file only its owner can read or write: local data a reviewer's tool derives from what it
 * decrypted (the report index), encrypted and authenticated under a key derived from the
 * reviewer's own private key, so that it never sits on disk in plaintext and a file that was
 * altered, truncated or written under another key is detected, never trusted.
 *
 * <pre>
 * file  = "TGLOCAL1" || salt[32] || chunk*        ; at least one chunk, the last flagged
 * key   = HKDF-SHA256(ikm = X-Wing seed of the owner, salt = salt,
 *                     info = "testigo-local-v1" || 0x00 || purpose)
 * chunk = AES-256-GCM(key, nonce = 11-byte big-endian counter || last flag, no AAD)
 *         of 65,536 plaintext bytes (the last chunk: 0..65,536)
 * </pre>
 *
 * <p>The chunks are the STREAM of the envelope payload ({@link ChunkCipher}): a reader sees
 * only authenticated chunks, and truncation at a chunk boundary fails at the end. A fresh
 * random salt per file gives a fresh key, so counters never repeat under one key.
 *
 * <p>WARNING: a chunk is released to the reader as soon as it is authenticated; a reader must
 * not act on the content until {@code read} returned -1 without an exception (the whole file
 * verified). Anyone holding the owner's private key can read and forge such a file.
 */
public final class LocalSealedFile {
  static final byte[] MAGIC = "TGLOCAL1".getBytes(StandardCharsets.US_ASCII);
  static final int SALT_LENGTH = 32;
  static final int CHUNK = 65536;
  private static final byte[] INFO = "testigo-local-v1".getBytes(StandardCharsets.US_ASCII);

  private LocalSealedFile() {}

  /** The file is not one this owner wrote for this purpose, or it was altered or truncated. */
  public static final class TamperedException extends IOException {
    TamperedException() {
      super("the file does not verify under your key (altered, truncated, or written with another keystore)");
    }
  }

  static byte[] key(RecipientPrivateKey owner, byte[] salt, String purpose) {
    byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
    byte[] info = new byte[INFO.length + 1 + p.length];
    System.arraycopy(INFO, 0, info, 0, INFO.length);
    System.arraycopy(p, 0, info, INFO.length + 1, p.length);
    return Hkdf.deriveSha256(owner.exposeSecret(), salt, info, 32);
  }

  /** A stream that writes the sealed form of what is written to it into {@code out}; close it to finish. */
  public static OutputStream sealing(OutputStream out, RecipientPrivateKey owner, String purpose, SecureRandom random)
      throws IOException {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] key = key(owner, salt, purpose);
    ChunkCipher cipher = ChunkCipher.forSealing(key);
    Arrays.fill(key, (byte) 0);
    out.write(MAGIC);
    out.write(salt);
    return new OutputStream() {
      private final byte[] buf = new byte[CHUNK];
      private final byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_LENGTH];
      private int n;
      private long counter;
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          if (n == CHUNK) {
            out.write(sealed, 0, cipher.seal(counter++, false, buf, n, sealed));
            n = 0;
          }
          int k = Math.min(len, CHUNK - n);
          System.arraycopy(b, off, buf, n, k);
          n += k;
          off += k;
          len -= k;
        }
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        out.write(sealed, 0, cipher.seal(counter, true, buf, n, sealed));
        Arrays.fill(buf, (byte) 0);
        out.close();
      }
    };
  }

  /**
   * A stream of the verified plaintext of a sealed file. Any defect (wrong magic, another
   * key or purpose, a modified, missing, reordered or extra chunk) throws
   * {@link TamperedException}, at the latest when the end is read.
   */
  public static InputStream opening(InputStream in, RecipientPrivateKey owner, String purpose) throws IOException {
    byte[] head = in.readNBytes(MAGIC.length + SALT_LENGTH);
    if (head.length != MAGIC.length + SALT_LENGTH
        || !MessageDigest.isEqual(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
      throw new TamperedException();
    }
    byte[] key = key(owner, Arrays.copyOfRange(head, MAGIC.length, head.length), purpose);
    ChunkCipher cipher = ChunkCipher.forOpening(key);
    Arrays.fill(key, (byte) 0);
    return new InputStream() {
      private final byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_LENGTH + 1];
      private final byte[] plain = new byte[CHUNK];
      private int have;
      private int pos;
      private int len;
      private long counter;
      private boolean done;

      private boolean fill() throws IOException {
        while (pos == len) {
          if (done) {
            return false;
          }
          int want = CHUNK + ChunkCipher.TAG_LENGTH + 1;
          while (have < want) {
            int r = in.read(sealed, have, want - have);
            if (r < 0) {
              break;
            }
            have += r;
          }
          boolean last = have < want;
          int chunk = last ? have : want - 1;
          try {
            len = cipher.open(counter++, last, sealed, chunk, plain);
          } catch (CryptoException e) {
            throw new TamperedException();
          }
          pos = 0;
          if (last) {
            done = true;
            have = 0;
          } else {
            sealed[0] = sealed[want - 1];
            have = 1;
          }
        }
        return true;
      }

      @Override
      public int read() throws IOException {
        return fill() ? plain[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        int k = Math.min(n, len - pos);
        System.arraycopy(plain, pos, b, off, k);
        pos += k;
        return k;
      }

      @Override
      public void close() throws IOException {
        Arrays.fill(plain, (byte) 0);
        in.close();
      }
    };
  }

  /** Seals {@code plaintext} in memory (tests and small files). */
  public static byte[] seal(byte[] plaintext, RecipientPrivateKey owner, String purpose, SecureRandom random)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = sealing(out, owner, purpose, random)) {
      s.write(plaintext);
    }
    return out.toByteArray();
  }
}

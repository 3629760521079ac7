package org.testigo.crypto.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.internal.Argon2id;
import org.testigo.crypto.internal.ChaChaPoly;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Keystore file format v1: a reviewer identity encrypted under a passphrase.
 *
 * <p>Argon2id(passphrase, salt, stored parameters) gives a key-encryption key, which wraps
 * a random 32-byte identity key with ChaCha20-Poly1305; the identity key encrypts the
 * secret body (both seeds and the alias). Changing the passphrase re-wraps only the
 * identity key. The public header (magic, version, alias, public keys) is associated data
 * of both AEADs, and the Argon2 parameters and salt are associated data of the wrap, so
 * no byte of the file can change without {@link #decrypt} failing. The byte layout is in
 * SECURITY.md.
 *
 * <p>Every failure to open (wrong passphrase, tampering, truncation, trailing bytes,
 * unknown version, Argon2 parameters outside {@link KeystoreParams}' limits) is the one
 * generic {@link CryptoException}; parameters are checked before any hashing.
 */
public final class Keystore {
  static final byte[] MAGIC = "TSTGKEY".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  static final int SALT_LENGTH = 16;
  static final int IDENTITY_KEY_LENGTH = 32;
  static final int SEED_LENGTH = 32;
  /** Keystore files are a few KiB; anything larger is refused without reading it all. */
  public static final int MAX_FILE_LENGTH = 16 * 1024;
  private static final int PARAMS_LENGTH = 12;
  private static final int WRAPPED_LENGTH = IDENTITY_KEY_LENGTH + ChaChaPoly.TAG_LENGTH;

  private Keystore() {}

  /** Encrypts {@code identity} under {@code passphrase} (not empty) into a v1 file. */
  public static byte[] encrypt(ReviewerIdentity identity, Passphrase passphrase,
      KeystoreParams params, SecureRandom random) {
    if (passphrase.isEmpty()) {
      throw new IllegalArgumentException("the passphrase must not be empty");
    }
    byte[] header = publicHeader(identity.alias(),
        identity.encryptionKey().publicKey(), identity.signingKey().publicKey());
    byte[] identityKey = new byte[IDENTITY_KEY_LENGTH];
    random.nextBytes(identityKey);
    byte[] body = secretBody(identity);
    try {
      byte[] bodyNonce = new byte[ChaChaPoly.NONCE_LENGTH];
      random.nextBytes(bodyNonce);
      byte[] sealedBody = ChaChaPoly.seal(identityKey, bodyNonce, header, body);
      return assemble(header, passphrase, params, random, identityKey, bodyNonce, sealedBody);
    } finally {
      Arrays.fill(identityKey, (byte) 0);
      Arrays.fill(body, (byte) 0);
    }
  }

  /** Opens a v1 keystore, or throws the generic {@link CryptoException}. */
  public static ReviewerIdentity decrypt(byte[] file, Passphrase passphrase)
      throws CryptoException {
    Parsed p = Parsed.of(file);
    byte[] identityKey = unwrap(p, passphrase);
    try {
      return openBody(p, identityKey);
    } finally {
      Arrays.fill(identityKey, (byte) 0);
    }
  }

  /**
   * Re-wraps the identity key under {@code newPassphrase} with a fresh salt and
   * {@code params}. The keys, the alias and the encrypted body are unchanged; the old
   * passphrase no longer opens the returned file.
   */
  public static byte[] changePassphrase(byte[] file, Passphrase oldPassphrase,
      Passphrase newPassphrase, KeystoreParams params, SecureRandom random)
      throws CryptoException {
    if (newPassphrase.isEmpty()) {
      throw new IllegalArgumentException("the passphrase must not be empty");
    }
    Parsed p = Parsed.of(file);
    byte[] identityKey = unwrap(p, oldPassphrase);
    try {
      openBody(p, identityKey).destroy();
      return assemble(p.header, newPassphrase, params, random, identityKey, p.bodyNonce,
          p.sealedBody);
    } finally {
      Arrays.fill(identityKey, (byte) 0);
    }
  }

  /** The Argon2id parameters recorded in a keystore (checked against the limits). */
  public static KeystoreParams params(byte[] file) throws CryptoException {
    Parsed p = Parsed.of(file);
    return new KeystoreParams(p.memoryKiB, p.iterations, p.parallelism);
  }

  /** Reads and opens a keystore file. */
  public static ReviewerIdentity read(Path path, Passphrase passphrase)
      throws IOException, CryptoException {
    return decrypt(readBytes(path), passphrase);
  }

  /** Reads the bytes of a keystore file, refusing files over {@link #MAX_FILE_LENGTH}. */
  public static byte[] readBytes(Path path) throws IOException, CryptoException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      if (ch.size() > MAX_FILE_LENGTH) {
        throw new CryptoException();
      }
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read until full or end of file
      }
      return Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /**
   * Writes {@code file} to {@code path} atomically with POSIX mode 0600: a temporary file in
   * the same directory is written, flushed to disk and then linked (no overwrite) or renamed
   * (overwrite) into place, so a reader sees the old file or the new one, never a mix.
   *
   * @throws FileAlreadyExistsException if {@code path} exists and {@code overwrite} is false
   * @throws UnsupportedOperationException if the file system has no POSIX permissions
   */
  public static void write(Path path, byte[] file, boolean overwrite) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (!overwrite && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path tmp = Files.createTempFile(dir, ".keystore-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(file);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (overwrite) {
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the file system cannot replace files atomically", e);
        }
      } else {
        Files.createLink(target, tmp);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // some file systems cannot sync a directory; the file itself is synced
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---- layout ----

  static byte[] publicHeader(String alias, RecipientPublicKey xwing, SigningPublicKey ed) {
    byte[] a = alias.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + a.length + RecipientPublicKey.LENGTH
        + SigningPublicKey.LENGTH);
    b.put(MAGIC).put((byte) VERSION).put((byte) a.length).put(a);
    b.put(xwing.toBytes()).put(ed.toBytes());
    return b.array();
  }

  private static byte[] secretBody(ReviewerIdentity identity) {
    byte[] a = identity.alias().getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[2 * SEED_LENGTH + 1 + a.length];
    System.arraycopy(identity.encryptionKey().exposeSecret(), 0, body, 0, SEED_LENGTH);
    System.arraycopy(identity.signingKey().exposeSecret(), 0, body, SEED_LENGTH, SEED_LENGTH);
    body[2 * SEED_LENGTH] = (byte) a.length;
    System.arraycopy(a, 0, body, 2 * SEED_LENGTH + 1, a.length);
    return body;
  }

  private static byte[] assemble(byte[] header, Passphrase passphrase, KeystoreParams params,
      SecureRandom random, byte[] identityKey, byte[] bodyNonce, byte[] sealedBody) {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] wrapNonce = new byte[ChaChaPoly.NONCE_LENGTH];
    random.nextBytes(wrapNonce);
    ByteBuffer aad = ByteBuffer.allocate(header.length + PARAMS_LENGTH + SALT_LENGTH);
    aad.put(header).putInt(params.memoryKiB()).putInt(params.iterations())
        .putInt(params.parallelism()).put(salt);
    byte[] kek = kek(passphrase, salt, params.memoryKiB(), params.iterations(),
        params.parallelism());
    byte[] wrapped;
    try {
      wrapped = ChaChaPoly.seal(kek, wrapNonce, aad.array(), identityKey);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
    return ByteBuffer.allocate(aad.capacity() + wrapNonce.length + wrapped.length
            + bodyNonce.length + sealedBody.length)
        .put(aad.array()).put(wrapNonce).put(wrapped).put(bodyNonce).put(sealedBody).array();
  }

  private static byte[] kek(Passphrase passphrase, byte[] salt, int m, int t, int p) {
    byte[] pw = passphrase.toUtf8Nfc();
    try {
      return Argon2id.hash(pw, salt, m, t, p, ChaChaPoly.KEY_LENGTH);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] unwrap(Parsed p, Passphrase passphrase) throws CryptoException {
    byte[] kek;
    try {
      kek = kek(passphrase, p.salt, p.memoryKiB, p.iterations, p.parallelism);
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
    try {
      return ChaChaPoly.open(kek, p.wrapNonce, p.wrapAad, p.wrapped);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private static ReviewerIdentity openBody(Parsed p, byte[] identityKey) throws CryptoException {
    byte[] body = ChaChaPoly.open(identityKey, p.bodyNonce, p.header, p.sealedBody);
    try {
      if (body.length != 2 * SEED_LENGTH + 1 + p.alias.length()
          || (body[2 * SEED_LENGTH] & 0xff) != p.alias.length()) {
        throw new CryptoException();
      }
      String alias = new String(body, 2 * SEED_LENGTH + 1, p.alias.length(),
          StandardCharsets.US_ASCII);
      if (!alias.equals(p.alias)) {
        throw new CryptoException();
      }
      RecipientPrivateKey enc = RecipientPrivateKey.fromSeed(Arrays.copyOfRange(body, 0,
          SEED_LENGTH));
      SigningPrivateKey sig = SigningPrivateKey.fromSeed(Arrays.copyOfRange(body, SEED_LENGTH,
          2 * SEED_LENGTH));
      if (!enc.publicKey().equals(p.xwing) || !sig.publicKey().equals(p.ed)) {
        enc.destroy();
        sig.destroy();
        throw new CryptoException();
      }
      return ReviewerIdentity.of(alias, enc, sig);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  /** A structurally valid v1 file, split into its fields. */
  private static final class Parsed {
    byte[] header;
    String alias;
    RecipientPublicKey xwing;
    SigningPublicKey ed;
    int memoryKiB;
    int iterations;
    int parallelism;
    byte[] salt;
    byte[] wrapAad;
    byte[] wrapNonce;
    byte[] wrapped;
    byte[] bodyNonce;
    byte[] sealedBody;

    static Parsed of(byte[] file) throws CryptoException {
      try {
        return parse(file);
      } catch (RuntimeException e) {
        throw new CryptoException();
      }
    }

    private static Parsed parse(byte[] file) throws CryptoException {
      if (file == null || file.length > MAX_FILE_LENGTH || file.length < MAGIC.length + 2) {
        throw new CryptoException();
      }
      ByteBuffer b = ByteBuffer.wrap(file);
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC) || (b.get() & 0xff) != VERSION) {
        throw new CryptoException();
      }
      Parsed p = new Parsed();
      int aliasLength = b.get() & 0xff;
      int bodyLength = 2 * SEED_LENGTH + 1 + aliasLength + ChaChaPoly.TAG_LENGTH;
      int headerLength = MAGIC.length + 2 + aliasLength + RecipientPublicKey.LENGTH
          + SigningPublicKey.LENGTH;
      int total = headerLength + PARAMS_LENGTH + SALT_LENGTH + ChaChaPoly.NONCE_LENGTH
          + WRAPPED_LENGTH + ChaChaPoly.NONCE_LENGTH + bodyLength;
      if (file.length != total) {
        throw new CryptoException();
      }
      byte[] a = new byte[aliasLength];
      b.get(a);
      p.alias = new String(a, StandardCharsets.US_ASCII);
      if (!Alias.isValid(p.alias)) {
        throw new CryptoException();
      }
      p.xwing = RecipientPublicKey.fromBytes(take(b, RecipientPublicKey.LENGTH));
      p.ed = SigningPublicKey.fromBytes(take(b, SigningPublicKey.LENGTH));
      p.header = Arrays.copyOfRange(file, 0, headerLength);
      long m = b.getInt() & 0xffffffffL;
      long t = b.getInt() & 0xffffffffL;
      long par = b.getInt() & 0xffffffffL;
      if (!KeystoreParams.withinLimits(m, t, par)) {
        throw new CryptoException();
      }
      p.memoryKiB = (int) m;
      p.iterations = (int) t;
      p.parallelism = (int) par;
      p.salt = take(b, SALT_LENGTH);
      p.wrapAad = Arrays.copyOfRange(file, 0, b.position());
      p.wrapNonce = take(b, ChaChaPoly.NONCE_LENGTH);
      p.wrapped = take(b, WRAPPED_LENGTH);
      p.bodyNonce = take(b, ChaChaPoly.NONCE_LENGTH);
      p.sealedBody = take(b, bodyLength);
      if (b.hasRemaining()) {
        throw new CryptoException();
      }
      return p;
    }

    private static byte[] take(ByteBuffer b, int n) {
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }
  }
}

package org.testigo.server.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.storage.TreeHeadSigning;

/**
 * The server's log key: the Ed25519 key that signs tree heads. Loaded from a file holding
 * exactly the 32-byte seed ("log key file v1"), readable by its owner only. This is the one
 * place in the server (besides the demo bootstrap) that holds a {@link SigningPrivateKey}
 * (architecture test); it can only sign tree heads.
 *
 * <p>It is not a reviewer key: it opens nothing. Its public half must be the {@code logKey}
 * of the key manifest in force, or the server refuses to start ({@link #requireListedIn}).
 */
public final class LogSigningKey implements TreeHeadSigning {
  private final SigningPrivateKey key;

  private LogSigningKey(SigningPrivateKey key) {
    this.key = key;
  }

  /** The server cannot use its log key file. */
  public static final class LogKeyException extends Exception {
    public LogKeyException(String message) {
      super(message);
    }
  }

  /**
   * Reads the key file.
   *
   * @throws LogKeyException if the file is missing, is not exactly 32 bytes, or (on POSIX
   *     file systems) can be read or written by anyone but its owner
   */
  public static LogSigningKey load(Path file) throws LogKeyException {
    byte[] seed = null;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new LogKeyException("the log key file " + file + " does not exist (or is not a regular file)");
      }
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE).containsAll(perms)) {
          throw new LogKeyException("the log key file " + file + " must have mode 0600 or 0400; refusing to start");
        }
      } catch (UnsupportedOperationException notPosix) {
        // no POSIX permissions to check on this file system
      }
      seed = Files.readAllBytes(file);
      if (seed.length != SigningPrivateKey.SEED_LENGTH) {
        throw new LogKeyException("the log key file " + file + " must hold exactly the 32-byte Ed25519 seed");
      }
      return new LogSigningKey(SigningPrivateKey.fromSeed(seed));
    } catch (IOException e) {
      throw new LogKeyException("cannot read the log key file " + file);
    } finally {
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  /**
   * Creates a new log key file ("log key file v1": the 32-byte seed, mode 0600, created
   * exclusively) and returns its public half, for the genesis or log-key rotation ceremony.
   *
   * @throws LogKeyException if the file exists already (a log key is never overwritten: the
   *     manifest in force may name it) or cannot be written
   */
  public static SigningPublicKey create(Path file, SecureRandom random) throws LogKeyException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new LogKeyException("the log key file " + file + " exists already; refusing to overwrite it"
          + " (a new key needs a new file and a manifest that names it: see ops/runbooks/key-ceremony.md)");
    }
    SigningPrivateKey key = SigningPrivateKey.generate(random);
    byte[] seed = key.exposeSecret();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.write(file, seed, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.SYNC);
      return key.publicKey();
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new LogKeyException("the log key file " + file + " exists already; refusing to overwrite it");
    } catch (IOException e) {
      throw new LogKeyException("cannot write the log key file " + file + ": " + e.getMessage());
    } finally {
      key.destroy(); // zeroes the seed
    }
  }

  /** Throws unless this key is the log key of {@code manifest}. */
  public LogSigningKey requireListedIn(KeyManifest manifest) throws LogKeyException {
    if (!manifest.logKey().fingerprint().equals(key.publicKey().fingerprint())) {
      throw new LogKeyException("the log key file does not hold the log key of the key manifest in force ("
          + manifest.logKey().fingerprint().shortForm() + "); refusing to start");
    }
    return this;
  }

  public SigningPublicKey publicKey() {
    return key.publicKey();
  }

  /** Signs the tree head (size, root, timestamp) under the tree-head signature domain. */
  @Override
  public SignedTreeHead sign(long treeSize, byte[] rootHash, long timestampMillis) {
    return SignedTreeHead.sign(treeSize, rootHash, timestampMillis, key);
  }

  @Override
  public String toString() {
    return "LogSigningKey[" + key.publicKey().fingerprint().shortForm() + "]";
  }
}

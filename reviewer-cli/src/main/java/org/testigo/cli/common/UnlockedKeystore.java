package org.testigo.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * A keystore unlocked once for a long-lived session (the inbox): the decrypted identity stays
 * in this process's memory only, never written anywhere, and every command run in the session
 * gets its own {@link #copy() copy}, which that command destroys when it is done, as it
 * destroys an identity it decrypted itself. {@link #close()} zeroes the held seeds.
 *
 * <p>WARNING: the seeds live in the JVM heap for the whole session; the garbage collector may
 * have copied them before they are zeroed. That is the cost of asking the passphrase once.
 */
public final class UnlockedKeystore implements AutoCloseable {
  private final Path path;
  private final ReviewerIdentity identity;

  private UnlockedKeystore(Path path, ReviewerIdentity identity) {
    this.path = path;
    this.identity = identity;
  }

  /**
   * Decrypts the keystore at {@code path} with {@code passphrase}, which is zeroed here.
   *
   * @throws CryptoException for a wrong passphrase or a modified keystore (nothing is written)
   */
  public static UnlockedKeystore unlock(Path path, char[] passphrase) throws IOException, CryptoException {
    try {
      return new UnlockedKeystore(normal(path), Identities.decrypt(Identities.readKeystore(path), passphrase));
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /** The keystore file this session holds. */
  public Path path() {
    return path;
  }

  public String alias() {
    return identity.alias();
  }

  /** A fresh identity with the same keys, owned (and destroyed) by the caller. */
  public ReviewerIdentity copy() {
    return ReviewerIdentity.of(identity.alias(),
        RecipientPrivateKey.fromSeed(identity.encryptionKey().exposeSecret()),
        SigningPrivateKey.fromSeed(identity.signingKey().exposeSecret()));
  }

  /** A copy for a command that names {@code keystore}; refused if it names another file. */
  ReviewerIdentity copyFor(Path keystore) {
    if (!normal(keystore).equals(path)) {
      throw new CliException(ExitCodes.USAGE, "this session unlocked " + path + ", not " + keystore);
    }
    return copy();
  }

  private static Path normal(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    try {
      return Files.exists(abs) ? abs.toRealPath() : abs;
    } catch (IOException e) {
      return abs;
    }
  }

  /** Zeroes the held seeds. Idempotent. */
  @Override
  public void close() {
    identity.destroy();
  }

  @Override
  public String toString() {
    return "UnlockedKeystore[" + path + ", keys REDACTED]";
  }
}

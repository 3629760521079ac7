package org.testigo.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;

/** Opens the reviewer's keystore for the duration of one command. */
public final class Identities {
  private Identities() {}

  /**
   * Prompts for the passphrase (or, in a session that unlocked the keystore once, such as the
   * inbox, takes a copy of the held identity without asking) (or reads the passphrase file) and decrypts the keystore.
   * The caller must {@link ReviewerIdentity#destroy()} the identity when done.
   */
  public static ReviewerIdentity open(KeystoreOption keystore, PassphraseOptions passphrase)
      throws IOException, CryptoException {
    if (passphrase.unlocked != null) {
      return passphrase.unlocked.copyFor(keystore.path());
    }
    byte[] file = readKeystore(keystore.path());
    return decrypt(file, passphrase.read("Passphrase for " + keystore.path().getFileName()));
  }

  /** The bytes of the keystore file; exit 4 with how to create one if there is none. */
  static byte[] readKeystore(java.nio.file.Path path) throws IOException, CryptoException {
    if (!Files.exists(path)) {
      throw new CliException(ExitCodes.IO, "no keystore at " + path
          + " (create one with: testigo-reviewer keys init --alias NAME)");
    }
    return Keystore.readBytes(path);
  }

  /** Decrypts a keystore's bytes; {@code chars} is zeroed. */
  static ReviewerIdentity decrypt(byte[] file, char[] chars) throws CryptoException {
    Passphrase p = Passphrase.of(chars);
    Arrays.fill(chars, '\0');
    try {
      return Keystore.decrypt(file, p);
    } finally {
      p.destroy();
    }
  }
}

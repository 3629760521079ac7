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
   * Prompts for the passphrase (or reads the passphrase file) and decrypts the keystore.
   * The caller must {@link ReviewerIdentity#destroy()} the identity when done.
   */
  public static ReviewerIdentity open(KeystoreOption keystore, PassphraseOptions passphrase)
      throws IOException, CryptoException {
    if (!Files.exists(keystore.path())) {
      throw new CliException(ExitCodes.IO, "no keystore at " + keystore.path()
          + " (create one with: testigo-reviewer keys init --alias NAME)");
    }
    byte[] file = Keystore.readBytes(keystore.path());
    char[] chars = passphrase.read("Passphrase for " + keystore.path().getFileName());
    Passphrase p = Passphrase.of(chars);
    Arrays.fill(chars, '\0');
    try {
      return Keystore.decrypt(file, p);
    } finally {
      p.destroy();
    }
  }
}

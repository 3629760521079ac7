package org.testigo.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;

/** The one test that runs Argon2id at the default (production) cost. */
class KeystoreDefaultParamsTest {
  @Test
  void defaultParams_areAtLeast256MiBAndThreePassesAndWork() throws CryptoException {
    assertThat(KeystoreParams.DEFAULT.memoryKiB()).isGreaterThanOrEqualTo(256 * 1024);
    assertThat(KeystoreParams.DEFAULT.iterations()).isGreaterThanOrEqualTo(3);
    assertThat(KeystoreParams.DEFAULT.parallelism()).isEqualTo(1);
    ReviewerIdentity id = TestKeys.identity("luis");
    Passphrase pass = Passphrase.of("frase de prueba".toCharArray());
    long start = System.nanoTime();
    byte[] file = Keystore.encrypt(id, pass, KeystoreParams.DEFAULT, new SecureRandom());
    long encryptMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(Keystore.params(file)).isEqualTo(KeystoreParams.DEFAULT);
    start = System.nanoTime();
    ReviewerIdentity opened = Keystore.decrypt(file, pass);
    long decryptMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(opened.fingerprint()).isEqualTo(id.fingerprint());
    System.out.printf("Argon2id m=%d KiB t=%d p=%d: encrypt %d ms, decrypt %d ms%n",
        KeystoreParams.DEFAULT.memoryKiB(), KeystoreParams.DEFAULT.iterations(),
        KeystoreParams.DEFAULT.parallelism(), encryptMs, decryptMs);
  }
}

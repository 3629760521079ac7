package org.testigo.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.sign.SigningPublicKey;

/** The log key file v1: made once, mode 0600, never overwritten, read back to the same key. */
class LogSigningKeyTest {
  @TempDir Path dir;

  @Test
  void createMakesAnOwnerOnlySeedFileThatLoadsToTheSameKey() throws Exception {
    Path file = dir.resolve("etc/testigo/log-key");
    SigningPublicKey made = LogSigningKey.create(file, new SecureRandom());

    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(LogSigningKey.load(file).publicKey().fingerprint()).isEqualTo(made.fingerprint());
  }

  @Test
  void createRefusesAnExistingFileAndLeavesItUnchanged() throws Exception {
    Path file = dir.resolve("log-key");
    LogSigningKey.create(file, new SecureRandom());
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> LogSigningKey.create(file, new SecureRandom()))
        .isInstanceOf(LogSigningKey.LogKeyException.class)
        .hasMessageContaining("exists already; refusing to overwrite");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void twoKeysAreDifferent() throws Exception {
    SigningPublicKey a = LogSigningKey.create(dir.resolve("a"), new SecureRandom());
    SigningPublicKey b = LogSigningKey.create(dir.resolve("b"), new SecureRandom());
    assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
  }

  @Test
  void loadRefusesAFileOthersCanRead() throws Exception {
    Path file = dir.resolve("log-key");
    LogSigningKey.create(file, new SecureRandom());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> LogSigningKey.load(file))
        .isInstanceOf(LogSigningKey.LogKeyException.class).hasMessageContaining("mode 0600");
  }
}

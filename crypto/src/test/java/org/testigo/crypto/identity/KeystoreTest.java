package org.testigo.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;

class KeystoreTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ReviewerIdentity ID = TestKeys.identity("maria");
  private static final Passphrase PASS = Passphrase.of("un pájaro en la mano".toCharArray());
  /** Offset of the Argon2 parameters: magic 7, version 1, alias length 1, alias, pks. */
  private static final int PARAMS_OFFSET = 7 + 1 + 1 + 5 + 1216 + 32;

  private static byte[] encrypt() {
    return Keystore.encrypt(ID, PASS, KeystoreParams.TEST, RANDOM);
  }

  private static void assertSameIdentity(ReviewerIdentity a, ReviewerIdentity b) {
    assertThat(a.alias()).isEqualTo(b.alias());
    assertThat(a.encryptionKey()).isEqualTo(b.encryptionKey());
    assertThat(a.signingKey()).isEqualTo(b.signingKey());
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
  }

  @Test
  void decrypt_returnsTheEncryptedIdentity() throws CryptoException {
    byte[] file = encrypt();
    assertThat(file).hasSize(PARAMS_OFFSET + 12 + 16 + 12 + 48 + 12 + (64 + 1 + 5 + 16));
    assertSameIdentity(Keystore.decrypt(file, PASS), ID);
    assertThat(Keystore.params(file)).isEqualTo(KeystoreParams.TEST);
  }

  @Test
  void decrypt_acceptsTheDecomposedFormOfTheSamePassphrase() throws CryptoException {
    byte[] file = Keystore.encrypt(ID, Passphrase.of("p\u00e1jaro".toCharArray()),
        KeystoreParams.TEST, RANDOM);
    assertSameIdentity(Keystore.decrypt(file, Passphrase.of("pa\u0301jaro".toCharArray())), ID);
  }

  @Test
  void encrypt_isRandomisedEachTime() {
    assertThat(encrypt()).isNotEqualTo(encrypt());
  }

  @Test
  void decrypt_failsWithWrongPassphrase() {
    byte[] file = encrypt();
    for (String wrong : new String[] {"un pájaro en la mano ", "un pajaro en la mano", "x"}) {
      assertThatThrownBy(() -> Keystore.decrypt(file, Passphrase.of(wrong.toCharArray())))
          .isInstanceOf(CryptoException.class).hasMessage(CryptoException.GENERIC);
    }
    assertThatThrownBy(() -> Keystore.decrypt(file, Passphrase.of(new char[0])))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void decrypt_failsWhenAnyByteIsFlipped() {
    byte[] file = encrypt();
    for (int i = 0; i < file.length; i++) {
      for (int mask : new int[] {0x01, 0x80}) {
        byte[] t = file.clone();
        t[i] ^= (byte) mask;
        int at = i;
        assertThatThrownBy(() -> Keystore.decrypt(t, PASS))
            .as("flip 0x%02x at byte %d", mask, at).isInstanceOf(CryptoException.class);
      }
    }
  }

  @Test
  void decrypt_failsOnEveryTruncationAndOnTrailingBytes() {
    byte[] file = encrypt();
    for (int n = 0; n < file.length; n++) {
      byte[] t = Arrays.copyOf(file, n);
      assertThatThrownBy(() -> Keystore.decrypt(t, PASS)).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> Keystore.decrypt(Arrays.copyOf(file, file.length + 1), PASS))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void decrypt_failsOnGarbageAndUnknownVersion() {
    byte[] garbage = new byte[1500];
    RANDOM.nextBytes(garbage);
    assertThatThrownBy(() -> Keystore.decrypt(garbage, PASS)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Keystore.decrypt(null, PASS)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Keystore.decrypt(new byte[Keystore.MAX_FILE_LENGTH + 1], PASS))
        .isInstanceOf(CryptoException.class);
    byte[] v2 = encrypt();
    v2[7] = 2;
    assertThatThrownBy(() -> Keystore.decrypt(v2, PASS)).isInstanceOf(CryptoException.class);
  }

  @Test
  void decrypt_refusesAbsurdArgon2ParametersBeforeHashing() {
    byte[] file = encrypt();
    int[][] absurd = {
        {4 * 1024 * 1024 + 1, 1, 1}, {-1, 1, 1}, {Integer.MAX_VALUE, 1, 1},
        {64, 101, 1}, {64, 0, 1}, {64, -1, 1}, {64, 1, 0}, {64, 1, 17}, {7, 1, 1}, {8, 1, 2}};
    for (int[] p : absurd) {
      byte[] t = file.clone();
      ByteBuffer.wrap(t, PARAMS_OFFSET, 12).putInt(p[0]).putInt(p[1]).putInt(p[2]);
      long start = System.nanoTime();
      assertThatThrownBy(() -> Keystore.decrypt(t, PASS)).isInstanceOf(CryptoException.class);
      assertThatThrownBy(() -> Keystore.params(t)).isInstanceOf(CryptoException.class);
      // A 4 GiB Argon2 run would take many seconds; a refusal before hashing takes none.
      assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
  }

  @Test
  void params_rejectsValuesOutsideLimits() {
    assertThatThrownBy(() -> new KeystoreParams(4 * 1024 * 1024 + 1, 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeystoreParams(65536, 101, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeystoreParams(65536, 3, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changePassphrase_keepsTheIdentityAndOldPassphraseStopsWorking() throws CryptoException {
    byte[] file = encrypt();
    Passphrase neu = Passphrase.of("otra frase más larga".toCharArray());
    byte[] changed = Keystore.changePassphrase(file, PASS, neu, KeystoreParams.TEST, RANDOM);
    assertSameIdentity(Keystore.decrypt(changed, neu), ID);
    assertThatThrownBy(() -> Keystore.decrypt(changed, PASS)).isInstanceOf(CryptoException.class);
    // Only the Argon2 parameters, salt and wrapped key change; header and body are kept.
    int wrapEnd = PARAMS_OFFSET + 12 + 16 + 12 + 48;
    assertThat(Arrays.copyOf(changed, PARAMS_OFFSET)).isEqualTo(Arrays.copyOf(file, PARAMS_OFFSET));
    assertThat(Arrays.copyOfRange(changed, wrapEnd, changed.length))
        .isEqualTo(Arrays.copyOfRange(file, wrapEnd, file.length));
    assertThat(Arrays.copyOfRange(changed, PARAMS_OFFSET + 12, wrapEnd))
        .isNotEqualTo(Arrays.copyOfRange(file, PARAMS_OFFSET + 12, wrapEnd));
  }

  @Test
  void changePassphrase_failsWithWrongOldPassphrase() {
    byte[] file = encrypt();
    assertThatThrownBy(() -> Keystore.changePassphrase(file, Passphrase.of("no".toCharArray()),
        Passphrase.of("nueva".toCharArray()), KeystoreParams.TEST, RANDOM))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void encrypt_rejectsEmptyPassphrase() {
    assertThatThrownBy(() -> Keystore.encrypt(ID, Passphrase.of(new char[0]),
        KeystoreParams.TEST, RANDOM)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void write_createsMode0600FileAndRefusesToOverwrite(@TempDir Path dir)
      throws IOException, CryptoException {
    Path path = dir.resolve("maria.tkey");
    byte[] file = encrypt();
    Keystore.write(path, file, false);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
    assertSameIdentity(Keystore.read(path, PASS), ID);
    byte[] other = encrypt();
    assertThatThrownBy(() -> Keystore.write(path, other, false))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(path)).isEqualTo(file);
    Keystore.write(path, other, true);
    assertThat(Files.readAllBytes(path)).isEqualTo(other);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(path);
    }
  }

  @Test
  void read_refusesOversizedFile(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("big.tkey");
    Files.write(path, new byte[Keystore.MAX_FILE_LENGTH + 1]);
    assertThatThrownBy(() -> Keystore.read(path, PASS)).isInstanceOf(CryptoException.class);
  }

  @Test
  void identity_toStringsNeverContainKeyMaterial() throws CryptoException {
    ReviewerIdentity id = Keystore.decrypt(encrypt(), PASS);
    byte[][] seeds = {id.encryptionKey().exposeSecret(), id.signingKey().exposeSecret()};
    String all = id + " " + id.encryptionKey() + " " + id.signingKey() + " " + PASS;
    for (byte[] seed : seeds) {
      assertThat(all).doesNotContainIgnoringCase(HexFormat.of().formatHex(seed))
          .doesNotContain(Base64.getEncoder().encodeToString(seed))
          .doesNotContain(Base64.getEncoder().encodeToString(seed).substring(0, 16));
    }
    assertThat(all).contains("REDACTED").contains("maria");
  }

  @Test
  void destroy_zeroesBothSeeds() throws CryptoException {
    ReviewerIdentity id = Keystore.decrypt(encrypt(), PASS);
    id.destroy();
    assertThat(id.encryptionKey().isDestroyed()).isTrue();
    assertThat(id.signingKey().isDestroyed()).isTrue();
  }

  @Test
  void goldenKeystore_stillOpensWithItsPassphrase() throws IOException, CryptoException {
    byte[] file = resource("/golden/keystore-v1.tkey");
    String passphrase = new String(resource("/golden/keystore-v1.passphrase.txt"),
        StandardCharsets.UTF_8).strip();
    String fingerprint = new String(resource("/golden/keystore-v1.fingerprint.txt"),
        StandardCharsets.US_ASCII).strip();
    ReviewerIdentity id = Keystore.decrypt(file, Passphrase.of(passphrase.toCharArray()));
    assertThat(id.alias()).isEqualTo("maria");
    assertThat(id.fingerprint().hex()).isEqualTo(fingerprint);
    assertSameIdentity(id, ID);
    assertThat(Keystore.params(file)).isEqualTo(KeystoreParams.TEST);
    assertThatThrownBy(() -> Keystore.decrypt(file, PASS)).isInstanceOf(CryptoException.class);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = KeystoreTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}

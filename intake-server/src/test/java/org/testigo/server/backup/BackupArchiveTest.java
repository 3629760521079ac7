package org.testigo.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Sealed backups (docs/spec/retention-and-erasure.md §7): round trip, the key files, and every
 * refusal — tampered, truncated, extended, garbage, another context, a key directory without
 * the key, a shredded period — each with its exit code and with nothing left at the output.
 */
class BackupArchiveTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BackupPeriod DEC = BackupPeriod.parse("2026-12");
  private static final String MARKER = "FILA-CONOCIDA-" + Long.toHexString(new Random().nextLong());

  @TempDir Path tmp;
  private BackupKeyDirectory keys;
  private byte[] archive;

  @BeforeEach
  void setUp() throws Exception {
    keys = BackupKeyDirectory.open(tmp.resolve("backup-keys"), RANDOM);
    // Three chunks and a bit, with a known row in the middle.
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    a.write(noise);
    a.write(("INSERT INTO envelopes VALUES ('" + MARKER + "');").getBytes(StandardCharsets.US_ASCII));
    a.write(noise);
    a.write(noise);
    archive = a.toByteArray();
  }

  private Path seal(BackupPeriod period, String name) throws Exception {
    Path out = tmp.resolve(name);
    BackupArchive.seal(new ByteArrayInputStream(archive), out, keys.ensureKey(period), RANDOM);
    return out;
  }

  @Test
  void seal_thenOpen_givesTheArchiveBack_andTheSealedFileHoldsNoPlaintext() throws Exception {
    Path sealed = seal(DEC, "b.tgbackup");
    byte[] bytes = Files.readAllBytes(sealed);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(MARKER).doesNotContain("INSERT INTO");
    assertThat(Arrays.copyOf(bytes, 4)).isEqualTo("TSTG".getBytes(StandardCharsets.US_ASCII));
    assertThat(Envelope.inspect(Files.newInputStream(sealed), OutputStreamSink.INSTANCE).context())
        .isEqualTo(Envelope.CONTEXT_BACKUP);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed))).isEqualTo("rw-------");

    Path opened = tmp.resolve("b.tar.gz");
    assertThat(BackupArchive.open(sealed, opened, keys)).isEqualTo(DEC);
    assertThat(Files.readAllBytes(opened)).isEqualTo(archive);
  }

  @Test
  void keyFiles_areTheSeedAndThePublicKey_withOwnerOnlyModes_andNoTemporaryFileLeft() throws Exception {
    RecipientPublicKey pk = keys.ensureKey(DEC);
    assertThat(keys.ensureKey(DEC)).isEqualTo(pk);
    Path dir = keys.path();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("2026-12.key"))))
        .isEqualTo("rw-------");
    byte[] seed = Files.readAllBytes(dir.resolve("2026-12.key"));
    assertThat(seed).hasSize(32);
    assertThat(RecipientPrivateKey.fromSeed(seed).publicKey()).isEqualTo(pk);
    assertThat(Files.readAllBytes(dir.resolve("2026-12.pub"))).isEqualTo(pk.toBytes());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("2026-12.key", "2026-12.pub");
    }
  }

  @Test
  void open_refusesATamperedBackupAsDamaged_andLeavesNoOutput() throws Exception {
    Path sealed = seal(DEC, "b.tgbackup");
    byte[] bytes = Files.readAllBytes(sealed);
    for (int offset : new int[] {20, 3000, bytes.length / 2, bytes.length - 1}) {
      byte[] t = bytes.clone();
      t[offset] ^= 0x01;
      Path tampered = Files.write(tmp.resolve("t" + offset), t);
      assertRefused(tampered, BackupFailure.DAMAGED, "altered, truncated or damaged");
    }
  }

  @Test
  void open_refusesATruncatedOrExtendedBackupAsDamaged() throws Exception {
    Path sealed = seal(DEC, "b.tgbackup");
    byte[] bytes = Files.readAllBytes(sealed);
    int header = 73 + Envelope.CONTEXT_BACKUP.length() + 1201;
    for (int length : new int[] {bytes.length - 1, header + 65_552, header + 65_552 * 2, header + 10}) {
      Path cut = Files.write(tmp.resolve("cut" + length), Arrays.copyOf(bytes, length));
      assertRefused(cut, BackupFailure.DAMAGED, "altered, truncated or damaged");
    }
    for (int length : new int[] {0, 10, header - 1}) {
      Path cut = Files.write(tmp.resolve("head" + length), Arrays.copyOf(bytes, length));
      assertRefused(cut, BackupFailure.DAMAGED, "not a sealed Testigo backup");
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertRefused(Files.write(tmp.resolve("longer"), longer), BackupFailure.DAMAGED, "altered, truncated or damaged");
  }

  @Test
  void open_refusesGarbageAndEnvelopesOfAnotherContext() throws Exception {
    assertRefused(Files.writeString(tmp.resolve("plain.tar.gz"), "not sealed " + MARKER), BackupFailure.DAMAGED,
        "not a sealed Testigo backup");
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(archive), report, List.of(keys.ensureKey(DEC)), Envelope.CONTEXT_REPORT,
        RANDOM);
    assertRefused(Files.write(tmp.resolve("report"), report.toByteArray()), BackupFailure.DAMAGED,
        "context 'report', not a sealed backup");
  }

  @Test
  void open_withAnotherServersKeyDirectory_refusesWithNoKey() throws Exception {
    Path sealed = seal(DEC, "b.tgbackup");
    BackupKeyDirectory other = BackupKeyDirectory.open(tmp.resolve("other-keys"), RANDOM);
    other.ensureKey(DEC);
    Path out = tmp.resolve("out.tar.gz");
    assertThatThrownBy(() -> BackupArchive.open(sealed, out, other))
        .isInstanceOfSatisfying(BackupFailure.class, f -> assertThat(f.exitCode()).isEqualTo(BackupFailure.NO_KEY))
        .hasMessageContaining("no backup key in " + other.path() + " matches this backup");
    assertThat(out).doesNotExist();
  }

  @Test
  void open_withAKeyFileReplacedByAnotherKey_refusesClearly() throws Exception {
    Path sealed = seal(DEC, "b.tgbackup");
    Path keyFile = keys.path().resolve("2026-12.key");
    byte[] other = new byte[32];
    RANDOM.nextBytes(other);
    Files.write(keyFile, other);
    Path out = tmp.resolve("out.tar.gz");
    assertThatThrownBy(() -> BackupArchive.open(sealed, out, keys))
        .isInstanceOfSatisfying(BackupFailure.class, f -> assertThat(f.exitCode()).isEqualTo(BackupFailure.GENERAL))
        .hasMessageContaining("do not belong together");
    Files.write(keyFile, new byte[31]);
    assertThatThrownBy(() -> BackupArchive.open(sealed, out, keys)).hasMessageContaining("is damaged");
    assertThat(out).doesNotExist();
  }

  @Test
  void privateKey_refusesAKeyFileOthersCanRead() throws Exception {
    keys.ensureKey(DEC);
    Files.setPosixFilePermissions(keys.path().resolve("2026-12.key"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> keys.privateKey(DEC)).hasMessageContaining("must have mode 0600");
  }

  @Test
  void open_refusesAKeyDirectoryOthersCanRead() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("loose"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> BackupKeyDirectory.open(dir, RANDOM)).hasMessageContaining("must have mode 0700");
  }

  @Test
  void shred_destroysExactlyThePeriodsOlderThanKeepMonths_andTheirBackupsRefuseAsShredded() throws Exception {
    Path sep = seal(BackupPeriod.parse("2026-09"), "sep.tgbackup");
    Path oct = seal(BackupPeriod.parse("2026-10"), "oct.tgbackup");
    Path nov = seal(BackupPeriod.parse("2026-11"), "nov.tgbackup");
    Path dec = seal(DEC, "dec.tgbackup");
    byte[] octSeed = Files.readAllBytes(keys.path().resolve("2026-10.key"));

    List<BackupPeriod> shredded = keys.shredExpired(DEC, 1, Instant.parse("2026-12-07T04:00:00Z"));

    assertThat(shredded).extracting(BackupPeriod::toString).containsExactly("2026-09", "2026-10");
    assertThat(keys.periodsWithKeys()).extracting(BackupPeriod::toString).containsExactly("2026-11", "2026-12");
    try (Stream<Path> files = Files.list(keys.path())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
          "2026-09.shredded", "2026-10.shredded", "2026-11.key", "2026-11.pub", "2026-12.key", "2026-12.pub");
    }
    String record = Files.readString(keys.path().resolve("2026-10.shredded"));
    assertThat(record).startsWith("testigo-backup-key-shredded-v1\nperiod: 2026-10\nfingerprint: ")
        .endsWith("\nshredded-at: 2026-12-07T04:00:00Z\n")
        .doesNotContain(java.util.HexFormat.of().formatHex(octSeed));
    for (Path gone : List.of(sep, oct)) {
      Path out = tmp.resolve(gone.getFileName() + ".tar.gz");
      String period = gone == sep ? "2026-09" : "2026-10";
      assertThatThrownBy(() -> BackupArchive.open(gone, out, keys))
          .isInstanceOfSatisfying(BackupFailure.class, f -> assertThat(f.exitCode()).isEqualTo(BackupFailure.SHREDDED))
          .hasMessageStartingWith("the key for period " + period
              + " was destroyed on schedule (crypto-shredded")
          .hasMessageEndingWith("); this backup cannot be read");
      assertThat(out).doesNotExist();
    }
    assertThat(BackupArchive.open(nov, tmp.resolve("nov.tar.gz"), keys).toString()).isEqualTo("2026-11");
    assertThat(BackupArchive.open(dec, tmp.resolve("dec.tar.gz"), keys)).isEqualTo(DEC);
    assertThatThrownBy(() -> keys.ensureKey(BackupPeriod.parse("2026-10")))
        .hasMessageContaining("was destroyed on schedule");
    assertThat(keys.shredExpired(DEC, 1, Instant.now())).isEmpty();
  }

  @Test
  void open_ignoresAMalformedDestructionRecord_andThenFindsNoKey() throws Exception {
    Path sealed = seal(BackupPeriod.parse("2026-10"), "oct.tgbackup");
    keys.shredExpired(DEC, 1, Instant.parse("2026-12-07T04:00:00Z"));
    Path record = keys.path().resolve("2026-10.shredded");
    String good = Files.readString(record);
    for (String bad : new String[] {"", good.replace("testigo-backup-key-shredded-v1", "v2"),
        good.replace("fingerprint: ", "fingerprint:"), good + "extra\n", "\u0000\u0001garbage"}) {
      Files.writeString(record, bad, StandardCharsets.ISO_8859_1);
      Path out = tmp.resolve("oct.out");
      assertThatThrownBy(() -> BackupArchive.open(sealed, out, keys))
          .isInstanceOfSatisfying(BackupFailure.class, f -> assertThat(f.exitCode()).isEqualTo(BackupFailure.NO_KEY));
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void period_rule_keepsTheCurrentAndKeepMonthsBefore() {
    assertThat(BackupPeriod.parse("2026-11").isExpired(DEC, 1)).isFalse();
    assertThat(BackupPeriod.parse("2026-10").isExpired(DEC, 1)).isTrue();
    assertThat(BackupPeriod.parse("2021-11").isExpired(DEC, 61)).isFalse();
    assertThat(BackupPeriod.parse("2021-10").isExpired(DEC, 61)).isTrue();
    assertThat(DEC.isExpired(DEC, 0)).isFalse();
    assertThat(BackupPeriod.parse("2027-01").isExpired(DEC, 0)).isFalse();
    assertThat(BackupPeriod.of(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo(DEC);
    assertThat(BackupPeriod.of(Instant.parse("2027-01-01T00:00:00Z")).toString()).isEqualTo("2027-01");
    for (String bad : new String[] {"2026-13", "2026-00", "2026-1", "26-12", "2026-12-01", "1999-12", " 2026-12", ""}) {
      assertThatThrownBy(() -> BackupPeriod.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private void assertRefused(Path file, int exitCode, String... messageOneOf) {
    Path out = tmp.resolve("refused-" + file.getFileName() + ".tar.gz");
    assertThatThrownBy(() -> BackupArchive.open(file, out, keys))
        .isInstanceOfSatisfying(BackupFailure.class, f -> {
          assertThat(f.exitCode()).as(f.getMessage()).isEqualTo(exitCode);
          assertThat(f.getMessage()).as(f.getMessage()).containsAnyOf(messageOneOf).doesNotContain(MARKER);
        });
    assertThat(out).doesNotExist();
  }

  /** Discards what {@link Envelope#inspect} copies. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}

package org.testigo.server.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * The backup key directory (default {@code /etc/testigo/backup-keys}, mode 0700): one X-Wing
 * key pair per period, and a record of every period key destroyed on schedule
 * (docs/spec/retention-and-erasure.md §7.2):
 * <ul>
 *   <li>{@code YYYY-MM.key}: backup private key file v1, exactly the 32-byte X-Wing seed,
 *       mode 0600;</li>
 *   <li>{@code YYYY-MM.pub}: exactly the 1216-byte X-Wing public key, mode 0644;</li>
 *   <li>{@code YYYY-MM.shredded}: the destruction record (text: period, fingerprint of the
 *       destroyed key's public key, time), mode 0644.</li>
 * </ul>
 * Every file is written to a temporary name, synced, renamed into place and the directory
 * synced, so a crash leaves either the old state or the new one.
 *
 * <p>WARNING: destruction overwrites the key file in place, syncs it and unlinks it. On a
 * copy-on-write or snapshotting file system, on flash storage with wear levelling, or where the
 * directory is itself backed up, old copies of the 32 bytes may survive: keep this directory on
 * a plain file system that is not backed up or snapshotted (ops/runbooks/backups.md).
 */
public final class BackupKeyDirectory {
  /** Default location on an installed host. */
  public static final Path DEFAULT = Path.of("/etc/testigo/backup-keys");
  static final String SHREDDED_MAGIC = "testigo-backup-key-shredded-v1";
  private static final Pattern FILE = Pattern.compile("([0-9]{4}-[0-9]{2})\\.(key|pub|shredded)");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = Set.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private final Path dir;
  private final SecureRandom random;

  private BackupKeyDirectory(Path dir, SecureRandom random) {
    this.dir = dir;
    this.random = random;
  }

  /**
   * Opens the directory, creating it (mode 0700) if it does not exist.
   *
   * @throws BackupFailure if it is not a directory, or group or others may access it
   */
  public static BackupKeyDirectory open(Path dir, SecureRandom random) throws BackupFailure {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException raced) {
          // made by a concurrent run: checked below like any existing directory
        }
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new BackupFailure(BackupFailure.GENERAL, "the backup key directory " + dir
            + " is not a directory; give another with --key-dir");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (!OWNER_ONLY_DIR.containsAll(perms)) {
        throw new BackupFailure(BackupFailure.GENERAL, "the backup key directory " + dir
            + " must have mode 0700 (it is " + PosixFilePermissions.toString(perms)
            + "); run: chmod 0700 " + dir);
      }
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot use the backup key directory " + dir
          + ": " + e.getMessage());
    }
    return new BackupKeyDirectory(dir, random);
  }

  public Path path() {
    return dir;
  }

  Path keyFile(BackupPeriod p) {
    return dir.resolve(p + ".key");
  }

  Path publicFile(BackupPeriod p) {
    return dir.resolve(p + ".pub");
  }

  Path shreddedFile(BackupPeriod p) {
    return dir.resolve(p + ".shredded");
  }

  /**
   * The public key of {@code period}, creating the period's key pair on first use.
   *
   * @throws BackupFailure if the period's key was destroyed, or its files are unusable
   */
  public RecipientPublicKey ensureKey(BackupPeriod period) throws BackupFailure {
    if (Files.exists(shreddedFile(period), LinkOption.NOFOLLOW_LINKS)) {
      throw new BackupFailure(BackupFailure.SHREDDED, "the key for period " + period
          + " was destroyed on schedule (crypto-shredded); nothing can be sealed to it");
    }
    if (Files.exists(keyFile(period), LinkOption.NOFOLLOW_LINKS)) {
      RecipientPrivateKey key = privateKey(period);
      try {
        RecipientPublicKey pk = key.publicKey();
        if (!Files.exists(publicFile(period), LinkOption.NOFOLLOW_LINKS)) {
          writeAtomically(publicFile(period), pk.toBytes(), "rw-r--r--");
        } else {
          requireMatchingPublicFile(period, pk);
        }
        return pk;
      } finally {
        key.destroy();
      }
    }
    RecipientPrivateKey key = RecipientPrivateKey.generate(random);
    try {
      writeAtomically(keyFile(period), key.exposeSecret(), "rw-------");
      writeAtomically(publicFile(period), key.publicKey().toBytes(), "rw-r--r--");
      return key.publicKey();
    } finally {
      key.destroy();
    }
  }

  /**
   * Reads the private key of {@code period} (backup private key file v1), checking its mode,
   * its length and that it matches the period's public key file when there is one.
   */
  public RecipientPrivateKey privateKey(BackupPeriod period) throws BackupFailure {
    Path file = keyFile(period);
    byte[] seed = null;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new BackupFailure(BackupFailure.NO_KEY, "there is no private key file for period " + period
            + " in " + dir + " (" + file.getFileName() + ")");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!OWNER_ONLY_FILE.containsAll(perms)) {
        throw new BackupFailure(BackupFailure.GENERAL, "the backup key file " + file
            + " must have mode 0600 or 0400; run: chmod 0600 " + file);
      }
      seed = Files.readAllBytes(file);
      if (seed.length != RecipientPrivateKey.SEED_LENGTH) {
        throw new BackupFailure(BackupFailure.GENERAL, "the backup key file " + file
            + " is damaged: it must hold exactly the 32-byte X-Wing seed; restore it from the offline copy");
      }
      RecipientPrivateKey key = RecipientPrivateKey.fromSeed(seed);
      if (Files.exists(publicFile(period), LinkOption.NOFOLLOW_LINKS)) {
        try {
          requireMatchingPublicFile(period, key.publicKey());
        } catch (BackupFailure e) {
          key.destroy();
          throw e;
        }
      }
      return key;
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read the backup key file " + file + ": "
          + e.getMessage());
    } finally {
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  private void requireMatchingPublicFile(BackupPeriod period, RecipientPublicKey pk) throws BackupFailure {
    try {
      byte[] stored = Files.readAllBytes(publicFile(period));
      if (!Arrays.equals(stored, pk.toBytes())) {
        throw new BackupFailure(BackupFailure.GENERAL, "the backup key files of period " + period + " in "
            + dir + " do not belong together (" + period + ".pub is not the public key of " + period
            + ".key); restore both from the offline copy");
      }
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read " + publicFile(period) + ": "
          + e.getMessage());
    }
  }

  /** What the directory knows about the key a backup was sealed to. */
  public sealed interface Lookup permits Lookup.Present, Lookup.Shredded, Lookup.Unknown {
    /** The period's private key is here. */
    record Present(BackupPeriod period) implements Lookup {}

    /** The period's key was destroyed; {@code shreddedAt} as recorded. */
    record Shredded(BackupPeriod period, String shreddedAt) implements Lookup {}

    /** Neither a key nor a destruction record matches. */
    record Unknown() implements Lookup {}
  }

  /** Finds the period whose public key has fingerprint {@code fp}, or its destruction record. */
  public Lookup find(Fingerprint fp) throws BackupFailure {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Matcher m = FILE.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        BackupPeriod period;
        try {
          period = BackupPeriod.parse(m.group(1));
        } catch (IllegalArgumentException notAPeriod) {
          continue;
        }
        if ("pub".equals(m.group(2))) {
          RecipientPublicKey pk;
          try {
            pk = RecipientPublicKey.fromBytes(Files.readAllBytes(f));
          } catch (IllegalArgumentException damaged) {
            continue;
          }
          if (pk.fingerprint().equals(fp)) {
            return new Lookup.Present(period);
          }
        } else if ("shredded".equals(m.group(2))) {
          Optional<String[]> record = readShredded(f);
          if (record.isPresent() && record.get()[1].equalsIgnoreCase(fp.hex())) {
            return new Lookup.Shredded(period, record.get()[2]);
          }
        }
      }
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read the backup key directory " + dir + ": "
          + e.getMessage());
    }
    return new Lookup.Unknown();
  }

  /** {period, fingerprint hex, shredded-at} of a destruction record, if it is well formed. */
  private static Optional<String[]> readShredded(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
    if (lines.size() != 4 || !SHREDDED_MAGIC.equals(lines.get(0))
        || !lines.get(1).startsWith("period: ") || !lines.get(2).startsWith("fingerprint: ")
        || !lines.get(3).startsWith("shredded-at: ")) {
      return Optional.empty();
    }
    return Optional.of(new String[] {lines.get(1).substring(8), lines.get(2).substring(13),
        lines.get(3).substring(13)});
  }

  /** The periods that have a private key file here, oldest first. */
  public List<BackupPeriod> periodsWithKeys() throws BackupFailure {
    List<BackupPeriod> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.key")) {
      for (Path f : files) {
        Matcher m = FILE.matcher(f.getFileName().toString());
        if (m.matches()) {
          try {
            out.add(BackupPeriod.parse(m.group(1)));
          } catch (IllegalArgumentException notAPeriod) {
            // not a file of ours
          }
        }
      }
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read the backup key directory " + dir + ": "
          + e.getMessage());
    }
    out.sort(null);
    return out;
  }

  /**
   * Destroys the key of every period more than {@code keepMonths} months before
   * {@code current}: writes its destruction record, overwrites the private key file with
   * random bytes, syncs it, unlinks it and the public key file, and syncs the directory.
   *
   * @return the periods destroyed, oldest first
   */
  public List<BackupPeriod> shredExpired(BackupPeriod current, int keepMonths, Instant now)
      throws BackupFailure {
    if (keepMonths < 0) {
      throw new IllegalArgumentException("keepMonths must be >= 0");
    }
    List<BackupPeriod> shredded = new ArrayList<>();
    for (BackupPeriod p : periodsWithKeys()) {
      if (p.isExpired(current, keepMonths)) {
        shred(p, now);
        shredded.add(p);
      }
    }
    return shredded;
  }

  private void shred(BackupPeriod period, Instant now) throws BackupFailure {
    Path key = keyFile(period);
    try {
      String fp = fingerprintForRecord(period);
      String record = SHREDDED_MAGIC + "\nperiod: " + period + "\nfingerprint: " + fp
          + "\nshredded-at: " + now.truncatedTo(ChronoUnit.SECONDS) + "\n";
      writeAtomically(shreddedFile(period), record.getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
      overwriteAndUnlink(key);
      Files.deleteIfExists(publicFile(period));
      syncDirectory();
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "could not destroy the backup key of period " + period
          + " (" + key + "): " + e.getMessage() + "; fix the cause and run the backup again");
    }
  }

  /**
   * The fingerprint the destruction record keeps: of the key file's seed, else (a damaged key
   * file, destroyed all the same) of the public key file, else 64 zeros.
   */
  private String fingerprintForRecord(BackupPeriod period) throws IOException {
    byte[] seed = Files.readAllBytes(keyFile(period));
    try {
      if (seed.length == RecipientPrivateKey.SEED_LENGTH) {
        RecipientPrivateKey k = RecipientPrivateKey.fromSeed(seed);
        try {
          return k.publicKey().fingerprint().hex();
        } finally {
          k.destroy();
        }
      }
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    try {
      return RecipientPublicKey.fromBytes(Files.readAllBytes(publicFile(period))).fingerprint().hex();
    } catch (IOException | IllegalArgumentException noPublicKey) {
      return "0".repeat(64);
    }
  }

  private void overwriteAndUnlink(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      byte[] noise = new byte[(int) Math.min(Math.max(size, 1), 4096)];
      long written = 0;
      while (written < size) {
        random.nextBytes(noise);
        ByteBuffer b = ByteBuffer.wrap(noise, 0, (int) Math.min(noise.length, size - written));
        while (b.hasRemaining()) {
          written += ch.write(b, written);
        }
      }
      ch.force(true);
    } catch (NoSuchFileException gone) {
      return;
    }
    Files.delete(file);
  }

  private void writeAtomically(Path target, byte[] content, String mode) throws BackupFailure {
    byte[] name = new byte[8];
    random.nextBytes(name);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(name));
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the first failure is the one to report
      }
      throw new BackupFailure(BackupFailure.GENERAL, "cannot write " + target + ": " + e.getMessage());
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}

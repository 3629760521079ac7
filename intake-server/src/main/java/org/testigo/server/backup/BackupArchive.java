package org.testigo.server.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Sealed backups: a backup archive is sealed as one envelope v1 of context
 * {@link Envelope#CONTEXT_BACKUP} to its period's backup key, and opened with the private key
 * of that period (docs/spec/retention-and-erasure.md §7). Both directions stream in 64 KiB
 * chunks: memory does not grow with the archive.
 *
 * <p>Opening refuses, with a {@link BackupFailure} that names the reason, a file that is not a
 * sealed backup, one whose period key was destroyed (crypto-shredded), one for which the key
 * directory has no key, and one that was altered, truncated or damaged; in every case nothing
 * is left at the output path.
 */
public final class BackupArchive {
  private BackupArchive() {}

  /**
   * Seals all of {@code in} to {@code key} into the new file {@code out} (mode 0600), written
   * under a temporary name and renamed into place only once complete.
   */
  public static void seal(InputStream in, Path out, RecipientPublicKey key, SecureRandom random)
      throws BackupFailure {
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new BackupFailure(BackupFailure.GENERAL, out + " exists already; refusing to overwrite it");
    }
    try (OutputStream file = new BufferedOutputStream(newPrivateFile(partial), 1 << 16)) {
      Envelope.seal(in, file, List.of(key), Envelope.CONTEXT_BACKUP, random);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new BackupFailure(BackupFailure.GENERAL, "sealing the backup into " + out + " failed: "
          + e.getMessage());
    }
    try {
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new BackupFailure(BackupFailure.GENERAL, "cannot move the sealed backup to " + out + ": "
          + e.getMessage());
    }
  }

  /**
   * Opens the sealed backup {@code in} into the new file {@code out} (mode 0600) with the key of
   * its period from {@code keys}.
   *
   * @return the period whose key opened it
   */
  public static BackupPeriod open(Path in, Path out, BackupKeyDirectory keys) throws BackupFailure {
    if (!Files.isRegularFile(in)) {
      throw new BackupFailure(BackupFailure.GENERAL, "no such backup file: " + in);
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new BackupFailure(BackupFailure.GENERAL, out + " exists already; refusing to overwrite it");
    }
    EnvelopeInfo info;
    try (InputStream head = new BufferedInputStream(Files.newInputStream(in))) {
      info = Envelope.inspectHeader(head);
    } catch (CryptoException e) {
      throw new BackupFailure(BackupFailure.DAMAGED, in + " is not a sealed Testigo backup (it does not"
          + " start with a valid envelope v1 header): it is damaged or another kind of file; use another copy");
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "cannot read " + in + ": " + e.getMessage());
    }
    if (!Envelope.CONTEXT_BACKUP.equals(info.context())) {
      throw new BackupFailure(BackupFailure.DAMAGED, in + " is an envelope of context '" + info.context()
          + "', not a sealed backup");
    }
    BackupPeriod period = null;
    BackupKeyDirectory.Lookup.Shredded shredded = null;
    for (Fingerprint fp : info.recipients()) {
      BackupKeyDirectory.Lookup found = keys.find(fp);
      if (found instanceof BackupKeyDirectory.Lookup.Present p) {
        period = p.period();
        break;
      }
      if (found instanceof BackupKeyDirectory.Lookup.Shredded s) {
        shredded = s;
      }
    }
    if (period == null && shredded != null) {
      throw new BackupFailure(BackupFailure.SHREDDED, "the key for period " + shredded.period()
          + " was destroyed on schedule (crypto-shredded, " + shredded.shreddedAt()
          + "); this backup cannot be read");
    }
    if (period == null) {
      throw new BackupFailure(BackupFailure.NO_KEY, "no backup key in " + keys.path()
          + " matches this backup (sealed to key " + info.recipients().get(0).hex()
          + "): it was made by another server, or the key directory is not this server's;"
          + " give the right one with --key-dir (or the offline copy of the period's key)");
    }
    RecipientPrivateKey key = keys.privateKey(period);
    boolean done = false;
    try (InputStream sealed = new BufferedInputStream(Files.newInputStream(in), 1 << 16);
         OutputStream plain = new BufferedOutputStream(newPrivateFile(out), 1 << 16)) {
      Envelope.open(sealed, plain, key, Envelope.CONTEXT_BACKUP);
      done = true;
    } catch (CryptoException e) {
      throw new BackupFailure(BackupFailure.DAMAGED, "the backup " + in + " does not open with the key of"
          + " period " + period + ": it was altered, truncated or damaged; nothing was restored from it;"
          + " use another copy");
    } catch (IOException e) {
      throw new BackupFailure(BackupFailure.GENERAL, "opening the backup " + in + " into " + out
          + " failed: " + e.getMessage());
    } finally {
      key.destroy();
      if (!done) {
        deleteQuietly(out);
      }
    }
    return period;
  }

  private static OutputStream newPrivateFile(Path file) throws IOException {
    try {
      return Files.newOutputStream(Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists already");
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // reported by the caller's failure
    }
  }
}

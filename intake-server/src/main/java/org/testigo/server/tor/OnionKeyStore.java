package org.testigo.server.tor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Onion service keys in the server's key directory.
 *
 * <p>Guarantees: the directory is created with mode 0700 and each key file with mode 0600
 * (never readable by anyone else, not even briefly: the file is created with those
 * permissions, written, synced, then linked into place, so a concurrent reader sees either
 * no file or a complete one); a key file that is group- or world-accessible, a symbolic
 * link, or not in the format below is refused with a message naming the file.
 *
 * <p>File format, version 1 (ASCII, one line): {@code testigo-onion-ed25519-v1:} followed
 * by the standard base64 of the 32-byte Ed25519 seed and a newline.
 */
public final class OnionKeyStore {
  static final String PREFIX = "testigo-onion-ed25519-v1:";
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> FORBIDDEN = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Path directory;
  private final SecureRandom random;

  public OnionKeyStore(Path directory, SecureRandom random) {
    this.directory = directory;
    this.random = random;
  }

  /** The key stored under {@code name}, created on first use. */
  public OnionServiceKey loadOrCreate(String name) throws IOException {
    if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("bad key name");
    }
    ensureDirectory();
    Path file = directory.resolve(name + ".key");
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return read(file);
    }
    OnionServiceKey key = OnionServiceKey.generate(random);
    Path tmp = Files.createTempFile(directory, "." + name, ".tmp",
        PosixFilePermissions.asFileAttribute(FILE_MODE));
    try {
      byte[] line = (PREFIX + Base64.getEncoder().encodeToString(key.exposeSecret()) + "\n")
          .getBytes(StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
           OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        out.write(line);
        out.flush();
        ch.force(true);
      } finally {
        Arrays.fill(line, (byte) 0);
      }
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException raced) {
        key.destroy();
        return read(file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return key;
  }

  /**
   * Writes the tor {@code HiddenServiceDir} files of key {@code name} into {@code target}
   * (created with mode 0700; files 0600) — for moving a service to a torrc-configured tor
   * or to Onionbalance (see ops/runbooks/rotating-onion-keys.md).
   */
  public void exportTorServiceDir(String name, Path target) throws IOException {
    OnionServiceKey key = read(directory.resolve(name + ".key"));
    OnionServiceKey.TorServiceDirFiles files = key.torServiceDirFiles();
    try {
      if (!Files.isDirectory(target)) {
        Files.createDirectories(target, PosixFilePermissions.asFileAttribute(DIR_MODE));
      }
      Files.setPosixFilePermissions(target, DIR_MODE);
      writePrivate(target.resolve("hs_ed25519_secret_key"), files.secretKey().exposeSecret());
      writePrivate(target.resolve("hs_ed25519_public_key"), files.publicKey());
      writePrivate(target.resolve("hostname"), files.hostname());
    } finally {
      files.secretKey().destroy();
      key.destroy();
    }
  }

  private static void writePrivate(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private void ensureDirectory() throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
    }
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("onion key directory " + directory + " is not a directory");
    }
    checkPrivate(directory, "onion key directory");
  }

  private static OnionServiceKey read(Path file) throws IOException {
    if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
      throw new IOException("onion key file " + file + " is not a regular file");
    }
    checkPrivate(file, "onion key file");
    byte[] content = Files.readAllBytes(file);
    try {
      String text = new String(content, StandardCharsets.US_ASCII).strip();
      if (!text.startsWith(PREFIX)) {
        throw new IOException("onion key file " + file + " is not in the format " + PREFIX);
      }
      byte[] seed;
      try {
        seed = Base64.getDecoder().decode(text.substring(PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new IOException("onion key file " + file + " is damaged");
      }
      try {
        if (seed.length != 32) {
          throw new IOException("onion key file " + file + " is damaged");
        }
        return OnionServiceKey.fromSeed(seed);
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static void checkPrivate(Path path, String what) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    for (PosixFilePermission p : perms) {
      if (FORBIDDEN.contains(p)) {
        throw new IOException(what + " " + path + " is accessible to group or others ("
            + PosixFilePermissions.toString(perms) + "); it must be "
            + (Files.isDirectory(path) ? "0700" : "0600"));
      }
    }
  }
}

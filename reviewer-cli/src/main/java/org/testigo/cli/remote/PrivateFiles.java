package org.testigo.cli.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Files only their owner can read, written through a temporary file and an atomic rename. */
public final class PrivateFiles {
  private PrivateFiles() {}

  /** Creates the directory (and parents) with mode 0700 where it does not exist. */
  public static Path directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return dir;
  }

  /** Writes {@code target} through a temporary file, forced to disk, and an atomic rename. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = temp(target);
    try {
      Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.SYNC);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Forces a file's (or a directory's) content and metadata to disk. */
  public static void force(Path p) throws IOException {
    try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(p, StandardOpenOption.READ)) {
      c.force(true);
    }
  }

  /** A fresh 0600 temporary file beside {@code target}. */
  public static Path temp(Path target) throws IOException {
    Path dir = directory(target.toAbsolutePath().getParent());
    return Files.createTempFile(dir, ".tmp-", ".part",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  /** A temporary file created by {@link #openTemp}, open for writing. */
  public record OpenTemp(Path path, FileChannel channel) {}

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /**
   * A fresh 0600 temporary file ({@code .tmp-N.part}, as {@link #temp}) in the existing
   * directory {@code dir}, created and opened for writing with one system call: a sync writes
   * two files per envelope, and creating, closing and reopening each (with a truncation that
   * makes ext4 start writing the file back on close) cost more system time than the writing.
   * The caller closes the channel and deletes the file if it does not rename it.
   */
  public static OpenTemp openTemp(Path dir) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve(".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".part");
      try {
        return new OpenTemp(tmp, FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), OWNER_ONLY));
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 100) {
          throw taken;
        }
      }
    }
  }

  /**
   * Creates {@code dir/name} (mode 0600) with the stream's content, never replacing an
   * existing file: on a clash it tries {@code name-1}, {@code name-2}, ... before the
   * extension. Returns the path written.
   */
  public static Path createNew(Path dir, String name, InputStream content) throws IOException {
    Path tmp = temp(dir.resolve(name));
    try {
      try (var out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        content.transferTo(out);
      }
      return linkNew(dir, name, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Gives the complete file {@code tmp} (in {@code dir}) the name {@code dir/name}, never
   * replacing an existing file: on a clash {@code name-1}, {@code name-2}, ... before the
   * extension. {@code tmp} stays; the caller deletes it. Returns the path given.
   */
  public static Path linkNew(Path dir, String name, Path tmp) throws IOException {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 0; i < 10000; i++) {
      Path candidate = dir.resolve(i == 0 ? name : stem + "-" + i + ext);
      try {
        Files.createLink(candidate, tmp);
        return candidate;
      } catch (FileAlreadyExistsException taken) {
        // try the next name
      }
    }
    throw new FileAlreadyExistsException(dir.resolve(name).toString());
  }
}

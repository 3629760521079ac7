package org.testigo.server.intake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.domain.TooManyRequestsException;

/**
 * Ciphertext held while a request's body arrives, before the request takes a submission slot
 * (docs/decisions/0015-body-spool.md): a slow sender then holds no slot, no database connection and no open
 * transaction, only its own bytes. Up to {@link #MEMORY_BYTES} in memory, the rest in a file
 * of the spool directory (mode 0600, deleted on close and at start). Only ciphertext is ever
 * written here: the no-JS path seals before it spools. The bytes count against the caller's
 * circuit's {@code maxUploadBytes} while held (429 beyond it).
 */
public final class Spool extends OutputStream {
  static final int MEMORY_BYTES = 256 * 1024;
  private static final long RESERVE_STEP = 1 << 20;

  private final Path dir;
  private final Circuit circuit;
  private final int retryAfterSeconds;
  private byte[] memory = new byte[8192];
  private int inMemory;
  private Path file;
  private OutputStream fileOut;
  private long size;
  private long reserved;
  private boolean closed;

  private Spool(Path dir, int retryAfterSeconds) {
    this.dir = dir;
    this.circuit = CurrentCircuit.get();
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A new, empty spool in {@code dir}, counted against the current circuit. */
  public static Spool in(Path dir, int retryAfterSeconds) {
    return new Spool(dir, retryAfterSeconds);
  }

  /** Creates {@code dir} and deletes whatever an earlier run left in it. */
  public static void prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : (Iterable<Path>) old::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("spool closed");
    }
    reserve(size + len);
    if (fileOut == null && inMemory + len <= MEMORY_BYTES) {
      if (inMemory + len > memory.length) {
        memory = Arrays.copyOf(memory, Math.min(MEMORY_BYTES, Math.max(memory.length * 2, inMemory + len)));
      }
      System.arraycopy(b, off, memory, inMemory, len);
      inMemory += len;
    } else {
      if (fileOut == null) {
        file = Files.createTempFile(dir, "spool-", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      }
      fileOut.write(b, off, len);
    }
    size += len;
  }

  private void reserve(long needed) {
    if (circuit == null || needed <= reserved) {
      return;
    }
    long more = Math.max(RESERVE_STEP, needed - reserved);
    if (!circuit.reserveUploadBytes(more)) {
      throw new TooManyRequestsException(retryAfterSeconds);
    }
    reserved += more;
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  /** The bytes written, in order: memory first, then the file. Call after writing is done. */
  public InputStream read() throws IOException {
    if (fileOut != null) {
      fileOut.flush();
    }
    InputStream head = new ByteArrayInputStream(memory, 0, inMemory);
    return file == null ? head : new java.io.SequenceInputStream(head, Files.newInputStream(file));
  }

  /** Copies the bytes to {@code out}. */
  public void copyTo(OutputStream out) throws IOException {
    try (InputStream in = read()) {
      in.transferTo(out);
    }
  }

  /** Deletes the file, forgets the bytes and gives the circuit its room back. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Arrays.fill(memory, (byte) 0);
    memory = new byte[0];
    try {
      if (fileOut != null) {
        fileOut.close();
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (circuit != null && reserved > 0) {
        circuit.releaseUploadBytes(reserved);
      }
    }
  }
}

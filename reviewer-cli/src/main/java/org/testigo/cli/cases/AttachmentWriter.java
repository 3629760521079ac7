package org.testigo.cli.cases;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.remote.PrivateFiles;

/**
 * Writes the attachments of a case into a directory while their envelopes are decrypted: each
 * into a 0600 temporary file there, then given its safe name ({@link AttachmentNames}), never
 * replacing a file, falling back to {@code attachment-N} when the file system refuses the
 * name. Numbered across the case. An attachment whose envelope fails before its end is
 * deleted ({@link #discardUnfinished}).
 */
final class AttachmentWriter implements DecryptedSubmission.AttachmentSink {
  private final Path dir;
  private final AttachmentNames names = new AttachmentNames();
  private final PrintWriter err;
  private final List<Path> unfinished = new ArrayList<>();
  final List<Path> written = new ArrayList<>();
  /** Where each attachment went, by its number across the case (1-based). */
  final java.util.Map<Integer, Path> byNumber = new java.util.HashMap<>();
  int count;
  int failed;
  /** Called before each attachment with {@code attachments/N} (fault injection in tests). */
  Hook before = what -> { };

  interface Hook {
    void run(String what) throws IOException;
  }

  AttachmentWriter(Path dir, PrintWriter err) throws IOException {
    this.dir = dir;
    this.err = err;
  }

  @Override
  public OutputStream open(int inSubmission, String filename, String type) throws IOException {
    before.run("attachments/" + (count + 1));
    PrivateFiles.directory(dir);
    int n = ++count;
    String name = names.next(filename, n);
    Path tmp = PrivateFiles.temp(dir.resolve("attachment"));
    unfinished.add(tmp);
    OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    return new FilterOutputStream(file) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        super.close();
        try {
          Path p = publish(name, n, tmp);
          written.add(p);
          byNumber.put(n, p);
        } catch (IOException | java.nio.file.InvalidPathException e) {
          failed++;
          err.println("testigo-reviewer: attachment " + n + " could not be written (" + e.getClass().getSimpleName()
              + "); the others were");
        } finally {
          Files.deleteIfExists(tmp);
          unfinished.remove(tmp);
        }
      }
    };
  }

  private Path publish(String name, int n, Path tmp) throws IOException {
    try {
      return PrivateFiles.linkNew(dir, name, tmp);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return PrivateFiles.linkNew(dir, "attachment-" + n, tmp);
    }
  }

  /** Deletes the temporary files of attachments that did not reach their end. */
  void discardUnfinished() throws IOException {
    for (Path p : unfinished) {
      Files.deleteIfExists(p);
    }
    unfinished.clear();
  }
}

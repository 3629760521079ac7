package org.testigo.cli.shelter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.UUID;
import org.testigo.cli.CliException;
import org.testigo.cli.ExitCodes;
import org.testigo.crypto.CryptoException;
import picocli.CommandLine;

/**
 * One line on stderr and a documented exit code for every failure; never a stack trace
 * (it could carry fragments of a migrant's answers).
 */
final class ShelterErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd,
      CommandLine.ParseResult parseResult) {
    Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    int code;
    String message;
    if (e instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof CryptoException) {
      code = ExitCodes.CRYPTO;
      message = "decryption or verification failed: wrong passphrase, or a file was modified";
    } else if (e instanceof NoSuchFileException n) {
      code = ExitCodes.IO;
      message = "file not found: " + n.getFile();
    } else if (e instanceof FileAlreadyExistsException f) {
      code = ExitCodes.REFUSED;
      message = "refusing to overwrite " + f.getFile();
    } else if (e instanceof AccessDeniedException a) {
      code = ExitCodes.IO;
      message = "permission denied: " + a.getFile();
    } else if (e instanceof IOException io) {
      code = ExitCodes.IO;
      message = "input/output error: " + io.getMessage();
    } else {
      code = ExitCodes.INTERNAL;
      String id = UUID.randomUUID().toString().substring(0, 8);
      message = "internal error " + id + " (" + e.getClass().getSimpleName()
          + "); please report it with this id";
    }
    cmd.getErr().println("testigo-shelter: " + message);
    return code;
  }
}

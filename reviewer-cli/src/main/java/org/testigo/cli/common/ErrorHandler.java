package org.testigo.cli.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.UUID;
import org.testigo.api.client.ClientException;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.custody.CustodyException;
import picocli.CommandLine;

/**
 * Turns any exception from a command into one line on stderr, prefixed with the program's
 * name, and a documented exit code. Shared by {@code testigo-reviewer} and
 * {@code testigo-shelter}. Never prints a stack trace: it could carry fragments of decrypted
 * data or of a migrant's answers.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  private final String program;

  public ErrorHandler(String program) {
    this.program = program;
  }

  /**
   * Installs this handler and the matching one for usage errors (one line, then where to find
   * help; exit 2) on {@code cmd}: how {@code testigo-reviewer} runs every command.
   */
  public static CommandLine install(CommandLine cmd, String program) {
    cmd.setExecutionExceptionHandler(new ErrorHandler(program));
    cmd.setParameterExceptionHandler((ex, a) -> {
      // an unknown command is named alone: picocli's message lists every argument after it,
      // a passphrase file's path among them (user pass)
      boolean unknownCommand = ex instanceof CommandLine.UnmatchedArgumentException u0 && !u0.getUnmatched().isEmpty()
          && !ex.getCommandLine().getSubcommands().isEmpty() && !u0.getUnmatched().get(0).startsWith("-");
      ex.getCommandLine().getErr().println(program + ": " + (unknownCommand
          ? "'" + ((CommandLine.UnmatchedArgumentException) ex).getUnmatched().get(0) + "' is not a command"
          : ex.getMessage()));
      // "did you mean" for a misspelled command or option, and the one slip each command has
      // (user pass: note ID "text", sever add)
      if (ex instanceof CommandLine.UnmatchedArgumentException u) {
        // a command with two letters swapped first (picocli's own suggestions missed lsit -> list)
        String closest = u.getUnmatched().isEmpty() ? null
            : closestCommand(u.getUnmatched().get(0), ex.getCommandLine().getSubcommands().keySet());
        if (closest != null) {
          ex.getCommandLine().getErr().println("Did you mean: " + ex.getCommandLine().getCommandSpec().qualifiedName()
              + " " + closest + "?");
        } else {
          CommandLine.UnmatchedArgumentException.printSuggestions(u, ex.getCommandLine().getErr());
        }
        if ("note".equals(ex.getCommandLine().getCommandName())) {
          ex.getCommandLine().getErr().println("The note goes in --file FILE (or --text \"...\", which stays in"
              + " your shell history).");
        } else if (ex.getCommandLine().getCommandSpec().findOption("--file") != null) {
          ex.getCommandLine().getErr().println("The text goes in --file FILE.");
        }
      }
      ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec()
          .qualifiedName() + " --help'.");
      return ExitCodes.USAGE;
    });
    return cmd;
  }

  /**
   * The command {@code typed} most likely meant: one edit away, or two letters swapped (optimal
   * string alignment distance 1), unique; else null.
   */
  static String closestCommand(String typed, java.util.Collection<String> commands) {
    String found = null;
    for (String c : commands) {
      if (!c.equals(typed) && osaDistance(typed.toLowerCase(java.util.Locale.ROOT), c) == 1) {
        if (found != null) {
          return null;
        }
        found = c;
      }
    }
    return found;
  }

  private static int osaDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd,
      CommandLine.ParseResult parseResult) {
    Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    int code;
    String message;
    if (e instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof ClientException c) {
      code = ExitCodes.of(c.kind());
      message = c.getMessage();
    } else if (e instanceof CustodyException c) {
      code = c.reason() == CustodyException.Reason.TOO_FEW_SHARES
          || c.reason() == CustodyException.Reason.DUPLICATE_SHARE
          || c.reason() == CustodyException.Reason.DIFFERENT_CEREMONIES
          ? ExitCodes.BAD_INPUT : ExitCodes.CRYPTO;
      message = c.getMessage();
    } else if (e instanceof CryptoException) {
      code = ExitCodes.CRYPTO;
      message = "decryption or verification failed: wrong passphrase, wrong key, or the input"
          + " was modified";
    } else if (e instanceof NoSuchFileException n) {
      code = ExitCodes.IO;
      message = "file not found: " + n.getFile();
    } else if (e instanceof FileAlreadyExistsException f) {
      code = ExitCodes.REFUSED;
      message = "refusing to overwrite " + f.getFile() + " (remove it first, or choose another"
          + " path)";
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
    cmd.getErr().println(program + ": " + message);
    return code;
  }
}

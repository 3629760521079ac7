package org.testigo.cli.common;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * How a command gets a passphrase: from {@code --passphrase-file} (first line, for
 * scripts) or from an interactive prompt with echo off. Never from the command line,
 * where it would land in shell history and the process list.
 */
public final class PassphraseOptions {
  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase from the first line of FILE instead of prompting.")
  public Path passphraseFile;

  /** Set by a session that unlocked the keystore once (the inbox); the commands then never ask. */
  UnlockedKeystore unlocked;

  /** Makes {@link Identities#open} hand out copies of {@code keystore} instead of asking. */
  public void useUnlocked(UnlockedKeystore keystore) {
    this.unlocked = keystore;
  }

  /** Reads the passphrase as characters; the caller zeroes the array when done. */
  public char[] read(String prompt) throws IOException {
    if (passphraseFile != null) {
      byte[] bytes = Files.readAllBytes(passphraseFile);
      try {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        int end = 0;
        while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
          end++;
        }
        char[] out = new char[end];
        chars.get(out, 0, end);
        Arrays.fill(chars.array(), '\0');
        if (out.length == 0) {
          throw new CliException(ExitCodes.BAD_INPUT, "the passphrase file is empty: "
              + passphraseFile);
        }
        return out;
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    Console console = System.console();
    if (console != null) {
      char[] p = console.readPassword("%s: ", prompt);
      if (p == null || p.length == 0) {
        throw new CliException(ExitCodes.BAD_INPUT, "no passphrase given");
      }
      return p;
    }
    // No terminal (e.g. piped input): read one line from stdin, never from argv.
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      throw new CliException(ExitCodes.BAD_INPUT, "no passphrase given (use a terminal or"
          + " --passphrase-file)");
    }
    return line.toCharArray();
  }

  /** Reads a new passphrase, twice when interactive, and checks a minimum length. */
  public char[] readNew(String prompt, int minLength) throws IOException {
    char[] first = read(prompt);
    if (passphraseFile == null && System.console() != null) {
      char[] again = read(prompt + " (again)");
      boolean same = Arrays.equals(first, again);
      Arrays.fill(again, '\0');
      if (!same) {
        Arrays.fill(first, '\0');
        throw new CliException(ExitCodes.BAD_INPUT, "the two passphrases differ");
      }
    }
    if (first.length < minLength) {
      Arrays.fill(first, '\0');
      throw new CliException(ExitCodes.BAD_INPUT, "a passphrase needs at least " + minLength
          + " characters; a sentence of five or more words is best");
    }
    return first;
  }
}

package org.testigo.shelter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * The interactive side of a run: questions printed to the command's output, answers read
 * line by line from standard input (UTF-8). Tests pass their own streams.
 */
final class Terminal {
  private final BufferedReader in;
  private final PrintWriter out;

  Terminal(InputStream in, PrintWriter out) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
  }

  PrintWriter out() {
    return out;
  }

  /** Prints the prompt and reads one line (stripped); end of input is a usage error. */
  String ask(String prompt) throws IOException {
    out.print(prompt);
    out.print(" ");
    out.flush();
    String line = in.readLine();
    if (line == null) {
      throw new CliException(ExitCodes.USAGE, "input ended before every question was answered");
    }
    return line.strip();
  }
}

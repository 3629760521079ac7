package org.testigo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The exit code and the output of one in-process run of the reviewer command line (tests). */
public record CliResult(int code, String out, String err) {
  /** Runs {@code testigo-reviewer args...} in this JVM and captures what it prints. */
  public static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReviewerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliResult(code, out.toString(), err.toString());
  }
}

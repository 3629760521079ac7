package org.testigo.cli.inbox;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.common.ErrorHandler;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.common.UnlockedKeystore;
import picocli.CommandLine;

/**
 * Runs the tool's own commands ({@code show}, {@code ack}, {@code assign}, {@code sync}…) inside
 * the inbox, exactly as {@code testigo-reviewer} runs them, with their output captured: every
 * rule, check and message is theirs. The only difference is where the keys come from: the
 * picocli factory hands each command's {@link PassphraseOptions} the session's
 * {@link UnlockedKeystore}, so no command asks for the passphrase and each destroys its own copy
 * of the keys when done.
 */
final class Commands {
  /** What one command printed and its exit code. */
  record Result(int code, String out, String err) {
    boolean ok() {
      return code == 0;
    }

    /** The line to show the reviewer: the first error, else the last line of output. */
    String message() {
      String text = ok() ? out : err;
      List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (lines.isEmpty()) {
        return ok() ? "" : "exit " + code;
      }
      String l = ok() ? lines.get(lines.size() - 1) : lines.get(0);
      return l.startsWith(PROGRAM + ": ") ? l.substring(PROGRAM.length() + 2) : l;
    }
  }

  static final String PROGRAM = "testigo-reviewer";
  private final UnlockedKeystore keys;
  private final HomeOptions home;

  Commands(UnlockedKeystore keys, HomeOptions home) {
    this.keys = keys;
    this.home = home;
  }

  /**
   * Runs {@code command} with {@code args}, then the session's home, server and keystore. Free
   * text must be passed as {@code --option=text}, so that no text is ever read as an option or
   * an {@code @file}.
   */
  Result run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(command, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K made = CommandLine.defaultFactory().create(cls);
        if (made instanceof PassphraseOptions p) {
          p.useUnlocked(keys);
        }
        return made;
      }
    });
    ErrorHandler.install(cmd, PROGRAM);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home=" + home.home(), "--server=" + home.serverName(), "--keystore=" + keys.path()));
    int code = cmd.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** The session's passphrase options: copies of the unlocked keys, never a prompt. */
  PassphraseOptions passphrase() {
    PassphraseOptions p = new PassphraseOptions();
    p.useUnlocked(keys);
    return p;
  }

  Path keystore() {
    return keys.path();
  }
}

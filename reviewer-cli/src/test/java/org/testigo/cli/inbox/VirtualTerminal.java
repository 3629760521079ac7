package org.testigo.cli.inbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A terminal for tests: JLine's external terminal (xterm-256color, a fixed size) whose input is
 * what the test types and whose output is interpreted by {@link ScreenTerminal}, a VT100
 * emulator, so the test reads the screen as a person would see it.
 */
final class VirtualTerminal implements AutoCloseable {
  final Terminal terminal;
  private final PipedOutputStream keys = new PipedOutputStream();
  private final ScreenTerminal screen;

  VirtualTerminal(int cols, int rows) throws IOException {
    screen = new ScreenTerminal(cols, rows);
    PipedInputStream in = new PipedInputStream(keys, 1 << 16);
    terminal = TerminalBuilder.builder().system(false).streams(in, new ScreenStream()).type("xterm-256color")
        .size(new Size(cols, rows)).encoding(StandardCharsets.UTF_8).build();
  }

  /** Types {@code text} (UTF-8; use \r for Enter, \u0018 for Ctrl-X, \u001b for Esc). */
  void type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  /** The screen as text, one line per row. */
  String screen() {
    return screen.toString();
  }

  /**
   * Waits until the screen satisfies {@code test} and has stopped changing (a frame is drawn
   * line by line); the deadline is for a slow machine, not a timing assertion.
   */
  String await(Predicate<String> test, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      String s = screen();
      if (test.test(s) && s.equals(last)) {
        return s;
      }
      last = s;
      Thread.sleep(30);
    }
    throw new AssertionError("the screen never showed " + what + "; it shows:\n" + screen());
  }

  String await(String text) throws InterruptedException {
    return await(s -> s.contains(text), "'" + text + "'");
  }

  @Override
  public void close() throws IOException {
    keys.close();
    terminal.close();
  }

  /** Decodes the terminal's UTF-8 output (sequences may be split across writes) into the emulator. */
  private final class ScreenStream extends OutputStream {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 16);

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      while (len > 0) {
        int n = Math.min(len, pending.remaining());
        pending.put(b, off, n);
        off += n;
        len -= n;
        pending.flip();
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 1);
        decoder.decode(pending, out, false);
        pending.compact();
        out.flip();
        screen.write(out);
      }
    }
  }
}

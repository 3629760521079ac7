package org.testigo.cli.inbox;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.NonBlockingReader;

/**
 * Decodes key presses from a terminal in raw mode: printable characters (any script), control
 * keys, and the escape sequences of arrows and paging keys in both their CSI ({@code ESC [})
 * and SS3 ({@code ESC O}) forms. An unknown sequence is read to its end and dropped, never
 * taken as typed text. A lone ESC is told from the start of a sequence by a short wait.
 */
final class Keys {
  static final long ESC_WAIT_MS = 60;
  private static final long POLL_MS = 250;
  private static final int MAX_SEQUENCE = 16;
  private final NonBlockingReader in;
  private final AtomicBoolean resized;

  Keys(NonBlockingReader in, AtomicBoolean resized) {
    this.in = in;
    this.resized = resized;
  }

  /** True if more typed input is already waiting (a paste): the caller may skip a redraw. */
  boolean ready() {
    return in.available() > 0;
  }

  /** The next key; {@link Key.Kind#RESIZE} as soon as the terminal was resized. */
  Key next() throws IOException {
    int c;
    do {
      if (resized.getAndSet(false)) {
        return Key.of(Key.Kind.RESIZE);
      }
      c = in.read(POLL_MS);
    } while (c == NonBlockingReader.READ_EXPIRED);
    if (c < 0) {
      return Key.of(Key.Kind.EOF);
    }
    return switch (c) {
      case 27 -> escape();
      case '\r', '\n' -> Key.of(Key.Kind.ENTER);
      case 127, 8 -> Key.of(Key.Kind.BACKSPACE);
      case '\t' -> Key.of(Key.Kind.TAB);
      default -> {
        if (c < 0x20) {
          yield new Key(Key.Kind.CTRL, c + 0x40);
        }
        if (Character.isHighSurrogate((char) c)) {
          int low = in.read(ESC_WAIT_MS);
          yield low >= 0 && Character.isLowSurrogate((char) low)
              ? new Key(Key.Kind.CHAR, Character.toCodePoint((char) c, (char) low)) : new Key(Key.Kind.CHAR, 0xfffd);
        }
        yield c >= 0x7f && c <= 0x9f ? new Key(Key.Kind.CHAR, 0xfffd) : new Key(Key.Kind.CHAR, c);
      }
    };
  }

  private Key escape() throws IOException {
    int c = in.read(ESC_WAIT_MS);
    if (c == NonBlockingReader.READ_EXPIRED || c < 0) {
      return Key.of(Key.Kind.ESC);
    }
    if (c != '[' && c != 'O') {
      return Key.of(Key.Kind.ESC);
    }
    StringBuilder params = new StringBuilder();
    int f = in.read(ESC_WAIT_MS);
    while (f >= 0 && (f < 0x40 || f > 0x7e) && params.length() < MAX_SEQUENCE) {
      params.append((char) f);
      f = in.read(ESC_WAIT_MS);
    }
    if (f < 0) {
      return Key.of(Key.Kind.ESC);
    }
    String p = params.toString();
    return switch (f) {
      case 'A' -> Key.of(Key.Kind.UP);
      case 'B' -> Key.of(Key.Kind.DOWN);
      case 'C' -> Key.of(Key.Kind.RIGHT);
      case 'D' -> Key.of(Key.Kind.LEFT);
      case 'H' -> Key.of(Key.Kind.HOME);
      case 'F' -> Key.of(Key.Kind.END);
      case '~' -> switch (p) {
        case "1", "7" -> Key.of(Key.Kind.HOME);
        case "4", "8" -> Key.of(Key.Kind.END);
        case "3" -> Key.of(Key.Kind.DELETE);
        case "5" -> Key.of(Key.Kind.PAGE_UP);
        case "6" -> Key.of(Key.Kind.PAGE_DOWN);
        default -> Key.of(Key.Kind.RESIZE);
      };
      default -> Key.of(Key.Kind.RESIZE);
    };
  }
}

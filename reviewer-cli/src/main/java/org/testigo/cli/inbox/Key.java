package org.testigo.cli.inbox;

/** One key press, decoded from the terminal's bytes by {@link Keys}. */
record Key(Kind kind, int ch) {
  enum Kind { CHAR, CTRL, ENTER, ESC, BACKSPACE, DELETE, TAB, UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN,
    /** The terminal changed size; redraw. */
    RESIZE,
    /** The input ended (the terminal is gone). */
    EOF }

  static Key of(Kind kind) {
    return new Key(kind, 0);
  }

  boolean is(char c) {
    return kind == Kind.CHAR && ch == c;
  }

  boolean isCtrl(char letter) {
    return kind == Kind.CTRL && ch == Character.toUpperCase(letter);
  }
}

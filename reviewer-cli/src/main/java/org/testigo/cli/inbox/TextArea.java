package org.testigo.cli.inbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of the inbox's multi-line editor (notes, feedback, replies) and its cursor. Lines
 * are shown soft-wrapped at the screen's width; the cursor moves over the text, not the screen.
 * At most {@code maxChars} characters are held; typing past that is ignored.
 * {@link #erase()} overwrites the text before dropping it.
 */
final class TextArea {
  private final List<StringBuilder> lines = new ArrayList<>();
  private final int maxChars;
  private int row;
  private int col;
  private int size;

  TextArea(String initial, int maxChars) {
    this.maxChars = maxChars;
    for (String l : initial.split("\n", -1)) {
      lines.add(new StringBuilder(l));
      size += l.length();
    }
  }

  /** Puts the cursor on the first template placeholder ({@code [ … ]} ending a line), if any. */
  void toPlaceholder() {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).toString();
      int open = l.indexOf('[');
      if (open >= 0 && l.strip().endsWith("]")) {
        row = i;
        col = open;
        return;
      }
    }
  }

  String text() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append(lines.get(i));
    }
    return b.toString();
  }

  int row() {
    return row;
  }

  int col() {
    return col;
  }

  /** Applies an editing key; false if the key is not an editing key. */
  boolean apply(Key k) {
    StringBuilder line = lines.get(row);
    switch (k.kind()) {
      case CHAR -> {
        if (size + Character.charCount(k.ch()) <= maxChars) {
          String s = new String(Character.toChars(k.ch()));
          line.insert(col, s);
          col += s.length();
          size += s.length();
        }
      }
      case TAB -> {
        for (int i = 0; i < 2; i++) {
          apply(new Key(Key.Kind.CHAR, ' '));
        }
      }
      case ENTER -> {
        if (size < maxChars) {
          String rest = line.substring(col);
          line.setLength(col);
          lines.add(row + 1, new StringBuilder(rest));
          row++;
          col = 0;
        }
      }
      case BACKSPACE -> {
        if (col > 0) {
          int n = col >= 2 && Character.isLowSurrogate(line.charAt(col - 1)) ? 2 : 1;
          line.delete(col - n, col);
          col -= n;
          size -= n;
        } else if (row > 0) {
          StringBuilder prev = lines.get(row - 1);
          col = prev.length();
          prev.append(line);
          lines.remove(row);
          row--;
        }
      }
      case DELETE -> {
        if (col < line.length()) {
          int n = Character.isHighSurrogate(line.charAt(col)) && col + 1 < line.length() ? 2 : 1;
          line.delete(col, col + n);
          size -= n;
        } else if (row + 1 < lines.size()) {
          line.append(lines.remove(row + 1));
        }
      }
      case LEFT -> {
        if (col > 0) {
          col -= col >= 2 && Character.isLowSurrogate(line.charAt(col - 1)) ? 2 : 1;
        } else if (row > 0) {
          row--;
          col = lines.get(row).length();
        }
      }
      case RIGHT -> {
        if (col < line.length()) {
          col += Character.isHighSurrogate(line.charAt(col)) && col + 1 < line.length() ? 2 : 1;
        } else if (row + 1 < lines.size()) {
          row++;
          col = 0;
        }
      }
      case UP -> moveTo(row - 1);
      case DOWN -> moveTo(row + 1);
      case PAGE_UP -> moveTo(row - 10);
      case PAGE_DOWN -> moveTo(row + 10);
      case CTRL -> {
        if (k.ch() != 'K') {
          return false;
        }
        size -= line.length();
        if (lines.size() > 1) {
          lines.remove(row);
          row = Math.min(row, lines.size() - 1);
        } else {
          line.setLength(0);
        }
        col = 0;
      }
      case HOME -> col = 0;
      case END -> col = line.length();
      default -> {
        return false;
      }
    }
    return true;
  }

  private void moveTo(int r) {
    row = Math.max(0, Math.min(lines.size() - 1, r));
    col = Math.min(col, lines.get(row).length());
    if (col > 0 && Character.isLowSurrogate(lines.get(row).charAt(col - 1))
        && col < lines.get(row).length()) {
      col--;
    }
  }

  /** A screen row of the wrapped text: its logical line and the characters it shows. */
  record Visual(int line, int start, String text) {}

  /** The text wrapped at {@code width} characters (a wrapped row never splits a surrogate pair). */
  List<Visual> wrap(int width) {
    List<Visual> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).toString();
      int start = 0;
      do {
        int end = Math.min(l.length(), start + width);
        if (end < l.length() && end > start && Character.isHighSurrogate(l.charAt(end - 1))) {
          end--;
        }
        out.add(new Visual(i, start, l.substring(start, end)));
        start = end;
      } while (start < l.length());
    }
    return out;
  }

  /** The wrapped row and column of the cursor, in {@link #wrap}'s rows. */
  int[] cursor(List<Visual> wrapped) {
    for (int i = 0; i < wrapped.size(); i++) {
      Visual v = wrapped.get(i);
      boolean last = i + 1 == wrapped.size() || wrapped.get(i + 1).line() != v.line();
      if (v.line() == row && col >= v.start() && (col < v.start() + v.text().length() || last)) {
        return new int[] {i, col - v.start()};
      }
    }
    return new int[] {0, 0};
  }

  /** Overwrites the held text with zeros and empties it. */
  void erase() {
    for (StringBuilder l : lines) {
      for (int i = 0; i < l.length(); i++) {
        l.setCharAt(i, '\0');
      }
      l.setLength(0);
    }
    lines.clear();
    lines.add(new StringBuilder());
    row = 0;
    col = 0;
    size = 0;
  }
}

package org.testigo.cli.cases;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A JSON writer for files a person may open in an editor or a terminal (the exported
 * {@code questionnaire.json} and {@code events.json}): besides what JSON requires (quote,
 * backslash, C0 controls), it escapes DEL, the C1 controls U+0080–U+009F, the bidirectional
 * controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and U+2028/U+2029 as
 * lowercase {@code \\uXXXX}, so that text from a report cannot reorder or hide what is shown
 * or drive a terminal. The value is unchanged for a JSON parser.
 */
public final class SafeJson {
  private SafeJson() {}

  /** An indenting mapper with the escapes above. */
  public static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    m.getFactory().setCharacterEscapes(new Escapes());
    return m;
  }

  static boolean escaped(int c) {
    return c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
  }

  private static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    Escapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      ascii[0x7f] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return escaped(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }
}

package org.testigo.server.domain.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testigo.server.domain.InvalidInputException;

/**
 * The text fields of a submitted form, read with a cap per value and in total. Values must
 * be valid UTF-8; line breaks are normalised to LF.
 */
public final class FormFields {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final int maxValueBytes;
  private final int maxValues;
  private int count;

  public FormFields(int maxValueBytes, int maxValues) {
    this.maxValueBytes = maxValueBytes;
    this.maxValues = maxValues;
  }

  /** Reads one value; too long → {@code error.too_long}, bad UTF-8 → {@code error.encoding}. */
  public void add(String name, InputStream body) throws IOException {
    if (++count > maxValues) {
      throw new InvalidInputException("error.form");
    }
    byte[] bytes = body.readNBytes(maxValueBytes + 1);
    if (bytes.length > maxValueBytes) {
      throw new FormInvalidException(List.of("error.too_long"));
    }
    String value;
    try {
      value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("error.encoding");
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    add(name, value);
  }

  public void add(String name, String value) {
    values.computeIfAbsent(name, k -> new ArrayList<>()).add(value.replace("\r\n", "\n").replace('\r', '\n'));
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** The single value of a field, "" when absent; several values → {@code error.form}. */
  public String one(String name) {
    List<String> v = all(name);
    if (v.size() > 1) {
      throw new InvalidInputException("error.form");
    }
    return v.isEmpty() ? "" : v.get(0).strip();
  }

  /** Takes a field out (e.g. the receipt fields before the questionnaire is parsed); "" when absent. */
  public String remove(String name) {
    List<String> v = values.remove(name);
    if (v != null && v.size() > 1) {
      throw new InvalidInputException("error.form");
    }
    return v == null ? "" : v.get(0).strip();
  }

  public java.util.Set<String> names() {
    return values.keySet();
  }
}

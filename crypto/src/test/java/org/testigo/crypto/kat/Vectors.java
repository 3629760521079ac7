package org.testigo.crypto.kat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Loads committed test-vector files from {@code src/test/resources/vectors/}. */
public final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String path) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test vector file " + path);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode node, String field) {
    return HexFormat.of().parseHex(node.get(field).asText());
  }

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link SafeJson}: C1, DEL and bidi controls leave the writer escaped, byte for byte. */
class SafeJsonTest {
  @Test
  void mapper_escapesC1AndBidiControlsAsLowercaseUnicodeEscapes() throws Exception {
    JsonNode doc = new ObjectMapper().createObjectNode()
        .put("narrative", "a\u009b31mb\u202ec\u2066d\u0085e\u007ff\u200fg\u2028h\u001bi \u00f1 \ud83d\ude00");
    byte[] bytes = SafeJson.mapper().writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    String expected = "{\n  \"narrative\" : \"a\\u009b31mb\\u202ec\\u2066d\\u0085e\\u007ff\\u200fg\\u2028h\\u001Bi"
        + " \u00f1 \ud83d\ude00\"\n}";
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(bytes).containsSequence("\\u009b".getBytes(StandardCharsets.US_ASCII))
        .containsSequence("\\u202e".getBytes(StandardCharsets.US_ASCII));
    for (byte b : bytes) {
      assertThat(b & 0xff).as("no raw C0 or DEL").isGreaterThanOrEqualTo(0x0a).isNotEqualTo(0x7f);
    }
    String raw = new String(bytes, StandardCharsets.UTF_8);
    raw.codePoints().forEach(c -> assertThat(SafeJson.escaped(c)).as("raw U+%04X", c).isFalse());
  }

  @Test
  void mapper_roundTripsTheSameValue() throws Exception {
    JsonNode doc = new ObjectMapper().createObjectNode().put("x", "\u009b\u202e\u2069 ok \u00e9\ud83d\ude00");
    assertThat(new ObjectMapper().readTree(SafeJson.mapper().writeValueAsString(doc))).isEqualTo(doc);
  }
}

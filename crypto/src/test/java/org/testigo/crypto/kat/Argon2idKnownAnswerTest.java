package org.testigo.crypto.kat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.kat.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.internal.Argon2id;

/** RFC 9106 §5.3 and the reference test.c Argon2id cases, through argon2-jvm and Argon2id. */
class Argon2idKnownAnswerTest {
  private static final JsonNode FILE = Vectors.load("argon2/argon2id.json");
  private static final Argon2Advanced ARGON2 =
      Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);

  static Stream<Arguments> testCVectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : FILE.get("test_c_vectors")) {
      out.add(Arguments.of(v.get("encoded").asText(), v));
    }
    return out.stream();
  }

  @Test
  void rfc9106Vector_withSecretAndAssociatedData_matchesTag() {
    JsonNode v = FILE.get("rfc9106").get(0);
    assertThat(v.get("version").asInt()).isEqualTo(0x13);
    byte[] tag = ARGON2.rawHashAdvanced(v.get("iterations").asInt(), v.get("memory_kib").asInt(),
        v.get("parallelism").asInt(), hex(v, "password_hex"), hex(v, "salt_hex"),
        hex(v, "secret_hex"), hex(v, "ad_hex"), v.get("tag_length").asInt(), Argon2Version.V13);
    assertThat(hex(tag)).isEqualTo(v.get("tag_hex").asText());
    byte[] viaWrapper = Argon2id.hash(hex(v, "password_hex"), hex(v, "salt_hex"),
        hex(v, "secret_hex"), hex(v, "ad_hex"), v.get("memory_kib").asInt(),
        v.get("iterations").asInt(), v.get("parallelism").asInt(), v.get("tag_length").asInt());
    assertThat(hex(viaWrapper)).isEqualTo(v.get("tag_hex").asText());
  }

  @Test
  void rfc9106Vector_withDifferentSecret_givesDifferentTag() {
    JsonNode v = FILE.get("rfc9106").get(0);
    byte[] tag = Argon2id.hash(hex(v, "password_hex"), hex(v, "salt_hex"), new byte[] {4},
        hex(v, "ad_hex"), 32, 3, 4, 32);
    assertThat(hex(tag)).isNotEqualTo(v.get("tag_hex").asText());
  }

  @Test
  void file_hasEightTestCVectorsAtVersion13() {
    assertThat(FILE.get("test_c_vectors")).hasSize(8);
    FILE.get("test_c_vectors").forEach(v -> assertThat(v.get("version").asInt()).isEqualTo(19));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testCVectors")
  void testCVector_matchesTagAndEncoding(String encoded, JsonNode v) {
    byte[] pw = v.get("password_utf8").asText().getBytes(StandardCharsets.UTF_8);
    byte[] salt = v.get("salt_utf8").asText().getBytes(StandardCharsets.UTF_8);
    int t = v.get("iterations").asInt();
    int m = v.get("memory_kib").asInt();
    int p = v.get("parallelism").asInt();
    int len = v.get("tag_length").asInt();
    assertThat(hex(ARGON2.rawHash(t, m, p, pw, salt))).isEqualTo(v.get("tag_hex").asText());
    assertThat(hex(Argon2id.hash(pw, salt, m, t, p, len))).isEqualTo(v.get("tag_hex").asText());
    assertThat(ARGON2.hashAdvanced(t, m, p, pw, salt, len, Argon2Version.V13).getEncoded())
        .isEqualTo(encoded);
  }
}

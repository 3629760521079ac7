package org.testigo.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassphraseTest {
  @Test
  void toString_isRedacted() {
    Passphrase p = Passphrase.of("hunter2 secreto".toCharArray());
    assertThat(p.toString()).isEqualTo("Passphrase[REDACTED]").doesNotContain("hunter2");
  }

  @Test
  void of_copiesTheCallersArray() {
    char[] chars = "abc".toCharArray();
    Passphrase p = Passphrase.of(chars);
    java.util.Arrays.fill(chars, 'x');
    assertThat(p.toUtf8Nfc()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void toUtf8Nfc_normalisesDecomposedInputToComposedUtf8() {
    Passphrase composed = Passphrase.of("ni\u00f1o caf\u00e9".toCharArray());
    Passphrase decomposed = Passphrase.of("nin\u0303o cafe\u0301".toCharArray());
    byte[] expected = "ni\u00f1o caf\u00e9".getBytes(StandardCharsets.UTF_8);
    assertThat(composed.toUtf8Nfc()).isEqualTo(expected);
    assertThat(decomposed.toUtf8Nfc()).isEqualTo(expected);
  }

  @Test
  void toUtf8Nfc_rejectsLoneSurrogates() {
    Passphrase p = Passphrase.of(new char[] {'a', '\ud800', 'b'});
    assertThatThrownBy(p::toUtf8Nfc).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void destroy_zeroesTheCharactersAndRefusesUse() throws Exception {
    Passphrase p = Passphrase.of("secreto".toCharArray());
    p.destroy();
    assertThat(p.isDestroyed()).isTrue();
    var field = Passphrase.class.getDeclaredField("chars");
    field.setAccessible(true);
    assertThat((char[]) field.get(p)).containsOnly('\0');
    assertThatThrownBy(p::toUtf8Nfc).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void passphrase_holdsNoStringField() {
    for (var f : Passphrase.class.getDeclaredFields()) {
      assertThat(f.getType()).isNotEqualTo(String.class);
    }
  }
}

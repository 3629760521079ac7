package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.testigo.cli.common.CliException;

/** What a source will read on the status page: no control or text-direction characters. */
class ReplyTextCheckTest {
  @Test
  void controlAndDirectionCharactersAreRefusedByPosition() {
    for (String bad : new String[] {"Hola \u001b[31m", "Hola \u202eevil", "Hola \u2066x\u2069", "Hola \u0085", "a\rb"}) {
      assertThatThrownBy(() -> ReplyCommand.check(bad)).isInstanceOf(CliException.class)
          .hasMessageContaining("control or text-direction character (U+").hasMessageContaining("nothing was sent");
    }
  }

  @Test
  void linesTabsAndAnyScriptAreSent() {
    assertThatCode(() -> ReplyCommand.check("Bonjou,\n\tnou resevwa denonsyasyon ou an. Ñandutí ✓ 你好"))
        .doesNotThrowAnyException();
  }
}

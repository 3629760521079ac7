package org.testigo.server.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.testigo.server.domain.InvalidInputException;

class QuestionnaireParserTest {
  private static final LocalDate TODAY = LocalDate.of(2025, 6, 1);

  private static FormFields valid() {
    FormFields f = new FormFields(100_000, 100);
    f.add("version", "1");
    f.add("what", "kidnapping");
    f.add("what", "extortion");
    f.add("who", "inm");
    f.add("badge", "A-12");
    f.add("state", "CHP");
    f.add("place_kind", "train");
    f.add("date", "2025-05-30");
    f.add("victims", "3");
    f.add("minors", "yes");
    f.add("minors_count", "1");
    f.add("narrative", "Nos bajaron del tren.\r\nPidieron dinero.");
    f.add("wants", "reply");
    return f;
  }

  @Test
  void parse_acceptsAValidFormAndNormalisesLineBreaks() {
    Questionnaire q = QuestionnaireParser.parse(valid(), "es", TODAY);
    assertThat(q.version()).isEqualTo(1);
    assertThat(q.what()).containsExactly("kidnapping", "extortion");
    assertThat(q.where().state()).isEqualTo("CHP");
    assertThat(q.victims().count()).isEqualTo(3);
    assertThat(q.narrative()).isEqualTo("Nos bajaron del tren.\nPidieron dinero.");
  }

  @Test
  void parse_reportsEveryInvalidFieldByKeyWithoutTheValue() {
    FormFields f = new FormFields(100_000, 100);
    f.add("version", "1");
    f.add("what", "<script>alert(1)</script>");
    f.add("state", "XX");
    f.add("date", "2099-01-01");
    f.add("victims", "-4");
    f.add("badge", "x".repeat(201));
    assertThatThrownBy(() -> QuestionnaireParser.parse(f, "es", TODAY))
        .isInstanceOfSatisfying(FormInvalidException.class, e -> assertThat(e.messageKeys())
            .containsExactlyInAnyOrder("q.what", "q.state", "q.date", "q.victims", "q.badge"))
        .hasMessageNotContaining("script");
  }

  @Test
  void parse_refusesUnknownVersionUnknownFieldAndEmptyReport() {
    FormFields v2 = valid();
    v2 = new FormFields(100_000, 100);
    v2.add("version", "2");
    FormFields finalV2 = v2;
    assertThatThrownBy(() -> QuestionnaireParser.parse(finalV2, "es", TODAY))
        .isInstanceOf(InvalidInputException.class).hasMessage("error.version");
    FormFields unknown = valid();
    unknown.add("ip_address", "x");
    assertThatThrownBy(() -> QuestionnaireParser.parse(unknown, "es", TODAY))
        .isInstanceOf(InvalidInputException.class).hasMessage("error.form");
    FormFields empty = new FormFields(100_000, 100);
    empty.add("version", "1");
    assertThatThrownBy(() -> QuestionnaireParser.parse(empty, "es", TODAY))
        .isInstanceOfSatisfying(FormInvalidException.class, e -> assertThat(e.messageKeys()).containsExactly("error.empty"));
  }

  @Test
  void formFields_rejectsInvalidUtf8AndOverlongValues() {
    FormFields f = new FormFields(10, 100);
    assertThatThrownBy(() -> f.add("narrative", new java.io.ByteArrayInputStream(new byte[] {(byte) 0xC3, 0x28})))
        .isInstanceOf(InvalidInputException.class).hasMessage("error.encoding");
    assertThatThrownBy(() -> f.add("narrative", new java.io.ByteArrayInputStream(new byte[11])))
        .isInstanceOf(FormInvalidException.class);
  }
}

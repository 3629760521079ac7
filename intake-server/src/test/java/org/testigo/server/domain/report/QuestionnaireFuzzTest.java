package org.testigo.server.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;
import org.testigo.server.domain.InvalidInputException;

/**
 * Fuzz target for the report form: field values as the source's browser sends them, through
 * {@link FormFields} (UTF-8 decoding, size limits) into {@link QuestionnaireParser}, and the
 * questionnaire JSON the server seals. Input: lines {@code name=value}; in a value the two
 * characters backslash, n stand for a line break.
 */
class QuestionnaireFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

  /**
   * The parser either refuses ({@link InvalidInputException} or {@link FormInvalidException}
   * with message keys only) or returns a questionnaire within its documented bounds whose
   * JSON reads back to an equal questionnaire.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrGivesBoundedQuestionnaireThatRoundTrips(byte[] data) throws IOException {
    FormFields fields = new FormFields(QuestionnaireParser.NARRATIVE * 4, 200);
    Questionnaire q;
    try {
      int start = 0;
      for (int i = 0; i <= data.length; i++) {
        if (i == data.length || data[i] == '\n') {
          addField(fields, Arrays.copyOfRange(data, start, i));
          start = i + 1;
        }
      }
      q = QuestionnaireParser.parse(fields, "es", TODAY);
    } catch (InvalidInputException e) {
      assertThat(e.messageKey()).startsWith("error.");
      return;
    } catch (FormInvalidException e) {
      assertThat(e.messageKeys()).isNotEmpty()
          .allMatch(k -> k.startsWith("q.") || k.startsWith("error."));
      return;
    }
    assertThat(Vocabulary.codes(AbuseCategory.class)).containsAll(q.what());
    assertThat(Vocabulary.codes(Perpetrator.class)).containsAll(q.who());
    assertThat(Vocabulary.codes(Want.class)).containsAll(q.wants());
    assertThat(q.narrative().codePointCount(0, q.narrative().length()))
        .isLessThanOrEqualTo(QuestionnaireParser.NARRATIVE);
    for (String s : new String[] {q.whatOther(), q.whoOther(), q.where().place(),
        q.when().approximate(), q.identifying().uniform(), q.identifying().badge(),
        q.identifying().plates(), q.identifying().unit()}) {
      assertThat(s).isNotNull();
      assertThat(s.codePointCount(0, s.length())).isLessThanOrEqualTo(QuestionnaireParser.SHORT_TEXT);
    }
    if (q.victims().count() != null && q.victims().minorsCount() != null) {
      assertThat(q.victims().minorsCount()).isLessThanOrEqualTo(q.victims().count());
    }
    byte[] json = JSON.writeValueAsBytes(q);
    assertThat(JSON.readValue(json, Questionnaire.class)).isEqualTo(q);
  }

  private static void addField(FormFields fields, byte[] line) throws IOException {
    int eq = -1;
    for (int i = 0; i < line.length; i++) {
      if (line[i] == '=') {
        eq = i;
        break;
      }
    }
    if (eq <= 0) {
      return;
    }
    String name = new String(line, 0, eq, StandardCharsets.UTF_8);
    byte[] value = new String(Arrays.copyOfRange(line, eq + 1, line.length), StandardCharsets.ISO_8859_1)
        .replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    fields.add(name, new ByteArrayInputStream(value));
  }
}

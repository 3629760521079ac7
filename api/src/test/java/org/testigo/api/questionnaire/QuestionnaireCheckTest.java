package org.testigo.api.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuestionnaireCheckTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate LATEST = LocalDate.of(2026, 12, 8);
  /** Every key, as the browser page's script, the server's form and the shelter tool write it. */
  static final String FULL = "{\"version\":1,\"language\":\"ht\",\"what\":[\"kidnapping\",\"other\"],"
      + "\"whatOther\":\"x\",\"who\":[\"inm\"],\"whoOther\":\"\",\"identifying\":{\"uniform\":\"gris\","
      + "\"badge\":\"\",\"plates\":\"\",\"unit\":\"\"},\"where\":{\"state\":\"CHP\",\"place\":\"Tapachula\","
      + "\"placeKind\":\"train\"},\"when\":{\"date\":\"2026-12-07\",\"approximate\":\"\"},"
      + "\"victims\":{\"count\":3,\"minors\":\"yes\",\"minorsCount\":1},\"narrative\":\"Nos detuvieron\\n\\tde noche\","
      + "\"wants\":[\"reply\",\"asylum-information\"]}";
  static final String EMPTY_FIELDS = "{\"version\":1,\"language\":\"es\",\"what\":[],\"whatOther\":\"\",\"who\":[],"
      + "\"whoOther\":\"\",\"identifying\":{\"uniform\":\"\",\"badge\":\"\",\"plates\":\"\",\"unit\":\"\"},"
      + "\"where\":{\"state\":null,\"place\":\"\",\"placeKind\":null},\"when\":{\"date\":null,\"approximate\":\"\"},"
      + "\"victims\":{\"count\":null,\"minors\":null,\"minorsCount\":null},\"narrative\":\"solo texto\",\"wants\":[]}";

  static Optional<String> check(String json) throws Exception {
    return QuestionnaireCheck.questionnaire(JSON.readTree(json), LATEST);
  }

  @Test
  void documentsAsTheWritersWriteThemConform() throws Exception {
    assertThat(check(FULL)).isEmpty();
    assertThat(check(EMPTY_FIELDS)).isEmpty();
    // absent keys are read as empty: an older or smaller conforming writer
    assertThat(check("{\"version\":1,\"what\":[\"robbery\"]}")).isEmpty();
    // controls in texts are shown escaped by the renderers, not a reason to hide the report
    assertThat(check("{\"version\":1,\"narrative\":\"csi \\u009b31m rlo \\u202e\"}")).isEmpty();
  }

  /**
   * A shelter's tool appends a consent record (docs/spec/shelter-outbox.md), which readers of
   * questionnaire v1 must accept; an outside attack found every shelter-filed report listed as
   * "not a valid report" because the check did not know the key.
   */
  @Test
  void aShelterConsentRecordConforms_andAMalformedOneIsNamed() throws Exception {
    String consent = ",\"consent\":{\"given\":true,\"language\":\"es\",\"statementVersion\":1,"
        + "\"statementSha256\":\"e77e38af9366050e0753efcaeff71ed57fa8763cdbd3fc20eac9f73f325573b2\"}}";
    String withConsent = FULL.substring(0, FULL.length() - 1) + consent;
    assertThat(check(withConsent)).isEmpty();
    assertThat(check(withConsent.replace("\"given\":true", "\"given\":false"))).contains("'consent.given' is not true");
    assertThat(check(withConsent.replace("\"statementVersion\":1", "\"statementVersion\":\"1\"")))
        .contains("'consent.statementVersion' is not a version number");
    assertThat(check(withConsent.replace("e77e38af", "E77E38AF")))
        .contains("'consent.statementSha256' is not a SHA-256 in hex");
    assertThat(check(withConsent.replace("\"language\":\"es\",\"statementVersion\"",
        "\"language\":\"es; x\",\"statementVersion\""))).contains("'consent.language' is not a language code");
    assertThat(check(withConsent.replace("\"given\":true", "\"given\":true,\"name\":\"Ana\"")))
        .contains("'consent' has a key questionnaire v1 does not define");
    assertThat(check(FULL.substring(0, FULL.length() - 1) + ",\"consent\":[]}")).contains("'consent' is not a JSON object");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/where/state|\"ZZZ\"|'where.state' holds a value outside its list",
      "/where/state|\"chp\"|'where.state' holds a value outside its list",
      "/where/placeKind|\"boat\"|'where.placeKind' holds a value outside its list",
      "/victims/minors|\"maybe\"|'victims.minors' holds a value outside its list",
      "/victims/minors|true|'victims.minors' holds a value outside its list",
      "/victims/count|10000|'victims.count' is not a count from 0 to 9999",
      "/victims/count|-1|'victims.count' is not a count from 0 to 9999",
      "/victims/count|\"3\"|'victims.count' is not a count from 0 to 9999",
      "/victims/count|2.5|'victims.count' is not a count from 0 to 9999",
      "/victims/minorsCount|4|'victims.minorsCount' is larger than 'victims.count'",
      "/when/date|\"2026-02-30\"|'when.date' is not a date yyyy-mm-dd",
      "/when/date|\"07/12/2026\"|'when.date' is not a date yyyy-mm-dd",
      "/when/date|\"1989-12-31\"|'when.date' is before 1990-01-01 or after the day the report arrived",
      "/when/date|\"2026-12-09\"|'when.date' is before 1990-01-01 or after the day the report arrived",
      "/version|2|it is not of version 1",
      "/version|\"1\"|it is not of version 1",
      "/language|\"es; DROP\"|'language' is not a language code",
      "/what|\"kidnapping\"|'what' is not a list",
      "/what|[\"kidnapping\",\"kidnapping\"]|'what' holds a value twice",
      "/who|[\"inm\",\"aliens\"]|'who' holds a value outside its list",
      "/who|[1]|'who' holds a value outside its list",
      "/wants|[\"money\"]|'wants' holds a value outside its list",
      "/narrative|{}|'narrative' is not text",
      "/where|[]|'where' is not a JSON object",
      "/extra|1|the questionnaire has a key questionnaire v1 does not define",
      "/where/city|\"x\"|'where' has a key questionnaire v1 does not define",
      "/identifying/name|\"x\"|'identifying' has a key questionnaire v1 does not define"})
  void aValueOutsideTheRulesIsNamedByItsFieldNeverItsValue(String pointer, String value, String problem)
      throws Exception {
    ObjectNode d = (ObjectNode) JSON.readTree(FULL);
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? d : d.at(pointer.substring(0, slash));
    ((ObjectNode) parent).set(pointer.substring(slash + 1), JSON.readTree(value));
    assertThat(QuestionnaireCheck.questionnaire(d, LATEST)).contains(problem);
  }

  @Test
  void textsOverTheirCapsAndEmptyReportsAreRefused() throws Exception {
    ObjectNode d = (ObjectNode) JSON.readTree(FULL);
    d.put("whatOther", "ñ".repeat(201));
    assertThat(QuestionnaireCheck.questionnaire(d, LATEST)).contains("'whatOther' is longer than 200 characters");
    d = (ObjectNode) JSON.readTree(FULL);
    d.put("narrative", "\ud83d\ude00".repeat(20_000));
    assertThat(QuestionnaireCheck.questionnaire(d, LATEST)).isEmpty();
    d.put("narrative", "a".repeat(20_001));
    assertThat(QuestionnaireCheck.questionnaire(d, LATEST)).contains("'narrative' is longer than 20000 characters");
    assertThat(check("{\"version\":1,\"what\":[],\"narrative\":\"  \\n \"}"))
        .contains("it says neither what happened nor anything in 'narrative'");
    assertThat(check("[1]")).contains("the questionnaire is not a JSON object");
  }

  @Test
  void followUps() throws Exception {
    assertThat(QuestionnaireCheck.followUp(JSON.readTree("{\"version\":1,\"language\":\"es\",\"message\":\"hola\"}")))
        .isEmpty();
    assertThat(QuestionnaireCheck.followUp(JSON.readTree("{\"version\":1,\"message\":\"hola\",\"what\":[]}")))
        .contains("the message has a key questionnaire v1 does not define");
    assertThat(QuestionnaireCheck.followUp(JSON.readTree("{\"version\":1,\"message\":7}")))
        .contains("'message' is not text");
  }

  @Test
  void randomMutationsNeverThrowAndNeverEchoTheValue() throws Exception {
    Random r = new Random(7);
    String marker = "MARKER";
    for (int i = 0; i < 5_000; i++) {
      ObjectNode d = (ObjectNode) JSON.readTree(FULL);
      String[] paths = {"/where/state", "/victims/count", "/what", "/when/date", "/language", "/narrative",
          "/victims", "/identifying/badge", "/wants"};
      String p = paths[r.nextInt(paths.length)];
      JsonNode v = switch (r.nextInt(5)) {
        case 0 -> JSON.getNodeFactory().textNode(marker + r.nextInt());
        case 1 -> JSON.getNodeFactory().numberNode(r.nextLong());
        case 2 -> JSON.createArrayNode().add(marker);
        case 3 -> JSON.createObjectNode().put(marker, 1);
        default -> JSON.getNodeFactory().nullNode();
      };
      int slash = p.lastIndexOf('/');
      JsonNode parent = slash == 0 ? d : d.at(p.substring(0, slash));
      ((ObjectNode) parent).set(p.substring(slash + 1), v);
      Optional<String> problem = QuestionnaireCheck.questionnaire(d, LATEST);
      assertThat(problem.orElse("")).doesNotContain(marker);
    }
  }
}

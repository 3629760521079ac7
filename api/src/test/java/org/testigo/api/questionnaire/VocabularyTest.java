package org.testigo.api.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The questionnaire v1 vocabulary against every copy it replaces, each copied here as it stands
 * today: the server's {@code core.report.Choices}, the shelter's {@code cli.shelter.Choices}
 * (identical), the statistics enums {@code cli.stats.Category}, {@code Agency} and
 * {@code MxState}, and {@code cli.triage.CaseAction.STATES}; and the translation keys against the
 * server's message bundle. When the copies are deleted this test keeps the lists pinned.
 */
class VocabularyTest {
  // intake-server core/report/Choices.WHAT and reviewer-cli shelter/Choices.WHAT
  private static final List<String> CHOICES_WHAT = List.of("kidnapping", "extortion", "robbery", "assault",
      "sexual-violence", "trafficking", "detention-deportation-abuse", "excessive-force",
      "asylum-information-denied", "other");
  // Choices.WHO
  private static final List<String> CHOICES_WHO = List.of("inm", "guardia-nacional", "army-sedena",
      "navy-semar", "police-federal", "police-state", "police-municipal", "private-security",
      "criminal-group", "unknown", "other");
  // Choices.PLACE_KIND
  private static final List<String> CHOICES_PLACE_KIND = List.of("train", "road-checkpoint", "bus-station",
      "migration-station", "border-crossing", "shelter", "street", "other");
  // Choices.STATES
  private static final List<String> CHOICES_STATES = List.of("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX",
      "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX",
      "PUE", "QUE", "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC");
  // Choices.MINORS
  private static final List<String> CHOICES_MINORS = List.of("yes", "no", "unknown");
  // Choices.WANTS
  private static final List<String> CHOICES_WANTS = List.of("reply", "investigator", "asylum-information",
      "humanitarian-visa-information");

  // reviewer-cli stats/Category constants, coded as Code.code(): lower case, '_' -> '-'
  private static final List<String> STATS_CATEGORY = codes("KIDNAPPING", "EXTORTION", "ROBBERY", "ASSAULT",
      "SEXUAL_VIOLENCE", "TRAFFICKING", "DETENTION_DEPORTATION_ABUSE", "EXCESSIVE_FORCE",
      "ASYLUM_INFORMATION_DENIED", "OTHER");
  // stats/Agency
  private static final List<String> STATS_AGENCY = codes("INM", "GUARDIA_NACIONAL", "ARMY_SEDENA", "NAVY_SEMAR",
      "POLICE_FEDERAL", "POLICE_STATE", "POLICE_MUNICIPAL", "PRIVATE_SECURITY", "CRIMINAL_GROUP", "UNKNOWN",
      "OTHER");
  // stats/MxState without its UNKNOWN ("not said", which is no wire code), codes are the names
  private static final List<String> STATS_MX_STATE = List.of("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX",
      "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX", "PUE", "QUE",
      "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC");
  // triage/CaseAction.STATES (a set)
  private static final Set<String> CASE_ACTION_STATES = Set.of("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX",
      "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX", "PUE", "QUE",
      "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC");

  private static List<String> codes(String... names) {
    return Arrays.stream(names).map(n -> n.toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList();
  }

  private static <E extends Enum<E> & Vocabulary> List<String> codesOf(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Vocabulary::code).toList();
  }

  @Test
  void codesAreExactlyTheServersChoicesInTheSameOrder() {
    assertThat(codesOf(AbuseCategory.class)).isEqualTo(CHOICES_WHAT);
    assertThat(codesOf(Perpetrator.class)).isEqualTo(CHOICES_WHO);
    assertThat(codesOf(PlaceKind.class)).isEqualTo(CHOICES_PLACE_KIND);
    assertThat(codesOf(MxState.class)).isEqualTo(CHOICES_STATES);
    assertThat(codesOf(Minors.class)).isEqualTo(CHOICES_MINORS);
    assertThat(codesOf(Want.class)).isEqualTo(CHOICES_WANTS);
    assertThat(Vocabulary.codes(AbuseCategory.class)).isEqualTo(CHOICES_WHAT);
    assertThat(Vocabulary.codes(MxState.class)).isEqualTo(CHOICES_STATES);
  }

  @Test
  void codesAreExactlyTheReviewerToolsCopies() {
    assertThat(codesOf(AbuseCategory.class)).isEqualTo(STATS_CATEGORY);
    assertThat(codesOf(Perpetrator.class)).isEqualTo(STATS_AGENCY);
    assertThat(codesOf(MxState.class)).isEqualTo(STATS_MX_STATE);
    assertThat(Set.copyOf(codesOf(MxState.class))).isEqualTo(CASE_ACTION_STATES);
  }

  @Test
  void constantNamesFollowTheCodes() {
    for (Class<? extends Enum<?>> type : List.of(AbuseCategory.class, Perpetrator.class, PlaceKind.class,
        MxState.class, Minors.class, Want.class)) {
      for (Enum<?> e : type.getEnumConstants()) {
        assertThat(((Vocabulary) e).code().toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
            .isEqualTo(e.name());
      }
    }
  }

  @Test
  void messageKeysAreTheServerBundlesKeys() {
    // as Pages renders the form: "what." + code, "who.", "state.", "place.", "minors.", "wants."
    assertThat(AbuseCategory.SEXUAL_VIOLENCE.messageKey()).isEqualTo("what.sexual-violence");
    assertThat(Perpetrator.GUARDIA_NACIONAL.messageKey()).isEqualTo("who.guardia-nacional");
    assertThat(MxState.CHP.messageKey()).isEqualTo("state.CHP");
    assertThat(MxState.NONE_KEY).isEqualTo("state.none");
    assertThat(PlaceKind.ROAD_CHECKPOINT.messageKey()).isEqualTo("place.road-checkpoint");
    assertThat(PlaceKind.NONE_KEY).isEqualTo("place.none");
    assertThat(Minors.UNKNOWN.messageKey()).isEqualTo("minors.unknown");
    assertThat(Want.HUMANITARIAN_VISA_INFORMATION.messageKey()).isEqualTo("wants.humanitarian-visa-information");
  }

  /**
   * Every key resolves in every language of the server's bundle (read from the source tree beside
   * this module), as ResourceBundle resolves it: the language's file, then the base file (the
   * state names are only in the base file).
   */
  @Test
  void everyMessageKeyResolvesInEveryServerBundle() throws Exception {
    Path dir = Path.of("..", "intake-server", "src", "main", "resources", "i18n");
    Properties base = load(dir.resolve("messages.properties"));
    List<Path> bundles;
    try (Stream<Path> files = Files.list(dir)) {
      bundles = files.filter(f -> f.getFileName().toString().matches("messages(_[a-z]{2})?\\.properties")).toList();
    }
    assertThat(bundles).hasSize(5);
    for (Path bundle : bundles) {
      Properties p = load(bundle);
      List<String> missing = new java.util.ArrayList<>();
      for (Class<? extends Enum<?>> type : List.of(AbuseCategory.class, Perpetrator.class, PlaceKind.class,
          MxState.class, Minors.class, Want.class)) {
        for (Enum<?> e : type.getEnumConstants()) {
          String key = ((Vocabulary) e).messageKey();
          if (!p.containsKey(key) && !base.containsKey(key)) {
            missing.add(key);
          }
        }
      }
      assertThat(missing).as("keys missing from %s", bundle.getFileName()).isEmpty();
      assertThat(p.containsKey(MxState.NONE_KEY) && p.containsKey(PlaceKind.NONE_KEY)).isTrue();
    }
  }

  private static Properties load(Path file) throws java.io.IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  @Test
  void fromCodeAndParse() {
    assertThat(AbuseCategory.fromCode("extortion")).contains(AbuseCategory.EXTORTION);
    assertThat(AbuseCategory.fromCode("EXTORTION")).isEmpty();
    assertThat(MxState.fromCode("chp")).isEmpty();
    assertThat(MxState.parse("CMX")).isEqualTo(MxState.CMX);
    assertThat(Want.fromCode(null)).isEmpty();
    assertThatThrownBy(() -> Perpetrator.parse("<script>")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Perpetrator code");
    for (Class<? extends Enum<?>> type : List.of(AbuseCategory.class, Perpetrator.class, PlaceKind.class,
        MxState.class, Minors.class, Want.class)) {
      for (Enum<?> e : type.getEnumConstants()) {
        Vocabulary v = (Vocabulary) e;
        assertThat(find(type, v.code())).isSameAs(e);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object find(Class type, String code) {
    return Vocabulary.require(type, code);
  }
}

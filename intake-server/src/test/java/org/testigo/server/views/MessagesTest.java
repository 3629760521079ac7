package org.testigo.server.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashSet;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Minors;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.PlaceKind;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;
import org.testigo.server.domain.Language;

class MessagesTest {
  @Test
  void everyLanguageHasEveryKeyAndEveryChoiceHasALabel() {
    ResourceBundle base = ResourceBundle.getBundle("i18n.messages", java.util.Locale.ROOT,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    Set<String> keys = new HashSet<>(Collections.list(base.getKeys()));
    for (Language l : Language.values()) {
      Messages m = Messages.of(l);
      for (String k : keys) {
        assertThat(m.get(k)).as(l + " " + k).isNotBlank();
      }
      Vocabulary.codes(AbuseCategory.class).forEach(v -> m.get("what." + v));
      Vocabulary.codes(Perpetrator.class).forEach(v -> m.get("who." + v));
      Vocabulary.codes(PlaceKind.class).forEach(v -> m.get("place." + v));
      Vocabulary.codes(MxState.class).forEach(v -> m.get("state." + v));
      Vocabulary.codes(Want.class).forEach(v -> m.get("wants." + v));
      Vocabulary.codes(Minors.class).forEach(v -> m.get("minors." + v));
    }
    assertThat(Vocabulary.codes(MxState.class)).hasSize(32).doesNotHaveDuplicates();
    assertThat(Messages.of(Language.HT).get("form.send")).isNotEqualTo(Messages.of(Language.FR).get("form.send"));
  }

  @Test
  void choose_prefersLinkThenAcceptLanguageThenSpanish() {
    assertThat(Language.choose("pt", "en")).isEqualTo(Language.PT);
    assertThat(Language.choose(null, "ht-HT, fr;q=0.8")).isEqualTo(Language.HT);
    assertThat(Language.choose("xx", "de, en;q=0.5")).isEqualTo(Language.EN);
    assertThat(Language.choose(null, ";;;garbage")).isEqualTo(Language.ES);
    assertThat(Language.choose(null, null)).isEqualTo(Language.ES);
    assertThat(Language.choose(null, "en-US,en;q=0.5")).as("Tor Browser's default").isEqualTo(Language.ES);
    assertThat(Language.choose(null, "en-US, en")).isEqualTo(Language.ES);
    assertThat(Language.choose("en", "en-US,en;q=0.5")).isEqualTo(Language.EN);
    assertThat(Language.choose(null, "en-GB,en;q=0.9")).isEqualTo(Language.EN);
  }

  @Test
  void html_escapesEverythingItIsGiven() {
    assertThat(Html.escape("<a href='x'>\"&")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;");
  }
}

package org.testigo.server.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testigo.server.domain.Language;
import org.testigo.server.log.FilingProofs;

/** The source pages' markup for issue 23: one fingerprint form, audio, voice, accessibility. */
class PagesTest {
  static final BrowserSealing SEALING = new BrowserSealing("00".repeat(32), 1024, 1, 1, 1_000_000, 4);
  static final List<String> CLIPS = List.of("what", "who", "where", "when", "victims", "narrative", "voice", "wants", "files");

  /** The report form as the server renders it first: with a receipt to confirm, no errors. */
  static String form(Messages m, BrowserSealing sealing) {
    return Pages.reportForm(m, sealing, new org.testigo.server.domain.report.FormReceipt(
        "uno dos tres cuatro cinco seis siete ocho", 2, 5), null);
  }

  @Test
  void home_showsTheShortFormAsTheFingerprintAndTheHexOnlyInDetails() {
    String page = Pages.home(Messages.of(Language.ES), "04213 99120 55871 00342 71234", "ab".repeat(32));
    assertThat(page).contains("<strong class=\"fingerprint\">04213 99120 55871 00342 71234</strong>")
        .contains("<details class=\"small\"><summary>Huella completa");
    assertThat(page.indexOf("ab".repeat(32))).isGreaterThan(page.indexOf("<details"));
  }

  @Test
  void reportForm_showsTheSameShortFormWithoutJavaScript() {
    String hex = "ab".repeat(32);
    String page = form(Messages.of(Language.FR),
        new BrowserSealing(hex, 1024, 1, 1, 1_000_000, 4));
    assertThat(page).contains("<strong class=\"fingerprint\">"
        + org.testigo.crypto.Fingerprint.fromHex(hex).shortForm() + "</strong>");
  }

  @Test
  void reportForm_offersEveryQuestionGroupAsAudioThatLoadsNothingUntilPlayed() {
    for (Language l : Language.values()) {
      String page = form(Messages.of(l), SEALING);
      for (String clip : CLIPS) {
        assertThat(page).as(l + " " + clip).contains("<audio controls preload=\"none\" src=\"/assets/audio/"
            + l.code() + "/" + clip + ".ogg\"");
        assertThat(AudioCatalog.fromClassPath().clip(l.code(), clip)).as(l + " " + clip).isPresent();
      }
      Matcher m = Pattern.compile("<audio ").matcher(page);
      int n = 0;
      while (m.find()) {
        n++;
      }
      assertThat(n).isEqualTo(CLIPS.size());
      assertThat(page).doesNotContain("preload=\"auto\"").doesNotContain("autoplay");
    }
  }

  @Test
  void reportForm_letsAPhoneRecordAVoiceWithoutJavaScript() {
    String page = form(Messages.of(Language.HT), SEALING);
    assertThat(page).contains("<input id=\"voice\" type=\"file\" name=\"files\" accept=\"audio/*\" capture>")
        .contains("<label for=\"voice\">Anrejistre oswa chwazi yon odyo</label>");
  }

  @Test
  void reportForm_asksAboutMinorsInAFieldsetWithALegend() {
    String page = form(Messages.of(Language.ES), SEALING);
    assertThat(page).contains("<fieldset class=\"inner\"><legend>¿Había niñas, niños o adolescentes?</legend>"
        + "<label class=\"choice\"><input type=\"radio\" name=\"minors\"");
    assertThat(page).doesNotContain("<p class=\"sub\">¿Había");
  }

  @Test
  void statusResult_proofOfFilingIsAKeyboardScrollableLabelledRegion() {
    String page = Pages.statusResult(Messages.of(Language.EN), "visit", List.of(), List.of(),
        List.of(new FilingProofs.Filing(3, 4, "-----BEGIN TESTIGO PROOF-----\nAAAA\n")));
    assertThat(page).contains("<pre class=\"proof\" tabindex=\"0\" role=\"region\" aria-label=\"Proof of filing (text).");
    assertThat(page).doesNotContain("next full hour");
  }

  @Test
  void reportForm_readsAsAPhoneUserMeetsIt() {
    for (Language l : Language.values()) {
      Messages m = Messages.of(l);
      String page = form(m, SEALING);
      // no emoji that a phone without an emoji font shows as a box: the loudspeaker is drawn
      assertThat(page).as(l.code()).doesNotContain("\ud83d\udd0a").contains("<details class=\"listen\"><summary lang=\"");
      // the fingerprint comes after the receipt and its confirmation, next to the send button
      int fingerprint = page.indexOf("id=\"stated-fingerprint\"");
      assertThat(fingerprint).as(l.code()).isGreaterThan(page.indexOf("id=\"confirm\"")).isGreaterThan(
          page.indexOf("receipt-first-title")).isLessThan(page.indexOf("<button type=\"submit\">"));
      // the count is not asked twice in the same words
      assertThat(m.get("q.victims_count")).as(l.code()).isNotEqualTo(m.get("q.victims"));
      assertThat(page).contains("<label for=\"victims\">" + Html.escape(m.get("q.victims_count")) + "</label>");
      // the unchosen files are not warned about on a first render
      assertThat(page).doesNotContain(Html.escape(m.get("error.files_again")));
    }
  }

  @Test
  void statusResult_proofTextNamesNoCommandExceptForExperts() {
    for (Language l : Language.values()) {
      Messages m = Messages.of(l);
      assertThat(m.get("proof.check")).as(l.code()).doesNotContain("testigo-reviewer");
      String page = Pages.statusResult(m, "visit", List.of(), List.of(),
          List.of(new FilingProofs.Filing(3, 4, "-----BEGIN TESTIGO PROOF-----\nAAAA\n")));
      int expert = page.indexOf("<details class=\"small\"><summary>" + Html.escape(m.get("proof.expert")));
      assertThat(expert).as(l.code()).isPositive();
      assertThat(page.indexOf("testigo-reviewer proof verify")).as(l.code()).isGreaterThan(expert);
      assertThat(page.indexOf("testigo-reviewer")).as(l.code()).isGreaterThan(expert);
    }
  }

  @Test
  void statusResult_aReplyCannotReorderOrHideTextAndLongWordsWrap() {
    String hostile = "a\u001b[31mred\u202eevil\u2066x\u2069 <script>alert(1)</script>\u0085 line\nnext\tcol";
    String page = Pages.statusResult(Messages.of(Language.ES), "visit", List.of(),
        List.of(new org.testigo.server.domain.OpenedReply("2026-12-07", hostile, List.of("f\u202egpj.exe"))), List.of());
    assertThat(page).doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u2066")
        .doesNotContain("\u2069").doesNotContain("\u0085").doesNotContain("<script>")
        .contains("a[31mredevilx &lt;script&gt;alert(1)&lt;/script&gt; line\nnext\tcol").contains("fgpj.exe");
    assertThat(Html.escape("\u0000\u0007\u007f\u200f\u061c ok")).isEqualTo(" ok");
  }

  @Test
  void audioCatalog_refusesNamesOutsideTheCatalogue() {
    AudioCatalog c = AudioCatalog.fromClassPath();
    assertThat(c.languages()).containsExactly("es", "en", "fr", "ht", "pt");
    assertThat(c.clip("es", "../i18n/messages")).isEmpty();
    assertThat(c.clip("..", "what")).isEmpty();
    assertThat(c.tracks(Language.ES, "what")).extracting(AudioCatalog.Track::code).containsExactly("es");
  }
}

package org.testigo.server.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testigo.api.progress.SourceProgress;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.PublishedProgress;
import org.testigo.server.domain.RetentionInForce;
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

  static final org.testigo.server.domain.FiledEnvelope REPORT = new org.testigo.server.domain.FiledEnvelope(
      org.testigo.api.EnvelopeId.parse("0123456789abcdef0123456789abcdef"), false, java.time.LocalDate.of(2026, 12, 5));

  /**
   * Each proof says what it proves and from which day (user pass: a receipt used for two
   * reports showed two proofs with nothing to tell them apart), in every language.
   */
  @Test
  void statusResult_eachProofSaysWhichReportOrMessageAndItsDay() {
    org.testigo.server.domain.FiledEnvelope second = new org.testigo.server.domain.FiledEnvelope(
        org.testigo.api.EnvelopeId.parse("1123456789abcdef0123456789abcdef"), false, java.time.LocalDate.of(2026, 12, 6));
    org.testigo.server.domain.FiledEnvelope followUp = new org.testigo.server.domain.FiledEnvelope(
        org.testigo.api.EnvelopeId.parse("2123456789abcdef0123456789abcdef"), true, java.time.LocalDate.of(2026, 12, 7));
    String es = Pages.statusResult(Messages.of(Language.ES), "visit", List.of(), List.of(),
        List.of(new FilingProofs.Filing(3, 9, "-----BEGIN TESTIGO PROOF-----\nAAAA\n", REPORT),
            new FilingProofs.Filing(5, 0, null, second), new FilingProofs.Filing(7, 9, "PROOF", followUp)), null);
    assertThat(es).contains("<h3>Denuncia enviada el 5 de diciembre de 2026</h3>")
        .contains("<h3>Denuncia enviada el 6 de diciembre de 2026</h3>")
        .contains("<h3>Información agregada el 7 de diciembre de 2026</h3>");
    assertThat(es.indexOf("5 de diciembre")).isLessThan(es.indexOf("6 de diciembre"));
    for (Language l : Language.values()) {
      Messages m = Messages.of(l);
      String page = Pages.statusResult(m, "visit", List.of(), List.of(),
          List.of(new FilingProofs.Filing(3, 4, "PROOF", REPORT), new FilingProofs.Filing(7, 9, "PROOF", followUp)),
          null);
      assertThat(page).as(l.code()).contains("<h3>" + Html.escape(m.format("proof.of_report",
          Pages.longDate(m, REPORT.receivedDay()))) + "</h3>").contains(Html.escape(m.get("month.12")))
          .contains(Html.escape(m.format("proof.of_follow_up", Pages.longDate(m, followUp.receivedDay()))));
      assertThat(m.get("proof.of_report")).as(l.code()).isNotEqualTo(m.get("proof.of_follow_up"));
    }
  }

  @Test
  void statusResult_proofOfFilingIsAKeyboardScrollableLabelledRegion() {
    String page = Pages.statusResult(Messages.of(Language.EN), "visit", List.of(), List.of(),
        List.of(new FilingProofs.Filing(3, 4, "-----BEGIN TESTIGO PROOF-----\nAAAA\n", REPORT)), null);
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
      // changing the language gives a new code: said beside the code, before any answer
      assertThat(page.indexOf(Html.escape(m.get("rf.language")))).as(l.code())
          .isGreaterThan(page.indexOf("testigo-receipt-words")).isLessThan(page.indexOf("name=\"what\""));
    }
  }

  @Test
  void statusResult_proofTextNamesNoCommandExceptForExperts() {
    for (Language l : Language.values()) {
      Messages m = Messages.of(l);
      assertThat(m.get("proof.check")).as(l.code()).doesNotContain("testigo-reviewer");
      String page = Pages.statusResult(m, "visit", List.of(), List.of(),
          List.of(new FilingProofs.Filing(3, 4, "-----BEGIN TESTIGO PROOF-----\nAAAA\n", REPORT)), null);
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
        List.of(new org.testigo.server.domain.OpenedReply("2026-12-07", hostile, List.of("f\u202egpj.exe"))), List.of(), null);
    assertThat(page).doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u2066")
        .doesNotContain("\u2069").doesNotContain("\u0085").doesNotContain("<script>")
        .contains("a[31mredevilx &lt;script&gt;alert(1)&lt;/script&gt; line\nnext\tcol").contains("fgpj.exe")
        // dated as the proofs are, in the page's language (user pass: 2026-12-07 beside "7 desanm 2026")
        .contains("<p class=\"small\">7 de diciembre de 2026</p>").doesNotContain(">2026-12-07<");
    assertThat(Html.escape("\u0000\u0007\u007f\u200f\u061c ok")).isEqualTo(" ok");
  }

  static final RetentionInForce.Terms POLICY = new RetentionInForce.Terms(365, 1825);

  static String status(Language l, List<PublishedProgress> progress, RetentionInForce.Terms terms) {
    return Pages.statusResult(Messages.of(l), "0123456789abcdef0123456789abcdef", progress, List.of(), List.of(),
        terms);
  }

  static PublishedProgress line(String day, SourceProgress p) {
    return new PublishedProgress(day, p);
  }

  @Test
  void statusResult_underAPolicy_saysWhenTheReportIsErasedAndOffersTheRequest_es_ht() {
    String es = status(Language.ES, List.of(), POLICY);
    assertThat(es).contains("<h2 id=\"retention-title\">¿Cuándo se borra su denuncia?</h2>")
        .contains("<p>Cuando su caso se cierre, borraremos su denuncia más o menos 12 meses después.</p>")
        .contains("<p>Si la enviamos a una fiscalía o a una comisión, la guardamos más tiempo: más o menos 5 años.</p>")
        .contains("<form method=\"post\" accept-charset=\"UTF-8\" action=\"/visit/erasure?lang=es\">"
            + "<input type=\"hidden\" name=\"visit\" value=\"0123456789abcdef0123456789abcdef\">"
            + "<button type=\"submit\" class=\"secondary\">Pedir que la borren antes</button></form>");
    String ht = status(Language.HT, List.of(), POLICY);
    assertThat(ht).contains("Kilè yo efase denonsyasyon ou?")
        .contains("<p>Lè yo fèmen ka ou a, n ap efase denonsyasyon ou apeprè 12 mwa apre.</p>")
        .contains("apeprè 5 an.</p>").contains("action=\"/visit/erasure?lang=ht\"")
        .contains(">Mande pou yo efase l pi bonè</button>");
    // the block comes after the follow-up form and before "leave"
    assertThat(es.indexOf("retention-title")).isGreaterThan(es.indexOf("/visit/follow-up"))
        .isLessThan(es.indexOf("/visit/leave"));
  }

  @Test
  void statusResult_withoutAPolicy_saysNothingAboutErasureAndOffersNoRequest_es_ht() {
    for (Language l : List.of(Language.ES, Language.HT)) {
      Messages m = Messages.of(l);
      String page = status(l, List.of(line("2026-12-07", SourceProgress.closed(2, SourceProgress.Outcome.WITHDRAWN))),
          null);
      assertThat(page).as(l.code()).doesNotContain("retention").doesNotContain("/visit/erasure")
          .doesNotContain(Html.escape(m.get("retention.title"))).doesNotContain(Html.escape(m.get("erasure.ask")))
          .contains("/visit/follow-up").contains("/visit/leave");
    }
  }

  @Test
  void statusResult_whenTheLineInForceSaysClosed_namesTheDay_es_ht() {
    List<PublishedProgress> closed = List.of(line("2026-12-07", SourceProgress.closed(2, SourceProgress.Outcome.SUBSTANTIATED)),
        line("2026-10-01", SourceProgress.received(1)));
    assertThat(status(Language.ES, closed, POLICY))
        .contains("<p>Su caso fue cerrado. Su denuncia se borrará cerca del 7 de diciembre de 2027.</p>")
        .doesNotContain("Cuando su caso se cierre");
    assertThat(status(Language.HT, closed, POLICY))
        .contains("<p>Yo fèmen ka ou a. N ap efase denonsyasyon ou toupre 7 desanm 2027.</p>");
    // referred before: an open referral keeps it longer, so a range (2026-12-07 + 1825 days = 2031-12-06)
    List<PublishedProgress> referred = List.of(line("2026-12-07", SourceProgress.closed(3, SourceProgress.Outcome.SUBSTANTIATED)),
        line("2026-11-02", SourceProgress.referred(2, "CNDH", null)), line("2026-10-01", SourceProgress.received(1)));
    assertThat(status(Language.ES, referred, POLICY))
        .contains("Su denuncia se borrará entre el 7 de diciembre de 2027 y el 6 de diciembre de 2031");
    assertThat(status(Language.ES, List.of(line("2026-12-07", SourceProgress.closed(1, SourceProgress.Outcome.REFERRED))),
        POLICY)).contains("entre el 7 de diciembre de 2027 y el 6 de diciembre de 2031");
    // same periods: one day whatever the referral
    assertThat(status(Language.ES, referred, new RetentionInForce.Terms(30, 30)))
        .contains("cerca del 6 de enero de 2027.</p>");
    // a later line that is not "closed" (the case was reopened): the durations again
    List<PublishedProgress> reopened = List.of(line("2027-01-05", SourceProgress.investigating(3)),
        line("2026-12-07", SourceProgress.closed(2, SourceProgress.Outcome.SUBSTANTIATED)));
    assertThat(status(Language.ES, reopened, POLICY)).contains("Cuando su caso se cierre").doesNotContain("cerca del");
  }

  @Test
  void duration_usesTheUnitAReaderGrasps() {
    Messages es = Messages.of(Language.ES);
    assertThat(Pages.duration(es, 1)).isEqualTo("1 día");
    assertThat(Pages.duration(es, 30)).isEqualTo("30 días");
    assertThat(Pages.duration(es, 59)).isEqualTo("59 días");
    assertThat(Pages.duration(es, 60)).isEqualTo("2 meses");
    assertThat(Pages.duration(es, 365)).isEqualTo("12 meses");
    assertThat(Pages.duration(es, 730)).isEqualTo("2 años");
    assertThat(Pages.duration(es, 3650)).isEqualTo("10 años");
    assertThat(Pages.duration(Messages.of(Language.EN), 31)).isEqualTo("31 days");
    assertThat(Pages.duration(Messages.of(Language.PT), 45)).isEqualTo("45 dias");
    assertThat(Pages.duration(Messages.of(Language.FR), 365)).isEqualTo("12 mois");
    for (Language l : Language.values()) {
      for (int month = 1; month <= 12; month++) {
        assertThat(Pages.longDate(Messages.of(l), java.time.LocalDate.of(2031, month, 6))).as(l + " " + month)
            .contains("2031").contains("6").doesNotContain("2.031").doesNotContain("{");
      }
    }
    assertThat(Pages.longDate(Messages.of(Language.EN), java.time.LocalDate.of(2027, 12, 7))).isEqualTo("December 7, 2027");
  }

  @Test
  void erasureConfirm_saysTheTeamDecidesAndItIsNeverAutomatic_es_ht() {
    String es = Pages.erasureConfirm(Messages.of(Language.ES), "0123456789abcdef0123456789abcdef");
    assertThat(es).contains("<h1>¿Pedir que borren su denuncia?</h1>")
        .contains("<p class=\"warning\">El equipo decide. Nunca se borra sola ni enseguida.</p>")
        .contains("no puede borrar las pruebas")
        .contains("action=\"/visit/erasure/confirm?lang=es\"><input type=\"hidden\" name=\"visit\" value=\""
            + "0123456789abcdef0123456789abcdef\"><button type=\"submit\">Sí, pedir que la borren</button>")
        .contains("action=\"/visit?lang=es\"><input type=\"hidden\" name=\"visit\"")
        .contains(">No, volver</button>");
    String ht = Pages.erasureConfirm(Messages.of(Language.HT), "0123456789abcdef0123456789abcdef");
    assertThat(ht).contains("Se ekip la ki deside. Li pa janm efase poukont li, ni tousuit.")
        .contains("action=\"/visit/erasure/confirm?lang=ht\"").contains(">Wi, mande pou yo efase l</button>");
    assertThat(Pages.erasureRequested(Messages.of(Language.HT), "0123456789abcdef0123456789abcdef"))
        .contains("<h1>Nou voye demann ou an.</h1>").contains("Anyen pa efase poukont li.")
        .contains("action=\"/visit?lang=ht\"").contains("action=\"/visit/leave?lang=ht\"");
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

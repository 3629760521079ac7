package org.testigo.server.resources.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.server.intake.SourceService;
import org.testigo.server.intake.VisitService;
import org.testigo.server.log.FilingProofs;
import org.testigo.server.resources.source.SourcePagesResourceTest.Form;
import org.testigo.server.views.BrowserSealing;

/**
 * Receipt first on the no-JavaScript path (the form carries a server-made receipt and two of
 * its words must be typed back before the report is accepted) and the refused form shown again
 * with the answers, escaped, each error next to its question, in the page's language.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReceiptFirstResourceTest {
  static final ResourceFixture F = new ResourceFixture();
  static final String MARKER = "RFPROBE" + Long.toHexString(ResourceFixture.RANDOM.nextLong());
  static final VisitService VISITS = new VisitService(100, Duration.ofMinutes(30), Duration.ofHours(2),
      Clock.systemUTC(), ResourceFixture.RANDOM);
  static final ResourceExtension RESOURCES = ResourceFixture.withErrorMappers(ResourceExtension.builder())
      .addResource(new SourcePagesResource(F.keys,
          new SourceService(F.keys, F.envelopes, F.mailboxes, F.receipts, F.submissionSlots, VISITS,
              F.dir.resolve("spool"), ResourceFixture.RETRY_AFTER, 64 * 1024, 3, Clock.systemUTC(),
              ResourceFixture.RANDOM),
          new BrowserSealing(F.keys.rootFingerprint().hex(), 256, 1, 1, 2_000_000, 3),
          org.mockito.Mockito.mock(FilingProofs.class), java.util.Optional::empty))
      .build();

  @BeforeEach
  void resetStores() {
    F.resetStores();
  }

  record Shown(String words, int first, int second) {
    String word(int position) {
      return words.split(" ")[position - 1];
    }
  }

  static Shown shown(String page) {
    Matcher w = Pattern.compile("<p class=\"receipt\" id=\"testigo-receipt-words\">((?:<span>[^<]+</span> ?)+)</p>").matcher(page);
    Matcher h = Pattern.compile("<input type=\"hidden\" name=\"receipt\" value=\"([^\"]+)\">").matcher(page);
    Matcher p = Pattern.compile("name=\"confirm_at\" value=\"([1-8]) ([1-8])\"").matcher(page);
    assertThat(w.find()).as(page).isTrue();
    assertThat(h.find()).isTrue();
    assertThat(p.find()).isTrue();
    assertThat(h.group(1)).isEqualTo(w.group(1).replaceAll("</?span>", ""));
    return new Shown(w.group(1).replaceAll("</?span>", ""), Integer.parseInt(p.group(1)), Integer.parseInt(p.group(2)));
  }

  static String get(String lang, String receiptForm) {
    var target = RESOURCES.target("/report").queryParam("lang", lang);
    if (receiptForm != null) {
      target = target.queryParam("receipt", receiptForm);
    }
    Response r = target.request().get();
    assertThat(r.getStatus()).isEqualTo(200);
    return r.readEntity(String.class);
  }

  static Response post(String lang, byte[] body) {
    return RESOURCES.target("/report").queryParam("lang", lang).request()
        .post(Entity.entity(body, SourcePagesResourceTest.MULTIPART));
  }

  static Form answers(String lang, Shown s, String first, String second) {
    return answers(lang, s, s.words(), first, second);
  }

  /** As above, posting {@code receipt} as the receipt field. */
  static Form answers(String lang, Shown s, String receipt, String first, String second) {
    return new Form().field("version", "1").field("lang", lang).field("what", "extortion").field("who", "inm")
        .field("state", "CHP").field("narrative", "Nos pidieron dinero <script>alert(1)</script> " + MARKER)
        .field("receipt", receipt).field("confirm_at", s.first() + " " + s.second())
        .field("confirm_1", first).field("confirm_2", second)
        .file("foto.bin", ("file " + MARKER).getBytes(StandardCharsets.US_ASCII));
  }

  static Set<String> frenchList() throws Exception {
    Set<String> out = new HashSet<>();
    try (InputStream in = Receipt.class.getResourceAsStream("bip39-french.txt")) {
      for (String w : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        out.add(Normalizer.normalize(w.strip(), Normalizer.Form.NFC));
      }
    }
    return out;
  }

  @Test
  void reportForm_inKreyol_showsAKreyolReceiptFirstAndAsksForTwoOfItsWords() throws Exception {
    String page = get("ht", null);
    Shown s = shown(page);
    Receipt.parse(s.words());
    assertThat(s.words().split(" ")).hasSize(8).noneMatch(frenchList()::contains);
    assertThat(s.first()).isLessThan(s.second());
    assertThat(page).contains("Kòd ou, anvan ou ekri denonsyasyon an")
        .contains("ekri mo " + s.first() + " ak mo " + s.second() + " nan kòd ou")
        .contains("name=\"confirm_1\"").contains("name=\"confirm_2\"")
        .contains("href=\"/report?lang=ht&amp;receipt=digits\"");
    assertThat(page.indexOf("testigo-receipt-words")).isLessThan(page.indexOf("name=\"what\""));
    assertThat(page.indexOf("name=\"confirm_1\"")).isGreaterThan(page.indexOf("name=\"narrative\""))
        .as("before the files: the server reads text fields only up to the first file")
        .isLessThan(page.indexOf("type=\"file\""));
  }

  @Test
  void reportForm_withDigits_showsEightGroupsOfFourDigits() throws Exception {
    String page = get("es", "digits");
    Shown s = shown(page);
    assertThat(s.words()).matches("([0-9]{4} ){7}[0-9]{4}");
    Receipt.parse(s.words());
    // the intro speaks of groups of numbers, not of words (user pass)
    assertThat(page).contains("dos de sus grupos de números").doesNotContain("dos de sus palabras");
    assertThat(get("es", null)).contains("dos de sus palabras");
  }

  @Test
  void report_confirmedWithTwoWordsTypedSloppily_isAcceptedUnderTheFormsReceipt() throws Exception {
    Shown s = shown(get("ht", null));
    String first = Normalizer.normalize(s.word(s.first()), Normalizer.Form.NFD).replaceAll("\\p{M}", "").toUpperCase();
    Response r = post("ht", answers("ht", s, " " + first + " ", s.word(s.second())).body());
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(200);
    assertThat(body).contains("<div class=\"code words\"><p class=\"receipt\">" + s.words() + "</p></div>")
        .contains("name=\"visit\"")
        .doesNotContain(MARKER);
    assertThat(F.committed).hasSize(1);
  }

  @Test
  void report_confirmedWithDigits_isAcceptedAndTheReceiptPageShowsTheDigits() throws Exception {
    Shown s = shown(get("en", "digits"));
    Response r = post("en", answers("en", s, s.word(s.first()), s.word(s.second())).body());
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(200);
    // a column of groups, unnumbered (a number beside a group of digits could be copied into it)
    assertThat(body).contains("<div class=\"code digits\"><p class=\"receipt\">" + s.words() + "</p></div>");
  }

  /** A receipt posted with other spacing comes back one space apart: no empty word is drawn (outside attack). */
  @Test
  void report_withAWrongWord_andOddSpacing_showsTheReceiptWithOneSpaceBetweenWords() {
    Shown s = shown(get("es", null));
    String wrong = s.word(s.second()).startsWith("zzz") ? "aaaa" : "zzzz";
    Response r = post("es", answers("es", s, "  " + s.words().replace(" ", "   \t ") + " ", s.word(s.first()), wrong)
        .body());
    String page = r.readEntity(String.class);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(F.committed).isEmpty();
    assertThat(shown(page)).isEqualTo(s);
    assertThat(page).doesNotContain("<span></span>").contains("value=\"" + s.words() + "\"");
  }

  @Test
  void report_withAWrongWord_showsTheFormAgainWithTheSameReceiptTheAnswersEscapedAndCommitsNothing() {
    Shown s = shown(get("es", null));
    String wrong = s.word(s.second()).startsWith("zzz") ? "aaaa" : "zzzz";
    Response r = post("es", answers("es", s, s.word(s.first()), wrong).body());
    String page = r.readEntity(String.class);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(F.committed).isEmpty();
    assertThat(shown(page)).isEqualTo(s);
    assertThat(page).contains("Esas no son las palabras de su código")
        .contains("Nos pidieron dinero &lt;script&gt;alert(1)&lt;/script&gt; " + MARKER + "</textarea>")
        .doesNotContain("<script>alert").doesNotContain("file " + MARKER)
        .contains("value=\"extortion\" checked>").contains("value=\"CHP\" selected>")
        .contains("Los archivos no se guardaron")
        .doesNotContain("Use el botón Atrás");
    assertThat(page).doesNotContain("value=\"" + wrong + "\"");
    assertThat(page.split("<script", -1)).as("only the bundle's script element").hasSize(2);
    // the summary at the top links to the message beside the question (user pass: on a phone
    // the question is many screens below the summary)
    assertThat(page).contains("<li><a href=\"#error-confirm\">Esas no son las palabras de su código")
        .contains("id=\"error-confirm\"");
    // the word that was right is kept; only the wrong box is empty and marked invalid (user pass)
    Matcher first = Pattern.compile("<input id=\"confirm_1\"[^>]*>").matcher(page);
    Matcher second = Pattern.compile("<input id=\"confirm_2\"[^>]*>").matcher(page);
    assertThat(first.find()).isTrue();
    assertThat(second.find()).isTrue();
    assertThat(first.group()).contains("value=\"" + s.word(s.first()) + "\"").doesNotContain("aria-invalid");
    assertThat(second.group()).doesNotContain("value=").contains("aria-invalid=\"true\"");
  }

  /** A code of digits: the error speaks of groups of numbers, not of words (user pass). */
  @Test
  void report_withAWrongDigitGroup_saysGroupsNotWords() {
    Shown s = shown(get("ht", "digits"));
    String wrong = s.word(s.second()).equals("0000") ? "1111" : "0000";
    Response r = post("ht", answers("ht", s, s.word(s.first()), wrong).body());
    String page = r.readEntity(String.class);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(F.committed).isEmpty();
    assertThat(page).contains("Se pa gwoup chif kòd ou yo").doesNotContain("Se pa mo kòd ou yo")
        .contains("<li><a href=\"#error-confirm\">Se pa gwoup chif");
    assertThat(page).contains("<span hidden data-testigo-confirm-error>Se pa gwoup chif");
  }

  @Test
  void report_moreMinorsThanVictims_saysSoNextToTheQuestionInThePageLanguage() {
    Shown s = shown(get("es", null));
    byte[] body = new Form().field("version", "1").field("lang", "es").field("what", "robbery")
        .field("victims", "1").field("minors", "yes").field("minors_count", "3")
        .field("receipt", s.words()).field("confirm_at", s.first() + " " + s.second())
        .field("confirm_1", s.word(s.first())).field("confirm_2", s.word(s.second())).body();
    Response r = post("es", body);
    String page = r.readEntity(String.class);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(page).contains("<label for=\"minors_count\">¿Cuántos menores?</label>"
        + "<p class=\"warning\" role=\"alert\" id=\"error-minors_count\">Revise esta pregunta: ¿Cuántos menores? "
        + "Hay más menores que personas a las que les pasó.</p>"
        + "<input id=\"minors_count\" name=\"minors_count\" type=\"number\" min=\"0\" max=\"9999\""
        + " aria-describedby=\"error-minors_count\" aria-invalid=\"true\">");
    assertThat(page).contains("<input id=\"victims\" name=\"victims\" type=\"number\" min=\"0\" max=\"9999\" value=\"1\">")
        .contains("name=\"minors\" value=\"yes\" checked>").contains("value=\"robbery\" checked>")
        .contains("<html lang=\"es\"").contains("Revise las preguntas marcadas abajo");
    assertThat(F.committed).isEmpty();
  }

  @Test
  void report_invalidValues_areNotEchoedWhenTheFormIsShownAgain() {
    Shown s = shown(get("en", null));
    byte[] body = new Form().field("version", "1").field("lang", "en").field("what", "<b>" + MARKER)
        .field("badge", MARKER.repeat(50)).field("narrative", "ok")
        .field("receipt", s.words()).field("confirm_at", s.first() + " " + s.second())
        .field("confirm_1", s.word(s.first())).field("confirm_2", s.word(s.second())).body();
    Response r = post("en", body);
    String page = r.readEntity(String.class);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(page).doesNotContain(MARKER).contains("id=\"error-badge\"").contains("id=\"error-what\"")
        .contains(">ok</textarea>");
  }

  @Test
  void report_withATamperedReceiptField_isAGenericErrorAndCommitsNothing() {
    Shown s = shown(get("en", null));
    Shown tampered = new Shown(MARKER + " " + s.words(), s.first(), s.second());
    String page = SourcePagesResourceTest.assertGenericError(
        post("en", answers("en", tampered, "a", "b").body()), 400);
    assertThat(page).doesNotContain(s.words()).doesNotContain(MARKER);
    assertThat(F.committed).isEmpty();
  }
}

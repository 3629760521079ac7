package org.testigo.server.views;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testigo.api.ApiPaths;
import org.testigo.api.progress.SourceProgress;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Minors;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.PlaceKind;
import org.testigo.api.questionnaire.QuestionnaireV1;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.OpenedReply;
import org.testigo.server.domain.PublishedProgress;
import org.testigo.server.domain.RetentionInForce;
import org.testigo.server.domain.report.FormFields;
import org.testigo.server.domain.report.FormInvalidException;
import org.testigo.server.domain.report.FormReceipt;
import org.testigo.server.domain.report.Questionnaire;
import org.testigo.server.log.FilingProofs;

/**
 * The source-facing pages. Plain HTML forms that work with JavaScript off (Tor Browser
 * "Safest"), one same-origin stylesheet, no inline script or style, no external resource.
 * The report page also loads one same-origin script with a Subresource Integrity hash, which
 * seals the report in the browser when JavaScript runs (progressive enhancement).
 */
public final class Pages {
  private Pages() {}

  private static Html open(Messages m, String title, String path) {
    Language lang = m.language();
    Html h = new Html();
    h.tag("<!DOCTYPE html><html").attr("lang", lang.code()).tag("><head><meta charset=\"utf-8\">")
        .tag("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .tag("<meta name=\"referrer\" content=\"same-origin\">")
        .el("title", title + " · " + m.get("app.name"))
        .tag("<link rel=\"stylesheet\" href=\"" + ApiPaths.ASSET_STYLE + "\"></head><body><header>")
        .tag("<a class=\"brand\"").attr("href", "/?lang=" + lang.code()).tag(">").text(m.get("app.name"))
        .tag("</a><nav").attr("aria-label", m.get("lang.label")).tag(">");
    for (Language l : Language.values()) {
      if (l == lang) {
        h.tag("<strong").attr("lang", l.code()).tag(">").text(Messages.of(l).get("lang.name")).tag("</strong> ");
      } else {
        h.tag("<a").attr("href", path + "?lang=" + l.code()).attr("hreflang", l.code()).attr("lang", l.code())
            .tag(">").text(Messages.of(l).get("lang.name")).tag("</a> ");
      }
    }
    return h.tag("</nav></header><main>");
  }

  private static String close(Html h) {
    return h.tag("</main></body></html>").toString();
  }

  /**
   * The home page. The organisation's root key fingerprint is shown in its one human form,
   * {@code Fingerprint.shortForm()} (five groups of five digits, as on the posters, the report
   * page and {@code testigo-reviewer}); the full hex is in a details element for experts.
   */
  public static String home(Messages m, String rootShortForm, String rootFingerprintHex) {
    String q = "?lang=" + m.language().code();
    Html h = open(m, m.get("home.title"), "/");
    h.el("h1", m.get("home.title")).el("p", m.get("home.intro")).el("p", m.get("home.private"))
        .el("p", m.get("home.safety"))
        .tag("<p class=\"actions\"><a class=\"button\"").attr("href", ApiPaths.REPORT + q).tag(">")
        .text(m.get("home.report")).tag("</a> <a class=\"button secondary\"").attr("href", ApiPaths.STATUS + q)
        .tag(">").text(m.get("home.status")).tag("</a></p>")
        .tag("<p class=\"small\">").text(m.get("home.fingerprint")).tag("<br><strong class=\"fingerprint\">")
        .text(rootShortForm).tag("</strong></p><details class=\"small\"><summary>")
        .text(m.get("home.fingerprint_full")).tag("</summary><code>").text(rootFingerprintHex)
        .tag("</code></details>");
    return close(h);
  }

  /**
   * The answers and errors of a report form shown again after a refused post (no-JS path), or
   * nothing for a new form. Values are HTML-escaped by {@link Html} wherever they are written;
   * a field whose value failed validation is shown empty (its value is never echoed).
   */
  private record Filled(FormFields answers, Map<String, String> errors) {
    static final Filled NONE = new Filled(null, Map.of());

    static Filled of(Messages m, FormInvalidException e) {
      if (e == null || e.answers() == null) {
        return NONE;
      }
      Map<String, String> errors = new LinkedHashMap<>();
      for (String key : e.messageKeys()) {
        String field = key.startsWith("q.") ? key.substring(2) : key.equals("error.empty") ? "narrative"
            : key.startsWith("error.receipt_confirm") ? "confirm" : "form";
        String text = m.error(key);
        String specific = e.specificMessages().get(field);
        errors.merge(field, specific == null ? text : text + " " + m.get(specific), (a, b) -> a);
      }
      return new Filled(e.answers(), errors);
    }

    String value(String name) {
      if (answers == null || errors.containsKey(name)) {
        return "";
      }
      List<String> v = answers.all(name);
      return v.size() == 1 ? v.get(0) : "";
    }

    boolean has(String name, String v) {
      return answers != null && !errors.containsKey(name) && answers.all(name).contains(v);
    }

    /** The error next to a question, linked to its input by {@code aria-describedby}. */
    void error(Html h, String name) {
      String text = errors.get(name);
      if (text != null) {
        h.tag("<p class=\"warning\" role=\"alert\"").attr("id", "error-" + name).tag(">").text(text).tag("</p>");
      }
    }

    void describedBy(Html h, String name) {
      if (errors.containsKey(name)) {
        h.attr("aria-describedby", "error-" + name).attr("aria-invalid", "true");
      }
    }
  }

  private static <E extends Enum<E> & Vocabulary> void checkboxes(Html h, Messages m, Filled f, String name,
      Class<E> values) {
    f.error(h, name);
    for (E e : values.getEnumConstants()) {
      String v = e.code();
      h.tag("<label class=\"choice\"><input type=\"checkbox\"").attr("name", name).attr("value", v)
          .tag(f.has(name, v) ? " checked> " : "> ").text(m.get(e.messageKey())).tag("</label>");
    }
  }

  private static void input(Html h, Messages m, Filled f, String name, String type, int max) {
    h.tag("<label").attr("for", name).tag(">").text(m.get("q." + name)).tag("</label>");
    f.error(h, name);
    h.tag("<input").attr("id", name).attr("name", name).attr("type", type);
    if (max > 0) {
      h.attr("maxlength", Integer.toString(max));
    }
    if (!f.value(name).isEmpty()) {
      h.attr("value", f.value(name));
    }
    f.describedBy(h, name);
    h.tag(">");
  }

  private static <E extends Enum<E> & Vocabulary> void select(Html h, Messages m, Filled f, String name,
      String noneKey, Class<E> values) {
    h.tag("<label").attr("for", name).tag(">").text(m.get("q." + name)).tag("</label>");
    f.error(h, name);
    h.tag("<select").attr("id", name).attr("name", name);
    f.describedBy(h, name);
    h.tag("><option value=\"\">").text(m.get(noneKey)).tag("</option>");
    for (E e : values.getEnumConstants()) {
      String v = e.code();
      h.tag("<option").attr("value", v).tag(f.has(name, v) ? " selected>" : ">").text(m.get(e.messageKey()))
          .tag("</option>");
    }
    h.tag("</select>");
  }

  /**
   * The receipt, before anything is sent: its words (or digit groups), a link to the other form,
   * and hidden fields that post it back with the report. With JavaScript the page script replaces
   * it with a receipt made in the browser (these words then never leave the page).
   */
  private static void receiptFirst(Html h, Messages m, FormReceipt r) {
    String lang = m.language().code();
    h.tag("<section class=\"receipt-first\" id=\"testigo-receipt\"").attr("data-digits", Boolean.toString(r.digits()))
        .attr("aria-labelledby", "receipt-first-title").tag(">")
        .tag("<h2 id=\"receipt-first-title\">").text(m.get("rf.title")).tag("</h2>")
        .el("p", m.get(r.digits() ? "rf.intro_digits" : "rf.intro"))
        .tag("<p class=\"receipt\" id=\"testigo-receipt-words\">");
    // One element per word, numbered by the style sheet (user pass: on a phone the code wraps over
    // three or four lines, and "word 6, counting from the left" was counted per line). The
    // numbers are drawn, not text: the words read, copy and post as they are.
    String[] words = r.words().split(" ");
    for (int i = 0; i < words.length; i++) {
      h.tag(i == 0 ? "<span>" : " <span>").text(words[i]).tag("</span>");
    }
    h.tag("</p>")
        .el("p class=\"warning\"", m.get("receipt.advice"))
        .tag("<p class=\"small\"><a").attr("href", ApiPaths.REPORT + "?lang=" + lang + (r.digits() ? "" : "&receipt=digits"))
        .tag(">").text(m.get(r.digits() ? "rf.words" : "rf.digits")).tag("</a></p>")
        // a language link loads a new form, with a new code (user pass: no warning)
        .el("p class=\"small\"", m.get("rf.language"))
        .tag("<input type=\"hidden\"").attr("name", FormReceipt.FIELD).attr("value", r.words()).tag(">")
        .tag("<input type=\"hidden\"").attr("name", FormReceipt.POSITIONS).attr("value", r.positions()).tag(">")
        .tag("</section>");
  }

  /** The rest of a number input: its value when shown again, its error link, the closing bracket. */
  private static void number(Html h, Filled f, String name) {
    if (!f.value(name).isEmpty()) {
      h.attr("value", f.value(name));
    }
    f.describedBy(h, name);
    h.tag(">");
  }

  /** Two words (or groups) of the receipt typed back, next to the send button. */
  private static void confirmation(Html h, Messages m, Filled f, FormReceipt r) {
    String item = r.digits() ? "rf.confirm_group" : "rf.confirm_word";
    h.tag("<fieldset id=\"confirm\"><legend>").text(m.format(r.digits() ? "rf.confirm_digits" : "rf.confirm",
        r.first(), r.second())).tag("</legend>");
    f.error(h, "confirm");
    h.tag("<span hidden data-testigo-confirm-error>").text(m.get(r.confirmError())).tag("</span>");
    int[] at = {r.first(), r.second()};
    String[] names = {FormReceipt.CONFIRM_FIRST, FormReceipt.CONFIRM_SECOND};
    for (int i = 0; i < 2; i++) {
      // shown again after a wrong confirmation: the word that was right is kept (the server put it
      // back), the wrong one is empty and alone marked invalid
      String kept = f.answers() == null ? "" : f.value(names[i]);
      h.tag("<label").attr("for", names[i]).tag(">").text(m.format(item, at[i])).tag("</label><input")
          .attr("id", names[i]).attr("name", names[i]).attr("type", "text").attr("maxlength", "40")
          .attr("autocomplete", "off").attr("autocapitalize", "none").attr("spellcheck", "false")
          .attr("data-position", Integer.toString(at[i]));
      if (!kept.isEmpty()) {
        h.attr("value", kept);
      }
      if (r.digits()) {
        h.attr("inputmode", "numeric");
      }
      if (kept.isEmpty()) {
        f.describedBy(h, "confirm");
      }
      h.tag(">");
    }
    h.tag("</fieldset>");
  }

  /** A loudspeaker drawn inline: an emoji shows as an empty box on phones without an emoji font. */
  static final String SPEAKER = "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\" width=\"22\""
      + " height=\"22\" viewBox=\"0 0 24 24\"><path fill=\"currentColor\" d=\"M3 9v6h4l5 5V4L7 9H3z\"/><path"
      + " fill=\"currentColor\" d=\"M14 7.5v9a4.5 4.5 0 0 0 0-9zM14 3v2.1a7 7 0 0 1 0 13.8V21a9 9 0 0 0 0-18z\"/></svg>";

  /**
   * The question group {@code clip} read aloud: plain {@code <audio controls preload="none">}
   * elements (no script, nothing fetched until played), one per {@link AudioCatalog} track, each
   * folded under a one-line "listen" control with a loudspeaker, so that nine players do not
   * crowd the form for those who read it.
   */
  private static void listen(Html h, Messages m, String clip) {
    for (AudioCatalog.Track t : AudioCatalog.fromClassPath().tracks(m.language(), clip)) {
      String label = m.get("audio.listen") + (t.code().equals(m.language().code()) ? "" : " (" + t.name() + ")");
      h.tag("<details class=\"listen\"><summary").attr("lang", t.code()).tag(">" + SPEAKER + " ").text(label)
          .tag("</summary><audio controls preload=\"none\"").attr("src", "/assets/audio/" + t.code() + "/" + clip
          + ".ogg").attr("aria-label", label).tag("></audio></details>");
    }
  }

  /** Messages the report page script needs, rendered into a hidden element (no inline script). */
  static final List<String> SCRIPT_MESSAGES = List.of("js.encrypted_here", "js.verifying", "js.verified",
      "js.verify_failed", "js.sealing", "js.uploading", "js.retry_in", "js.trying_again", "js.deriving",
      "js.failed", "js.expired", "js.gave_up", "js.too_large", "js.too_many", "js.check", "js.empty",
      "js.removed", "js.nothing_found", "js.not_checked", "js.malformed", "js.malformed_block", "js.meta.location",
      "js.meta.camera", "js.meta.date", "js.meta.author",
      "js.meta.software", "js.meta.thumbnail", "js.meta.xmp", "js.meta.iptc", "js.meta.icc", "js.meta.comment",
      "js.meta.text", "js.meta.exif", "js.meta.trailer", "js.meta.other", "receipt.title", "receipt.intro",
      "receipt.advice", "receipt.status", "status.title", "receipt.metadata_removed", "js.voice.record", "js.voice.stop",
      "js.voice.recording", "js.voice.recorded", "js.voice.discard", "js.voice.unavailable", "js.working");

  /**
   * The report form, with its receipt shown first ({@code receipt}); {@code refused} (or null)
   * is a refused post of this form, whose answers (files excepted) and errors are shown again.
   */
  public static String reportForm(Messages m, BrowserSealing sealing, FormReceipt receipt,
      FormInvalidException refused) {
    String lang = m.language().code();
    Filled f = Filled.of(m, refused);
    Html h = open(m, m.get("form.title"), ApiPaths.REPORT);
    h.el("h1", m.get("form.title"));
    if (f.answers() != null) {
      h.tag("<div class=\"warning\" role=\"alert\"><p>").text(m.get("error.fix_below")).tag("</p><ul>");
      for (Map.Entry<String, String> e : f.errors().entrySet()) {
        // each error links to its message beside the question (a long form on a phone: the
        // question can be many screens below); a form-wide error has no place to link to
        if (e.getKey().equals("form")) {
          h.tag("<li>").text(e.getValue()).tag("</li>");
        } else {
          h.tag("<li><a").attr("href", "#error-" + e.getKey()).tag(">").text(e.getValue()).tag("</a></li>");
        }
      }
      h.tag("</ul></div>");
    }
    h.el("p", m.get("form.intro"))
        .tag("<form method=\"post\" enctype=\"multipart/form-data\" accept-charset=\"UTF-8\"")
        .attr("action", ApiPaths.REPORT + "?lang=" + lang)
        .attr("data-testigo-seal", "report").attr("data-lang", lang)
        .attr("data-root-fingerprint", sealing.rootFingerprintHex())
        .attr("data-argon2-memory", Integer.toString(sealing.argon2MemoryKiB()))
        .attr("data-argon2-iterations", Integer.toString(sealing.argon2Iterations()))
        .attr("data-argon2-parallelism", Integer.toString(sealing.argon2Parallelism()))
        .attr("data-max-bytes", Long.toString(sealing.maxEnvelopeBytes()))
        .attr("data-max-files", Integer.toString(sealing.maxFiles())).tag(">")
        .tag("<input type=\"hidden\" name=\"version\"").attr("value", Integer.toString(Questionnaire.VERSION))
        .tag("><input type=\"hidden\" name=\"lang\"").attr("value", lang).tag(">");
    receiptFirst(h, m, receipt);
    h.tag("<fieldset><legend>").text(m.get("q.what")).tag("</legend>");
    listen(h, m, "what");
    checkboxes(h, m, f, "what", AbuseCategory.class);
    input(h, m, f, "what_other", "text", QuestionnaireV1.SHORT_TEXT);
    h.tag("</fieldset><fieldset><legend>").text(m.get("q.who")).tag("</legend>");
    listen(h, m, "who");
    checkboxes(h, m, f, "who", Perpetrator.class);
    input(h, m, f, "who_other", "text", QuestionnaireV1.SHORT_TEXT);
    h.el("p class=\"sub\"", m.get("q.identifying"));
    input(h, m, f, "uniform", "text", QuestionnaireV1.SHORT_TEXT);
    input(h, m, f, "badge", "text", QuestionnaireV1.SHORT_TEXT);
    input(h, m, f, "plates", "text", QuestionnaireV1.SHORT_TEXT);
    input(h, m, f, "unit", "text", QuestionnaireV1.SHORT_TEXT);
    h.tag("</fieldset><fieldset><legend>").text(m.get("q.where")).tag("</legend>");
    listen(h, m, "where");
    select(h, m, f, "state", MxState.NONE_KEY, MxState.class);
    input(h, m, f, "place", "text", QuestionnaireV1.SHORT_TEXT);
    select(h, m, f, "place_kind", PlaceKind.NONE_KEY, PlaceKind.class);
    h.tag("</fieldset><fieldset><legend>").text(m.get("q.when")).tag("</legend>");
    listen(h, m, "when");
    input(h, m, f, "date", "date", 10);
    input(h, m, f, "when_approx", "text", QuestionnaireV1.SHORT_TEXT);
    h.tag("</fieldset><fieldset><legend>").text(m.get("q.victims")).tag("</legend>");
    listen(h, m, "victims");
    h.tag("<label for=\"victims\">").text(m.get("q.victims_count")).tag("</label>");
    f.error(h, "victims");
    h.tag("<input id=\"victims\" name=\"victims\" type=\"number\" min=\"0\" max=\"" + QuestionnaireV1.MAX_COUNT + "\"");
    number(h, f, "victims");
    h.tag("<fieldset class=\"inner\"><legend>").text(m.get("q.minors")).tag("</legend>");
    f.error(h, "minors");
    for (Minors e : Minors.values()) {
      String v = e.code();
      h.tag("<label class=\"choice\"><input type=\"radio\" name=\"minors\"").attr("value", v)
          .tag(f.has("minors", v) ? " checked> " : "> ").text(m.get(e.messageKey())).tag("</label>");
    }
    h.tag("</fieldset>");
    h.tag("<label for=\"minors_count\">").text(m.get("q.minors_count")).tag("</label>");
    f.error(h, "minors_count");
    h.tag("<input id=\"minors_count\" name=\"minors_count\" type=\"number\" min=\"0\" max=\"" + QuestionnaireV1.MAX_COUNT
        + "\"");
    number(h, f, "minors_count");
    h.tag("</fieldset><fieldset><legend>").text(m.get("q.narrative")).tag("</legend>");
    listen(h, m, "narrative");
    f.error(h, "narrative");
    h.tag("<textarea name=\"narrative\" rows=\"8\" maxlength=\"" + QuestionnaireV1.NARRATIVE + "\"").attr("aria-label", m.get("q.narrative"));
    f.describedBy(h, "narrative");
    h.tag(">").text(f.value("narrative")).tag("</textarea></fieldset>");
    h.tag("<fieldset><legend>").text(m.get("q.wants")).tag("</legend>");
    listen(h, m, "wants");
    checkboxes(h, m, f, "wants", Want.class);
    h.tag("</fieldset>");
    // Before any file input: the server reads text fields only up to the first file part.
    confirmation(h, m, f, receipt);
    h.tag("<fieldset class=\"voice\"><legend>").text(m.get("voice.legend")).tag("</legend>");
    listen(h, m, "voice");
    h.el("p class=\"small\"", m.get("voice.hint"))
        .tag("<label for=\"voice\">").text(m.get("voice.file")).tag("</label>")
        .tag("<input id=\"voice\" type=\"file\" name=\"files\" accept=\"audio/*\" capture></fieldset>");
    h.tag("<fieldset><legend>").text(m.get("q.files")).tag("</legend>");
    listen(h, m, "files");
    h.el("p class=\"small\"", m.get("q.files_hint"));
    if (f.answers() != null) {
      h.el("p class=\"warning\"", m.get("error.files_again"));
    }
    h.tag("<input type=\"file\" name=\"files\" multiple").attr("aria-label", m.get("q.files"))
        .tag("></fieldset>");
    // the fingerprint where it matters, next to the button, after the receipt (the script replaces it with the
    // fingerprint it verified)
    h.el("p", m.get("rf.note"))
        .tag("<p class=\"small\" id=\"stated-fingerprint\">").text(m.get("home.fingerprint"))
        .tag(" <strong class=\"fingerprint\">")
        .text(org.testigo.crypto.Fingerprint.fromHex(sealing.rootFingerprintHex()).shortForm()).tag("</strong></p>")
        .tag("<button type=\"submit\">").text(m.get("form.send")).tag("</button></form>");
    h.tag("<div id=\"testigo-messages\" hidden>");
    for (String key : SCRIPT_MESSAGES) {
      h.tag("<span").attr("data-key", key).tag(">").text(m.get(key)).tag("</span>");
    }
    h.tag("</div><script").attr("src", BrowserSealing.SCRIPT_PATH).attr("integrity", BrowserSealing.integrity())
        .tag(" defer></script>");
    return close(h);
  }

  /**
   * The receipt, and a button into the visit the report began: its status page and follow-ups
   * cost no further key derivation ({@code visit} is the capability, sent back in a hidden field).
   */
  public static String receipt(Messages m, String receiptWords, int metadataItemsRemoved, String visit) {
    String lang = m.language().code();
    Html h = open(m, m.get("receipt.title"), "/");
    h.el("h1", m.get("receipt.title")).el("p", m.get("receipt.intro"))
        // a column, one word (or digit group) per line, the words numbered by the style sheet
        // (user pass: at 360 px the code fell into two columns, copied column by column); the
        // paragraph itself holds the code as plain text, as it is read, copied and typed
        .tag("<div class=\"code ").text(receiptWords.matches("[0-9 ]+") ? "digits" : "words").tag("\">")
        .tag("<p class=\"receipt\">").text(receiptWords).tag("</p></div>");
    if (metadataItemsRemoved > 0) {
      h.el("p class=\"small\"", m.get("receipt.metadata_removed"));
    }
    h.el("p class=\"warning\"", m.get("receipt.advice"));
    visitButton(h, m, visit);
    h.tag("<p>").text(m.get("receipt.status")).tag(" <a").attr("href", ApiPaths.STATUS + "?lang=" + lang).tag(">")
        .text(m.get("status.title")).tag("</a></p>")
        .el("p", m.get("proof.later"));
    return close(h);
  }

  /** A form whose button opens the visit's status page (POST, so the capability is in no URL). */
  private static void visitButton(Html h, Messages m, String visit) {
    h.tag("<form method=\"post\" accept-charset=\"UTF-8\"").attr("action", ApiPaths.VISIT + "?lang=" + m.language().code())
        .tag(">").tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<button type=\"submit\">").text(m.get("visit.open")).tag("</button></form>");
  }

  /** The "leave" button: ends the visit on the server. */
  private static void leaveButton(Html h, Messages m, String visit) {
    h.el("p class=\"small\"", m.get("visit.leave_hint"))
        .tag("<form method=\"post\" accept-charset=\"UTF-8\"")
        .attr("action", ApiPaths.VISIT_LEAVE + "?lang=" + m.language().code()).tag(">")
        .tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<button type=\"submit\">").text(m.get("visit.leave")).tag("</button></form>");
  }

  public static String statusForm(Messages m) {
    return statusForm(m, null, null);
  }

  /**
   * The status form; after a code that does not open a mailbox, with what {@link
   * org.testigo.crypto.receipt.Receipt#echo} keeps of it in its box (its receipt words, a {@code ?}
   * for any other) and {@code errorKey}'s message beside it, so the source corrects a word
   * instead of typing eight again.
   */
  public static String statusForm(Messages m, String typed, String errorKey) {
    String lang = m.language().code();
    Html h = open(m, m.get("status.title"), ApiPaths.STATUS);
    h.el("h1", m.get("status.title")).el("p", m.get("status.intro"))
        .tag("<form method=\"post\" accept-charset=\"UTF-8\"").attr("action", ApiPaths.STATUS + "?lang=" + lang).tag(">")
        .tag("<label for=\"receipt\">").text(m.get("status.receipt")).tag("</label>");
    if (errorKey != null) {
      h.tag("<p class=\"warning\" id=\"error-receipt\" role=\"alert\">").text(m.error(errorKey)).tag("</p>");
    }
    h.tag("<textarea id=\"receipt\" name=\"receipt\" rows=\"3\" maxlength=\"400\" autocomplete=\"off\""
        + " autocapitalize=\"none\" spellcheck=\"false\"" + (errorKey == null ? ""
            : " aria-invalid=\"true\" aria-describedby=\"error-receipt\" autofocus") + ">")
        .text(typed == null ? "" : org.testigo.crypto.receipt.Receipt.echo(typed)).tag("</textarea>")
        .tag("<button type=\"submit\">").text(m.get("status.open")).tag("</button></form>");
    return close(h);
  }

  /**
   * The replies and proofs of a visit, a follow-up form, when the manifest in force carries a
   * retention policy ({@code retention}, or null) when the report will be erased and a button to
   * ask for early erasure, and the leave button; never the receipt.
   */
  public static String statusResult(Messages m, String visit, List<PublishedProgress> progress,
      List<OpenedReply> replies, List<FilingProofs.Filing> filings, RetentionInForce.Terms retention) {
    String lang = m.language().code();
    Html h = open(m, m.get("status.title"), ApiPaths.STATUS);
    if (!progress.isEmpty()) {
      h.el("h1", m.get("progress.title"));
      for (PublishedProgress p : progress) {
        h.tag("<p class=\"progress\"><span class=\"small\">").text(readableDay(m, p.receivedDay())).tag("</span> ")
            .text(progressLine(m, p.progress())).tag("</p>");
      }
      h.el("h2", m.get("status.replies"));
    } else {
      h.el("h1", m.get("status.replies"));
    }
    if (replies.isEmpty()) {
      h.el("p", m.get("status.none"));
    }
    for (OpenedReply r : replies) {
      h.tag("<article class=\"reply\"><p class=\"small\">").text(readableDay(m, r.receivedDay()))
          .tag("</p><p class=\"message\">")
          .text(r.text()).tag("</p>");
      for (String a : r.attachments()) {
        h.tag("<p class=\"small\">📎 ").text(a).tag("</p>");
      }
      h.tag("</article>");
    }
    proofsOfFiling(h, m, filings);
    h.el("h2", m.get("status.followup"))
        .tag("<form method=\"post\" enctype=\"multipart/form-data\" accept-charset=\"UTF-8\"")
        .attr("action", ApiPaths.VISIT_FOLLOW_UP + "?lang=" + lang).tag(">")
        .tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<label for=\"message\">").text(m.get("status.message")).tag("</label>")
        .tag("<textarea id=\"message\" name=\"message\" rows=\"6\" maxlength=\"20000\"></textarea>")
        .tag("<label for=\"files\">").text(m.get("q.files")).tag("</label>")
        .tag("<input id=\"files\" type=\"file\" name=\"files\" multiple>")
        .tag("<button type=\"submit\">").text(m.get("status.send")).tag("</button></form>");
    if (retention != null) {
      retention(h, m, visit, progress, retention);
    }
    leaveButton(h, m, visit);
    return close(h);
  }

  /**
   * When the report will be erased, in short words: once its case is closed, about N months
   * (and, if it was sent to a prosecutor or a commission, about M) later; if the status line in
   * force says closed, around which day (docs/spec/retention-and-erasure.md §4.2). Then the
   * button that begins an early erasure request.
   */
  private static void retention(Html h, Messages m, String visit, List<PublishedProgress> progress,
      RetentionInForce.Terms terms) {
    h.tag("<section class=\"retention\" aria-labelledby=\"retention-title\"><h2 id=\"retention-title\">")
        .text(m.get("retention.title")).tag("</h2>");
    for (String line : retentionLines(m, progress, terms)) {
      h.el("p", line);
    }
    h.el("p class=\"small\"", m.get("erasure.ask_hint"))
        .tag("<form method=\"post\" accept-charset=\"UTF-8\"").attr("action", ApiPaths.VISIT_ERASURE + "?lang="
            + m.language().code()).tag(">")
        .tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<button type=\"submit\" class=\"secondary\">").text(m.get("erasure.ask")).tag("</button></form>")
        .tag("</section>");
  }

  /**
   * The sentences about retention. With the highest status line {@code closed}, published on
   * day D: around D + closed_days, or between that and D + referral_days when a line says the
   * report was referred (an open referral keeps it the longer time, and the source cannot know
   * whether it is still open). Otherwise the durations after a close.
   */
  static List<String> retentionLines(Messages m, List<PublishedProgress> progress, RetentionInForce.Terms t) {
    boolean longer = t.referralDays() > t.closedDays();
    if (!progress.isEmpty() && progress.get(0).progress().status() == SourceProgress.Status.CLOSED) {
      java.time.LocalDate day = java.time.LocalDate.parse(progress.get(0).receivedDay());
      boolean referred = progress.stream().anyMatch(p -> p.progress().status() == SourceProgress.Status.REFERRED
          || p.progress().outcome() == SourceProgress.Outcome.REFERRED);
      if (referred && longer) {
        return List.of(m.format("retention.closed_between", longDate(m, day.plusDays(t.closedDays())),
            longDate(m, day.plusDays(t.referralDays()))));
      }
      return List.of(m.format("retention.closed_on", longDate(m, day.plusDays(t.closedDays()))));
    }
    String closed = m.format("retention.if_closed", duration(m, t.closedDays()));
    return longer ? List.of(closed, m.format("retention.referral", duration(m, t.referralDays()))) : List.of(closed);
  }

  /** A number of days in the unit a reader grasps: days under 60, months under two years, else years. */
  static String duration(Messages m, int days) {
    if (days < 60) {
      return m.format("duration.days", days);
    }
    if (days < 730) {
      return m.format("duration.months", Math.round(days / 30.4375));
    }
    return m.format("duration.years", Math.round(days / 365.25));
  }

  /** A day with the month in words, in the page's language (the bundles, not the JDK: it has no Kreyòl). */
  /**
   * A day as the page's language writes it ("7 de diciembre de 2026"), as the proofs of filing
   * are dated (user pass: replies were dated 2026-12-07 beside "7 desanm 2026"); a value that is
   * not a day is shown as it is.
   */
  static String readableDay(Messages m, String isoDay) {
    try {
      return longDate(m, java.time.LocalDate.parse(isoDay));
    } catch (RuntimeException e) {
      return isoDay;
    }
  }

  static String longDate(Messages m, java.time.LocalDate day) {
    return m.format("date.long", Integer.toString(day.getDayOfMonth()), m.get("month." + day.getMonthValue()),
        Integer.toString(day.getYear()));
  }

  /**
   * The confirmation step of an early erasure request: the team decides, it is never automatic
   * (a coerced or stolen receipt must not be able to destroy evidence), and what it means for
   * the source; then "yes" (which sends it) or "no" (back to the status page).
   */
  public static String erasureConfirm(Messages m, String visit) {
    String lang = m.language().code();
    Html h = open(m, m.get("erasure.confirm_title"), ApiPaths.STATUS);
    h.el("h1", m.get("erasure.confirm_title")).el("p class=\"warning\"", m.get("erasure.confirm_team"))
        .el("p", m.get("erasure.confirm_why")).el("p", m.get("erasure.confirm_after"))
        .tag("<form method=\"post\" accept-charset=\"UTF-8\"").attr("action", ApiPaths.VISIT_ERASURE_CONFIRM
            + "?lang=" + lang).tag(">")
        .tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<button type=\"submit\">").text(m.get("erasure.confirm_yes")).tag("</button></form>")
        .tag("<form method=\"post\" accept-charset=\"UTF-8\"").attr("action", ApiPaths.VISIT + "?lang=" + lang)
        .tag(">").tag("<input type=\"hidden\" name=\"visit\"").attr("value", visit).tag(">")
        .tag("<button type=\"submit\" class=\"secondary\">").text(m.get("erasure.confirm_no"))
        .tag("</button></form>");
    return close(h);
  }

  /** After an early erasure request was stored: sent, the team decides; back to the visit or leave. */
  public static String erasureRequested(Messages m, String visit) {
    Html h = open(m, m.get("status.title"), ApiPaths.STATUS);
    h.el("h1", m.get("erasure.sent")).el("p", m.get("erasure.sent_team"));
    visitButton(h, m, visit);
    leaveButton(h, m, visit);
    return close(h);
  }

  /**
   * One published progress record in the page's language, from the fixed vocabulary
   * ({@code progress.*} messages); institution and reference are the only free text and are
   * HTML-escaped by the caller like every value.
   */
  static String progressLine(Messages m, SourceProgress p) {
    return switch (p.status()) {
      case RECEIVED -> m.get("progress.received");
      case INVESTIGATING -> m.get("progress.investigating");
      case REFERRED -> p.reference() == null
          ? m.format("progress.referred", p.institution())
          : m.format("progress.referred_ref", p.institution(), p.reference());
      case CLOSED -> m.format("progress.closed", m.get("progress.outcome." + p.outcome().code()));
    };
  }

  /**
   * Each filing's proof as text, a file link and a QR code (same-origin SVG image), or a
   * note that it is not yet in a signed tree head.
   */
  private static void proofsOfFiling(Html h, Messages m, List<FilingProofs.Filing> filings) {
    if (filings.isEmpty()) {
      return;
    }
    h.el("h2", m.get("proof.title")).el("p", m.get("proof.intro"));
    for (FilingProofs.Filing f : filings) {
      h.tag("<article class=\"proof\">");
      // a receipt used for two reports, or a report and its follow-ups: which proof is which
      h.el("h3", m.format(f.envelope().followUp() ? "proof.of_follow_up" : "proof.of_report",
          longDate(m, f.envelope().receivedDay())));
      if (f.pending()) {
        h.el("p", m.get("proof.pending"));
      } else {
        String base = ApiPaths.proofOfFiling(f.leafIndex(), f.treeSize());
        h.tag("<pre class=\"proof\" tabindex=\"0\" role=\"region\"").attr("aria-label", m.get("proof.label"))
            .tag(">").text(f.armored()).tag("</pre>")
            .tag("<p><a").attr("href", base + "proof.txt").attr("download", "testigo-proof-of-filing-"
                + f.leafIndex() + ".txt").tag(">").text(m.get("proof.download")).tag("</a></p>")
            .tag("<p><img class=\"qr\"").attr("src", base + "qr.svg").attr("alt", m.get("proof.qr"))
            .attr("width", "320").attr("height", "320").tag("></p>");
      }
      h.tag("</article>");
    }
    h.el("p class=\"small\"", m.get("proof.check"));
    if (filings.stream().anyMatch(f -> !f.pending())) {
      // the command line means nothing to most sources; it is there for the lawyer they show it to
      h.tag("<details class=\"small\"><summary>").text(m.get("proof.expert")).tag("</summary><code>")
          .text("testigo-reviewer proof verify testigo-proof-of-filing-N.txt").tag("</code></details>");
    }
  }

  public static String followUpSent(Messages m, String visit) {
    Html h = open(m, m.get("status.title"), ApiPaths.STATUS);
    h.el("h1", m.get("status.sent"));
    if (visit == null) {
      h.tag("<p><a").attr("href", ApiPaths.STATUS + "?lang=" + m.language().code()).tag(">").text(m.get("status.title"))
          .tag("</a></p>");
    } else {
      visitButton(h, m, visit);
      leaveButton(h, m, visit);
    }
    return close(h);
  }

  /** After "leave": the visit has ended; the status form is one link away. */
  public static String left(Messages m) {
    Html h = open(m, m.get("status.title"), ApiPaths.STATUS);
    h.el("h1", m.get("visit.left")).tag("<p><a").attr("href", ApiPaths.STATUS + "?lang=" + m.language().code())
        .tag(">").text(m.get("status.title")).tag("</a></p>");
    return close(h);
  }

  /** An error page listing generic messages for the given keys; the input is never shown. */
  public static String error(Messages m, List<String> messageKeys, String errorId) {
    Html h = open(m, m.get("error.title"), "/");
    h.el("h1", m.get("error.title")).tag("<ul>");
    for (String key : messageKeys) {
      h.el("li", m.error(key));
    }
    h.tag("</ul>");
    if (errorId != null) {
      h.tag("<p>").text(m.get("error.internal")).tag(" <code>").text(errorId).tag("</code></p>");
    }
    h.el("p", m.get("error.back"));
    return close(h);
  }
}

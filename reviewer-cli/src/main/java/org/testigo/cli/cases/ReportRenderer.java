package org.testigo.cli.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Renders a decrypted report and its follow-ups for a human, in the reviewer's language
 * (Spanish by default, English), with every questionnaire field labelled and closed-list
 * values translated. All text from the source passes through {@link Text#safe}.
 */
public final class ReportRenderer {
  public static final List<String> LANGUAGES = List.of("es", "en");
  private final ResourceBundle labels;

  public ReportRenderer(String language) {
    Locale locale = "en".equals(language) ? Locale.ENGLISH : Locale.ROOT;
    this.labels = ResourceBundle.getBundle("org.testigo.cli.cases.labels", locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  /** The label of a key, or the key's value part when a newer questionnaire has an unknown value. */
  public String label(String key) {
    try {
      return labels.getString(key);
    } catch (MissingResourceException e) {
      return Text.safe(key.substring(key.indexOf('.') + 1));
    }
  }

  public String render(DecryptedSubmission report, List<DecryptedSubmission> followUps, List<String> caseLines) {
    StringBuilder b = new StringBuilder();
    var l = report.listing();
    b.append(label("title.report")).append(' ').append(l.id()).append('\n');
    line(b, "field.received", l.receivedDay());
    caseLines.forEach(c -> b.append(c).append('\n'));
    line(b, "field.language", label("lang." + report.text("language")));
    b.append('\n');
    line(b, "field.what", values("what", report.list("what")));
    optional(b, "field.whatOther", report.text("whatOther"));
    line(b, "field.who", values("who", report.list("who")));
    optional(b, "field.whoOther", report.text("whoOther"));
    List<String> ids = new ArrayList<>();
    for (String f : List.of("uniform", "badge", "plates", "unit")) {
      String v = report.text("identifying", f);
      if (!v.isBlank()) {
        ids.add(label("field." + f) + ": " + Text.cell(v, 200));
      }
    }
    line(b, "field.identifying", ids.isEmpty() ? label("field.none") : String.join("; ", ids));
    String state = report.text("where", "state");
    String kind = report.text("where", "placeKind");
    line(b, "field.where", String.join(" — ", nonBlank(
        state.isEmpty() ? "" : label("state." + state) + " (" + Text.safe(state) + ")",
        Text.cell(report.text("where", "place"), 200),
        kind.isEmpty() ? "" : label("placeKind." + kind))));
    line(b, "field.when", String.join(" — ", nonBlank(Text.safe(report.text("when", "date")),
        Text.cell(report.text("when", "approximate"), 200))));
    String count = report.text("victims", "count");
    String minors = report.text("victims", "minors");
    String minorsCount = report.text("victims", "minorsCount");
    line(b, "field.victims", String.join("; ", nonBlank(
        count.isEmpty() ? "" : label("field.count") + ": " + Text.cell(count, 20),
        minors.isEmpty() ? "" : label("field.minors") + ": " + label("minors." + minors)
            + (minorsCount.isEmpty() ? "" : " (" + Text.cell(minorsCount, 20) + ")"))));
    line(b, "field.wants", values("wants", report.list("wants")));
    b.append('\n').append(label("field.narrative")).append(":\n");
    b.append(indent(report.text("narrative"))).append('\n');
    files(b, report);
    if (!followUps.isEmpty()) {
      b.append('\n').append(label("field.followups")).append(":\n");
      for (DecryptedSubmission f : followUps) {
        b.append("  ").append(label("title.followup")).append(' ').append(f.listing().id())
            .append(" (").append(f.listing().receivedDay()).append(")\n");
        b.append(indent(f.text("message"))).append('\n');
        files(b, f);
      }
    }
    return b.toString();
  }

  private void files(StringBuilder b, DecryptedSubmission s) {
    if (s.files().isEmpty()) {
      return;
    }
    b.append(label("field.files")).append(":\n");
    int i = 1;
    for (DecryptedSubmission.Attachment p : s.files()) {
      b.append("  ").append(i++).append(". ").append(Text.cell(p.filename() == null ? "-" : p.filename(), 200))
          .append(" (").append(Text.cell(p.type() == null ? "application/octet-stream" : p.type(), 100))
          .append(", ").append(p.size()).append(" bytes)\n");
    }
  }

  private String values(String list, List<String> values) {
    if (values.isEmpty()) {
      return label("field.none");
    }
    return String.join(", ", values.stream().map(v -> label(list + "." + v)).toList());
  }

  /**
   * One labelled line. The value passes through {@link Text#cell} here, at the sink, whatever
   * its parts did: a field that a caller forgot to make safe (the victim counts once were) can
   * never put an escape sequence on the terminal or a line break into the layout.
   */
  private void line(StringBuilder b, String key, String value) {
    b.append(String.format("%-28s %s%n", label(key) + ":",
        value.isBlank() ? label("field.none") : Text.cell(value, 2000)));
  }

  private void optional(StringBuilder b, String key, String value) {
    if (!value.isBlank()) {
      line(b, key, Text.cell(value, 500));
    }
  }

  private static List<String> nonBlank(String... values) {
    return java.util.Arrays.stream(values).filter(v -> !v.isBlank()).toList();
  }

  private static String indent(String text) {
    String safe = Text.safe(text);
    if (safe.isBlank()) {
      return "  -";
    }
    return "  " + safe.replace("\n", "\n  ");
  }
}

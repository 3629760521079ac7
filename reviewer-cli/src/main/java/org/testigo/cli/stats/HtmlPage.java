package org.testigo.cli.stats;

import java.util.Base64;
import java.util.List;

/**
 * A single static HTML page for the public: the three charts (embedded as {@code data:} PNG
 * images) and the same figures as tables. No script, no external resource, no form; a
 * Content-Security-Policy meta tag forbids anything but inline images and styles. Every text
 * comes from the label bundles or is a published number; all of it is escaped.
 */
public final class HtmlPage {
  public static final String NAME = "index.html";
  static final String CSP =
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none';"
          + " form-action 'none'";

  private HtmlPage() {}

  /** The page; {@code monthPng}, {@code statePng}, {@code funnelPng} are the chart images. */
  public static String render(StatsReport report, Labels labels, Labels.Lang lang,
      byte[] monthPng, byte[] statePng, byte[] funnelPng) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"").append(lang == Labels.Lang.ES ? "es" : "en")
        .append("\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP)
        .append("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(labels.text("page.title"))).append("</title>\n")
        .append("<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;"
            + "padding:.2em .5em}td.n{text-align:right}img{max-width:100%;height:auto}"
            + "</style>\n</head>\n<body>\n");
    h.append("<h1>").append(esc(labels.text("page.title"))).append("</h1>\n<p>")
        .append(esc(labels.text("page.intro", report.from().toString(), report.to().toString(),
            report.asOf().toString(), String.valueOf(report.minCell() - 1),
            Cell.SUPPRESSED_MARK)))
        .append("</p>\n<p>").append(esc(labels.text("page.notext"))).append(' ')
        .append(esc(labels.text("page.files"))).append("</p>\n");

    Table grid = report.table(StatsEngine.REPORTS_BY_STATE_MONTH);
    h.append("<h2>").append(esc(labels.text("section.month"))).append("</h2>\n");
    img(h, monthPng, labels.text("chart.month.title"));
    h.append("<table>\n<tr><th>").append(esc(labels.text("chart.month.axis"))).append("</th><th>")
        .append(esc(labels.text("count"))).append("</th></tr>\n");
    for (String month : grid.columns()) {
      row(h, month.equals(Table.TOTAL) ? labels.text("total") : month,
          grid.cell(Table.TOTAL, month).orElseThrow());
    }
    h.append("</table>\n");

    h.append("<h2>").append(esc(labels.text("section.state"))).append("</h2>\n");
    img(h, statePng, labels.text("chart.state.title"));
    h.append("<table>\n<tr><th>").append(esc(labels.text("chart.state.axis"))).append("</th><th>")
        .append(esc(labels.text("count"))).append("</th></tr>\n");
    for (String state : grid.rows()) {
      Cell c = grid.cell(state, Table.TOTAL).orElseThrow();
      if (state.equals(Table.TOTAL) || c.suppressed() || c.value().signum() > 0) {
        row(h, labels.code("state", state), c);
      }
    }
    h.append("</table>\n");

    list(h, labels, report.table(StatsEngine.CATEGORY_MENTIONS), "category", "section.category",
        "mentions");
    list(h, labels, report.table(StatsEngine.AGENCY_MENTIONS), "agency", "section.agency",
        "mentions");
    list(h, labels, report.table(StatsEngine.OUTCOMES), "outcome", "section.outcome", "count");
    list(h, labels, report.table(StatsEngine.REFERRALS_BY_INSTITUTION), "institution",
        "section.institution", "count");

    h.append("<h2>").append(esc(labels.text("section.funnel"))).append("</h2>\n");
    img(h, funnelPng, labels.text("chart.funnel.title"));
    Table funnel = report.table(StatsEngine.FUNNEL);
    Table days = report.table(StatsEngine.FUNNEL_DAYS);
    h.append("<table>\n<tr>");
    for (String k : List.of("col.step", "count", "col.median", "col.p90")) {
      h.append("<th>").append(esc(labels.text(k))).append("</th>");
    }
    h.append("</tr>\n");
    for (String step : funnel.rows()) {
      h.append("<tr><td>").append(esc(labels.code("step", step))).append("</td>");
      num(h, funnel.cell(step, Table.COUNT).orElseThrow());
      if (days.rows().contains(step)) {
        num(h, days.cell(step, "median_days").orElseThrow());
        num(h, days.cell(step, "p90_days").orElseThrow());
      } else {
        h.append("<td></td><td></td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");

    for (String[] b : List.of(new String[] {StatsEngine.FUNNEL_PROSECUTION, "section.funnel_prosecution"},
        new String[] {StatsEngine.FUNNEL_COMMISSION, "section.funnel_commission"})) {
      Table t = report.table(b[0]);
      h.append("<h3>").append(esc(labels.text(b[1]))).append("</h3>\n<table>\n<tr><th></th><th>")
          .append(esc(labels.text("count"))).append("</th></tr>\n");
      for (String r : t.rows()) {
        row(h, labels.text("branch." + r), t.cell(r, Table.COUNT).orElseThrow());
      }
      h.append("</table>\n");
    }

    h.append("<h2>").append(esc(labels.text("section.deadlines"))).append("</h2>\n<table>\n<tr>");
    h.append("<th></th>");
    for (String k : List.of("col.met", "col.notmet", "col.total", "col.share")) {
      h.append("<th>").append(esc(labels.text(k))).append("</th>");
    }
    h.append("</tr>\n");
    Table dl = report.table(StatsEngine.DEADLINES);
    for (String r : dl.rows()) {
      h.append("<tr><td>").append(esc(labels.text("deadline." + r))).append("</td>");
      for (String c : StatsEngine.DEADLINE_COLUMNS) {
        num(h, dl.cell(r, c).orElseThrow());
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void list(StringBuilder h, Labels labels, Table t, String dimension,
      String section, String measure) {
    h.append("<h2>").append(esc(labels.text(section))).append("</h2>\n<table>\n<tr><th></th><th>")
        .append(esc(labels.text(measure))).append("</th></tr>\n");
    for (String r : t.rows()) {
      row(h, labels.code(dimension, r), t.cell(r, Table.COUNT).orElseThrow());
    }
    h.append("</table>\n");
  }

  private static void img(StringBuilder h, byte[] png, String alt) {
    h.append("<p><img alt=\"").append(esc(alt)).append("\" width=\"").append(Charts.WIDTH)
        .append("\" height=\"").append(Charts.HEIGHT).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
  }

  private static void row(StringBuilder h, String label, Cell c) {
    h.append("<tr><td>").append(esc(label)).append("</td>");
    num(h, c);
    h.append("</tr>\n");
  }

  private static void num(StringBuilder h, Cell c) {
    h.append("<td class=\"n\">").append(esc(c.display())).append("</td>");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}

package org.testigo.cli.stats;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The three charts of the HTML page (reports by month, by state, the funnel), drawn by
 * JFreeChart from published cells only: a suppressed value has no bar, and its category label
 * says it was suppressed. PNG output; needs {@code java.awt.headless=true} on a server
 * (set by {@link #png}).
 */
public final class Charts {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 500;
  public static final String MONTH_PNG = "reports-by-month.png";
  public static final String STATE_PNG = "reports-by-state.png";
  public static final String FUNNEL_PNG = "funnel.png";
  private static final Color BAR = new Color(0x1f, 0x5f, 0x8b);

  private Charts() {}

  /** Column totals of the state x month table: one bar per month. */
  public static JFreeChart byMonth(StatsReport report, Labels labels) {
    Table t = report.table(StatsEngine.REPORTS_BY_STATE_MONTH);
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (String month : t.columns()) {
      if (!month.equals(Table.TOTAL)) {
        add(ds, labels, labels.text("count"), month, t.cell(Table.TOTAL, month).orElseThrow());
      }
    }
    JFreeChart chart = bar(labels.text("chart.month.title"), labels.text("chart.month.axis"),
        labels.text("count"), ds, PlotOrientation.VERTICAL);
    ((CategoryPlot) chart.getPlot()).getDomainAxis()
        .setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    return chart;
  }

  /** Row totals of the state x month table: states with reports, largest first. */
  public static JFreeChart byState(StatsReport report, Labels labels) {
    Table t = report.table(StatsEngine.REPORTS_BY_STATE_MONTH);
    List<Cell> totals = new ArrayList<>();
    for (String state : t.rows()) {
      Cell c = t.cell(state, Table.TOTAL).orElseThrow();
      if (!state.equals(Table.TOTAL) && (c.suppressed() || c.value().signum() > 0)) {
        totals.add(c);
      }
    }
    totals.sort(Comparator.comparing((Cell c) -> c.suppressed())
        .thenComparing(c -> c.suppressed() ? BigDecimal.ZERO : c.value().negate())
        .thenComparing(Cell::row));
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (Cell c : totals) {
      add(ds, labels, labels.text("count"), labels.code("state", c.row()), c);
    }
    return bar(labels.text("chart.state.title"), labels.text("chart.state.axis"),
        labels.text("count"), ds, PlotOrientation.HORIZONTAL);
  }

  /** The funnel counts, one horizontal bar per step in funnel order. */
  public static JFreeChart funnel(StatsReport report, Labels labels) {
    Table t = report.table(StatsEngine.FUNNEL);
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (String step : t.rows()) {
      add(ds, labels, labels.text("count"), labels.code("step", step),
          t.cell(step, Table.COUNT).orElseThrow());
    }
    return bar(labels.text("chart.funnel.title"), labels.text("chart.funnel.axis"),
        labels.text("count"), ds, PlotOrientation.HORIZONTAL);
  }

  /** The chart as PNG bytes of {@link #WIDTH} x {@link #HEIGHT}. */
  public static byte[] png(JFreeChart chart) {
    System.setProperty("java.awt.headless", "true");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void add(DefaultCategoryDataset ds, Labels labels, String series,
      String category, Cell c) {
    String key = c.suppressed() ? category + " (" + labels.text("suppressed") + ")" : category;
    ds.addValue(c.suppressed() ? null : c.value(), series, key);
  }

  private static JFreeChart bar(String title, String categoryAxis, String valueAxis,
      DefaultCategoryDataset ds, PlotOrientation orientation) {
    JFreeChart chart = ChartFactory.createBarChart(title, categoryAxis, valueAxis, ds,
        orientation, false, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = (CategoryPlot) chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
    plot.getDomainAxis().setMaximumCategoryLabelLines(2);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setSeriesPaint(0, BAR);
    return chart;
  }
}

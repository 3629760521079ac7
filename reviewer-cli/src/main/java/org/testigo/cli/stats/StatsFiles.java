package org.testigo.cli.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The data files of a report: {@code testigo-stats.csv} and {@code testigo-stats.json},
 * language-independent, columns and fields documented in docs/spec/case-events.md §7. Both are written
 * from the {@link StatsReport} alone; every string in them is a table id, a dimension name or
 * a code, and each one is checked against {@link #SAFE} before it is written.
 */
public final class StatsFiles {
  public static final String CSV_NAME = "testigo-stats.csv";
  public static final String JSON_NAME = "testigo-stats.json";
  /** The CSV header, stable across versions of format 1. */
  public static final String CSV_HEADER = "table,row,column,value,suppressed";
  /** Every string in the data files matches this (so CSV needs no quoting). */
  public static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private StatsFiles() {}

  /** The CSV file: one line per published cell, in table and cell order, LF line ends. */
  public static byte[] csv(StatsReport report) {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (Table t : report.tables()) {
      for (Cell c : t.cells()) {
        sb.append(safe(t.id())).append(',').append(safe(c.row())).append(',')
            .append(safe(c.column())).append(',').append(c.display()).append(',')
            .append(c.suppressed()).append('\n');
      }
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The JSON file (UTF-8, indented). */
  public static byte[] json(StatsReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "testigo-stats");
    root.put("version", StatsReport.FORMAT_VERSION);
    root.put("minCell", report.minCell());
    root.put("from", report.from().toString());
    root.put("to", report.to().toString());
    root.put("asOf", report.asOf().toString());
    root.put("suppressedMark", Cell.SUPPRESSED_MARK);
    ArrayNode tables = root.putArray("tables");
    for (Table t : report.tables()) {
      ObjectNode tn = tables.addObject();
      tn.put("id", safe(t.id()));
      tn.put("rowDimension", safe(t.rowDimension()));
      tn.put("columnDimension", safe(t.columnDimension()));
      ArrayNode rows = tn.putArray("rows");
      t.rows().forEach(r -> rows.add(safe(r)));
      ArrayNode cols = tn.putArray("columns");
      t.columns().forEach(c -> cols.add(safe(c)));
      ArrayNode cells = tn.putArray("cells");
      for (Cell c : t.cells()) {
        ObjectNode cn = cells.addObject();
        cn.put("row", safe(c.row()));
        cn.put("column", safe(c.column()));
        if (c.suppressed()) {
          cn.putNull("value");
        } else {
          cn.put("value", c.value());
        }
        cn.put("display", c.display());
        cn.put("suppressed", c.suppressed());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON serialisation failed", e);
    }
  }

  private static String safe(String s) {
    if (!SAFE.matcher(s).matches()) {
      throw new IllegalStateException("refusing to publish a string that is not a code");
    }
    return s;
  }
}

package org.testigo.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsEngineTest {
  private static final StatsReport REPORT =
      StatsEngine.compute(Corpus.cases(), StatsOptions.defaults(Corpus.AS_OF));

  @Test
  void csv_matchesTheCommittedExpectedTableExactly() throws IOException {
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/stats/expected-corpus.csv")) {
      expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    assertThat(new String(StatsFiles.csv(REPORT), StandardCharsets.US_ASCII))
        .isEqualTo(expected);
  }

  @Test
  void csv_doesNotDependOnTheOrderOfCases() {
    List<StatsInput> shuffled = new ArrayList<>(Corpus.cases());
    Collections.shuffle(shuffled, new java.util.Random(7));
    assertThat(StatsFiles.csv(StatsEngine.compute(shuffled,
        StatsOptions.defaults(Corpus.AS_OF)))).isEqualTo(StatsFiles.csv(REPORT));
  }

  @Test
  void stateByMonth_publishesKnownCountsAndTotals() {
    Table t = REPORT.table(StatsEngine.REPORTS_BY_STATE_MONTH);
    assertThat(t.columns()).containsExactly("2025-01", "2025-02", "2025-03", "2025-04",
        "2025-05", "2025-06", Table.TOTAL);
    assertThat(t.rows()).hasSize(34);
    assertThat(count(t, Table.TOTAL, Table.TOTAL)).isEqualTo(Corpus.TOTAL);
    assertThat(count(t, "CHP", "2025-01")).isEqualTo(10);
    assertThat(count(t, Table.TOTAL, "2025-06")).isEqualTo(20);
    assertThat(count(t, "CHP", Table.TOTAL)).isEqualTo(40);
    assertThat(count(t, "JAL", "2025-03")).isZero();
  }

  @Test
  void stateByMonth_hidesTheSmallCellAndEveryCellThatWouldRevealItBySubtraction() {
    Table t = REPORT.table(StatsEngine.REPORTS_BY_STATE_MONTH);
    // OAX/March = 2 (primary); without complementary cells, 29 - 6 - 5 - 6 - 5 - 5 = 2.
    assertThat(t.cell("OAX", "2025-03").orElseThrow().suppressed()).isTrue();
    assertThat(hiddenIn(t, "OAX", true)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(hiddenIn(t, "2025-03", false)).hasSizeGreaterThanOrEqualTo(2);
    // TAM (3 in May) and unknown (1 in January): cells and row totals.
    assertThat(t.cell("TAM", "2025-05").orElseThrow().suppressed()).isTrue();
    assertThat(t.cell("TAM", Table.TOTAL).orElseThrow().suppressed()).isTrue();
    assertThat(t.cell("unknown", Table.TOTAL).orElseThrow().suppressed()).isTrue();
    // 3 + 1 hidden row totals would be 4 = 102 - 40 - 29 - 29: one more total is hidden.
    assertThat(hiddenIn(t, Table.TOTAL, false)).hasSizeGreaterThanOrEqualTo(3);
    SuppressionTest.assertSafe(t, 5);
  }

  @Test
  void mentions_outcomesAndReferrals_haveKnownCountsAndComplementaryCells() {
    Table cat = REPORT.table(StatsEngine.CATEGORY_MENTIONS);
    assertThat(count(cat, "extortion", Table.COUNT)).isEqualTo(60);
    assertThat(count(cat, Table.TOTAL, Table.COUNT)).isEqualTo(132);
    assertThat(hiddenIn(cat, Table.COUNT, false)).containsExactly("assault", "trafficking");
    Table who = REPORT.table(StatsEngine.AGENCY_MENTIONS);
    assertThat(hiddenIn(who, Table.COUNT, false)).containsExactly("inm", "guardia-nacional");
    assertThat(count(who, "criminal-group", Table.COUNT)).isEqualTo(51);
    Table out = REPORT.table(StatsEngine.OUTCOMES);
    assertThat(count(out, "open", Table.COUNT)).isEqualTo(72);
    assertThat(hiddenIn(out, Table.COUNT, false)).containsExactly("withdrawn", "referred");
    Table inst = REPORT.table(StatsEngine.REFERRALS_BY_INSTITUTION);
    assertThat(hiddenIn(inst, Table.COUNT, false)).containsExactly("fgr", "comar");
    assertThat(count(inst, "cndh", Table.COUNT)).isEqualTo(20);
  }

  @Test
  void funnel_countsEachStepAndTheDaysFromThePreviousStep() {
    Table f = REPORT.table(StatsEngine.FUNNEL);
    assertThat(count(f, "received", Table.COUNT)).isEqualTo(102);
    assertThat(count(f, "acknowledged", Table.COUNT)).isEqualTo(90);
    assertThat(count(f, "referred", Table.COUNT)).isEqualTo(40);
    assertThat(count(f, "investigation_opened", Table.COUNT)).isEqualTo(20);
    assertThat(f.cell("charges", Table.COUNT).orElseThrow().suppressed()).isTrue();
    assertThat(count(f, "sentence_or_recommendation", Table.COUNT)).isEqualTo(7);
    Table d = REPORT.table(StatsEngine.FUNNEL_DAYS);
    // Acknowledgement delays 0..9 days, 9 cases each: median rank 45 -> 4, p90 rank 81 -> 8.
    assertThat(count(d, "acknowledged", "median_days")).isEqualTo(4);
    assertThat(count(d, "acknowledged", "p90_days")).isEqualTo(8);
    // Referral 10 days after receipt, acknowledged after i % 10 days: 1..10, 4 each.
    assertThat(count(d, "referred", "median_days")).isEqualTo(5);
    assertThat(count(d, "referred", "p90_days")).isEqualTo(9);
    assertThat(count(d, "investigation_opened", "median_days")).isEqualTo(30);
    assertThat(d.cell("charges", "median_days").orElseThrow().suppressed()).isTrue();
    // One sentence 60 days after charges, six recommendations 90 days after investigation;
    // 7 durations: the median is published, the p90 (= the largest) is not.
    assertThat(count(d, "sentence_or_recommendation", "median_days")).isEqualTo(90);
    assertThat(d.cell("sentence_or_recommendation", "p90_days").orElseThrow().suppressed())
        .isTrue();
  }

  @Test
  void funnelBranches_splitProsecutorsFromCommissionsWithPrimarySuppression() {
    // 20 cases referred to prosecutors (10 with an investigation, 4 charged, 1 sentenced) and
    // 20 to commissions (10 complaints admitted, 6 recommendations): counted independently.
    Table p = REPORT.table(StatsEngine.FUNNEL_PROSECUTION);
    assertThat(p.rows()).containsExactlyElementsOf(StatsEngine.PROSECUTION_STEPS);
    assertThat(count(p, "referred", Table.COUNT)).isEqualTo(20);
    assertThat(count(p, "investigation_opened", Table.COUNT)).isEqualTo(10);
    assertThat(p.cell("charges", Table.COUNT).orElseThrow().suppressed()).isTrue();
    assertThat(p.cell("sentence", Table.COUNT).orElseThrow().suppressed()).isTrue();
    Table c = REPORT.table(StatsEngine.FUNNEL_COMMISSION);
    assertThat(c.rows()).containsExactlyElementsOf(StatsEngine.COMMISSION_STEPS);
    assertThat(count(c, "referred", Table.COUNT)).isEqualTo(20);
    assertThat(count(c, "complaint_admitted", Table.COUNT)).isEqualTo(10);
    assertThat(count(c, "recommendation", Table.COUNT)).isEqualTo(6);
  }

  @Test
  void deadlines_shareMetExcludesCasesWhoseDeadlineHasNotPassed() {
    Table d = REPORT.table(StatsEngine.DEADLINES);
    assertThat(count(d, "acknowledge", "met")).isEqualTo(72);
    assertThat(count(d, "acknowledge", "not_met")).isEqualTo(30);
    assertThat(d.value("acknowledge", "share_met_percent")).contains(new BigDecimal("70.6"));
    // Feedback after 30 days for Jan-Feb (41); none for Mar (15) and Apr (11, due before
    // 15 July); May-June are still within their 3 months and not counted.
    assertThat(count(d, "first_feedback", "met")).isEqualTo(41);
    assertThat(count(d, "first_feedback", "not_met")).isEqualTo(26);
    assertThat(count(d, "first_feedback", Table.TOTAL)).isEqualTo(67);
  }

  @Test
  void json_parsesAndHoldsTheSameCellsAsTheCsv() throws IOException {
    JsonNode root = new ObjectMapper().readTree(StatsFiles.json(REPORT));
    assertThat(root.path("format").asText()).isEqualTo("testigo-stats");
    assertThat(root.path("version").asInt()).isEqualTo(1);
    assertThat(root.path("minCell").asInt()).isEqualTo(5);
    assertThat(root.path("from").asText()).isEqualTo("2025-01");
    assertThat(root.path("to").asText()).isEqualTo("2025-06");
    List<String> lines = new ArrayList<>();
    lines.add(StatsFiles.CSV_HEADER);
    for (JsonNode t : root.path("tables")) {
      for (JsonNode c : t.path("cells")) {
        boolean hidden = c.path("suppressed").asBoolean();
        assertThat(c.path("value").isNull()).isEqualTo(hidden);
        String display = hidden ? c.path("display").asText()
            : c.path("value").decimalValue().toPlainString();
        assertThat(display).isEqualTo(c.path("display").asText());
        lines.add(String.join(",", t.path("id").asText(), c.path("row").asText(),
            c.path("column").asText(), display, String.valueOf(hidden)));
      }
    }
    assertThat(String.join("\n", lines) + "\n")
        .isEqualTo(new String(StatsFiles.csv(REPORT), StandardCharsets.US_ASCII));
  }

  private static long count(Table t, String row, String col) {
    return t.value(row, col).orElseThrow(() -> new AssertionError(row + "/" + col + " hidden"))
        .longValueExact();
  }

  private static List<String> hiddenIn(Table t, String code, boolean isRow) {
    return t.cells().stream().filter(Cell::suppressed)
        .filter(c -> (isRow ? c.row() : c.column()).equals(code))
        .map(c -> isRow ? c.column() : c.row()).toList();
  }
}

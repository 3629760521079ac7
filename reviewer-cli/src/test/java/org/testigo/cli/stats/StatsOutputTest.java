package org.testigo.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.cli.ReviewerCli;
import org.testigo.cli.cases.CaseAction;
import org.testigo.cli.cases.CaseState;
import org.testigo.cli.cases.Outcome;
import org.testigo.cli.cases.Priority;
import org.testigo.cli.cases.ReferralTarget;
import org.testigo.cli.cases.Status;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;

class StatsOutputTest {
  private static final String MARKER = "ZQXMARKER7731";

  @TempDir Path dir;

  @Test
  void charts_arePngImagesOfTheAnnouncedSizeWithBarsDrawn() throws IOException {
    StatsReport report = StatsEngine.compute(Corpus.cases(), StatsOptions.defaults(Corpus.AS_OF));
    StatsCommand.write(report, Labels.of(Labels.Lang.EN), Labels.Lang.EN, dir);
    for (String name : List.of(Charts.MONTH_PNG, Charts.STATE_PNG, Charts.FUNNEL_PNG)) {
      byte[] png = Files.readAllBytes(dir.resolve(name));
      assertThat(png).as(name).hasSizeBetween(8_000, 400_000);
      assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
      assertThat(img.getHeight()).isEqualTo(Charts.HEIGHT);
      int bar = 0;
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          if (rgb == 0x1f5f8b) {
            bar++;
          }
        }
      }
      assertThat(colours).as(name).hasSizeGreaterThan(10);
      assertThat(bar).as("bar pixels in " + name).isGreaterThan(5_000);
    }
  }

  @Test
  void htmlPage_isSelfContainedWithoutScriptsAndInTheChosenLanguage() throws IOException {
    StatsReport report = StatsEngine.compute(Corpus.cases(), StatsOptions.defaults(Corpus.AS_OF));
    StatsCommand.write(report, Labels.of(Labels.Lang.ES), Labels.Lang.ES, dir.resolve("es"));
    StatsCommand.write(report, Labels.of(Labels.Lang.EN), Labels.Lang.EN, dir.resolve("en"));
    String es = Files.readString(dir.resolve("es").resolve(HtmlPage.NAME));
    String en = Files.readString(dir.resolve("en").resolve(HtmlPage.NAME));
    for (String html : List.of(es, en)) {
      String lower = html.toLowerCase(java.util.Locale.ROOT);
      assertThat(lower).doesNotContain("<script", "javascript:", "http:", "https:", "<link",
          "@import", "url(", "<iframe", "<object", "<form", " on");
      assertThat(lower).contains("content-security-policy", "default-src 'none'");
      Pattern src = Pattern.compile("src=\"([^\"]*)\"");
      var m = src.matcher(html);
      int images = 0;
      while (m.find()) {
        assertThat(m.group(1)).startsWith("data:image/png;base64,");
        images++;
      }
      assertThat(images).isEqualTo(3);
    }
    assertThat(es).contains("<html lang=\"es\">", "Denuncias recibidas por mes", "Chiapas",
        "Sentencia o recomendación", "Extorsión");
    assertThat(en).contains("<html lang=\"en\">", "Reports received by month",
        "Sentence or recommendation", "Extortion");
    // Suppressed cells show the mark, never a number below the threshold.
    assertThat(en).contains("<td class=\"n\">x</td>");
    assertThat(Files.readAllBytes(dir.resolve("es").resolve(StatsFiles.CSV_NAME)))
        .isEqualTo(Files.readAllBytes(dir.resolve("en").resolve(StatsFiles.CSV_NAME)));
  }

  @Test
  void statsInput_hasNoTextComponentAnywhere() {
    assertNoText(StatsInput.class, new HashSet<>());
  }

  private static void assertNoText(Type type, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      assertNoText(p.getRawType(), seen);
      for (Type a : p.getActualTypeArguments()) {
        assertNoText(a, seen);
      }
      return;
    }
    Class<?> c = (Class<?>) type;
    assertThat(CharSequence.class.isAssignableFrom(c) || c == Object.class || c == char[].class
        || c == byte[].class).as("type %s", c).isFalse();
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        assertNoText(rc.getGenericType(), seen);
      }
    } else {
      assertThat(c.isEnum() || c == LocalDate.class || c == Set.class || c == List.class)
          .as("component type %s", c).isTrue();
    }
  }

  @Test
  void outputFiles_neverContainTextFromReportsOrCaseNotes() throws IOException {
    List<StatsInput> cases = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      LocalDate received = LocalDate.of(2025, 1 + i % 6, 1 + i % 28);
      String questionnaire = """
          {"version":1,"language":"es","what":["extortion","other"],"whatOther":"%1$s what",
           "who":["inm","other"],"whoOther":"%1$s who",
           "identifying":{"uniform":"%1$s u","badge":"%1$s b","plates":"%1$s p","unit":"%1$s n"},
           "where":{"state":"%2$s","place":"%1$s place","placeKind":"train"},
           "when":{"date":"2025-01-02","approximate":"%1$s when"},
           "victims":{"count":3,"minors":"yes","minorsCount":1},
           "narrative":"%1$s narrative CHP 2025-01 x","wants":["reply"]}
          """.formatted(MARKER, i % 2 == 0 ? "CHP" : "OAX");
      StatsInputs.ReportFacts facts =
          StatsInputs.questionnaire(questionnaire.getBytes(StandardCharsets.UTF_8));
      cases.add(StatsInputs.fromCase(caseState(i, received), facts));
    }
    assertThat(cases.get(0).state()).isEqualTo(MxState.CHP);
    assertThat(cases.get(0).categories()).containsExactly(AbuseCategory.EXTORTION, AbuseCategory.OTHER);
    assertThat(cases.get(0).referrals()).hasSize(2);
    StatsReport report = StatsEngine.compute(cases,
        new StatsOptions(5, null, YearMonth.of(2025, 6), LocalDate.of(2025, 9, 1),
            org.testigo.cli.cases.Deadlines.DEFAULT));
    StatsCommand.write(report, Labels.of(Labels.Lang.ES), Labels.Lang.ES, dir);
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    byte[] markerLower = MARKER.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(6);
      for (Path f : all) {
        byte[] data = Files.readAllBytes(f);
        assertThat(indexOf(data, marker)).as(f.toString()).isEqualTo(-1);
        assertThat(indexOf(data, markerLower)).as(f.toString()).isEqualTo(-1);
      }
    }
    // Every string in the CSV is a table id, a known code, a month, a number or the mark.
    Set<String> codes = new TreeSet<>();
    for (Class<? extends Code> e : List.of(MxState.class, CaseOutcome.class, Institution.class,
        FunnelStep.class)) {
      for (Code c : e.getEnumConstants()) {
        codes.add(c.code());
      }
    }
    codes.addAll(Vocabulary.codes(AbuseCategory.class));
    codes.addAll(Vocabulary.codes(Perpetrator.class));
    codes.addAll(List.of("total", "count", "met", "not_met", "share_met_percent", "n",
        "median_days", "p90_days", "acknowledge", "first_feedback", "format_version",
        "min_cell", "true", "false", Cell.SUPPRESSED_MARK));
    codes.addAll(StatsEngine.PROSECUTION_STEPS);
    codes.addAll(StatsEngine.COMMISSION_STEPS);
    report.tables().forEach(t -> codes.add(t.id()));
    Pattern numberOrMonth = Pattern.compile("\\d+(\\.\\d)?|\\d{4}-\\d{2}");
    List<String> lines = Files.readAllLines(dir.resolve(StatsFiles.CSV_NAME));
    assertThat(lines.get(0)).isEqualTo(StatsFiles.CSV_HEADER);
    for (String line : lines.subList(1, lines.size())) {
      for (String field : line.split(",", -1)) {
        assertThat(codes.contains(field) || numberOrMonth.matcher(field).matches())
            .as("field %s", field).isTrue();
      }
    }
  }

  private static CaseState caseState(int i, LocalDate received) {
    byte[] cid = new byte[CaseId.LENGTH];
    cid[0] = (byte) i;
    byte[] eid = new byte[EventId.LENGTH];
    eid[0] = (byte) i;
    EventId ev = EventId.fromBytes(eid);
    Instant at = received.plusDays(3).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    List<CaseState.Recorded<CaseAction.Note>> notes = List.of(new CaseState.Recorded<>(ev,
        "ana", at, new CaseAction.Note(MARKER + " note with names")));
    List<CaseState.Recorded<CaseAction.Refer>> refs = List.of(
        new CaseState.Recorded<>(ev, "ana", at, new CaseAction.Refer(ReferralTarget.OTHER, null,
            MARKER + " institution", MARKER + "-ref", received.plusDays(4))),
        new CaseState.Recorded<>(ev, "ana", at, new CaseAction.Refer(
            ReferralTarget.FISCALIA_ESTATAL, "CHP", null, MARKER + "-ref2", received.plusDays(5))));
    boolean closed = i % 3 == 0;
    return new CaseState(CaseId.fromBytes(cid), received,
        closed ? Status.CLOSED : Status.REFERRED, "ana", Priority.HIGH,
        closed ? Outcome.REFERRED : null, new TreeSet<>(Set.of("minor")), notes, refs,
        List.of(), List.of(), at, i % 2 == 0 ? at.plusSeconds(86_400 * 20) : null,
        closed ? at.plusSeconds(86_400 * 40) : null, List.of());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void statsCommand_writesAllFilesAndRefusesToOverwriteThem() throws IOException {
    Path input = dir.resolve("cases.jsonl");
    List<String> lines = Corpus.cases().stream().map(StatsInputs::toJsonLine).toList();
    Files.write(input, lines);
    Path out = dir.resolve("out");
    String[] args = {"stats", "--input", input.toString(), "--out", out.toString(),
        "--as-of", "2025-07-15", "--lang", "en"};
    StringWriter so = new StringWriter();
    StringWriter se = new StringWriter();
    assertThat(ReviewerCli.run(args, new PrintWriter(so, true), new PrintWriter(se, true)))
        .as(se.toString()).isEqualTo(ExitCodes.OK);
    assertThat(so.toString()).contains("Wrote 6 files", "2025-01 to 2025-06");
    assertThat(Files.readString(out.resolve(StatsFiles.CSV_NAME))).isEqualTo(new String(
        getClass().getResourceAsStream("/stats/expected-corpus.csv").readAllBytes(),
        StandardCharsets.US_ASCII));
    assertThat(ReviewerCli.run(args, new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()))).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void statsCommand_rejectsBadInputWithoutEchoingIt() throws IOException {
    Path input = dir.resolve("bad.jsonl");
    Files.writeString(input, "{\"received\":\"2025-01-01\",\"state\":\"CHP\",\"outcome\":\"open\","
        + "\"narrative\":\"" + MARKER + "\"}\n");
    StringWriter se = new StringWriter();
    int code = ReviewerCli.run(new String[] {"stats", "--input", input.toString(), "--out",
        dir.resolve("o").toString(), "--as-of", "2025-07-15"}, new PrintWriter(new StringWriter()),
        new PrintWriter(se, true));
    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(se.toString()).contains("line 1", "unknown field").doesNotContain(MARKER);
    assertThat(Files.exists(dir.resolve("o"))).isFalse();
  }

  @Test
  void statsInputLines_roundTrip() throws IOException {
    List<StatsInput> cases = Corpus.cases();
    String text = String.join("\n", cases.stream().map(StatsInputs::toJsonLine).toList());
    assertThat(StatsInputs.readJsonLines(new java.io.StringReader(text))).isEqualTo(cases);
  }
}

package org.testigo.cli.stats;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.cases.Deadlines;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stats}: publishable statistics (CSV, JSON, PNG charts, one static HTML page) from a
 * stats-input v1 file ({@code --input}) or from the synced cache opened in memory
 * ({@code --from-cache}, see {@link CachedStatsInputs}). Output files are created new in DIR (never overwritten). Nothing of the
 * input but enumerated codes, counts and months reaches the output.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Publishable statistics: reports by month, state, category, agency and"
        + " outcome; the impunity funnel; deadline compliance. Small cells are suppressed.",
        "Writes testigo-stats.csv, testigo-stats.json, three PNG charts and index.html."})
public final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Where the cases come from: a stats-input file, or the synced cache opened in memory. */
  static final class Source {
    @Option(names = "--input", required = true, paramLabel = "FILE",
        description = "Stats input v1 (JSON lines, one case per line; see docs/spec/case-events.md §7).")
    Path input;

    @Option(names = "--from-cache", required = true,
        description = "Build the inputs from every synced report of the server, decrypted in memory"
            + " and replayed with its verified case events (needs the keystore; no file is written"
            + " but the outputs).")
    boolean fromCache;
  }

  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Directory to write into (created if missing; existing files refused).")
  Path out;

  @Option(names = "--lang", defaultValue = "es", paramLabel = "es|en",
      description = "Language of charts and page (default: ${DEFAULT-VALUE}).")
  String lang;

  @Option(names = "--min-cell", defaultValue = "5", paramLabel = "N",
      description = "Smallest count published (default: ${DEFAULT-VALUE}); at least 2.")
  int minCell;

  @Option(names = "--from", paramLabel = "YYYY-MM", description = "First month received.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM",
      description = "Last month received (default: the last month complete on --as-of).")
  String to;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "Count case milestones up to this day, UTC (default: today).")
  String asOf;

  @Override
  public Integer call() throws IOException, CryptoException {
    Labels.Lang language = switch (lang) {
      case "es" -> Labels.Lang.ES;
      case "en" -> Labels.Lang.EN;
      default -> throw new CliException(ExitCodes.USAGE, "--lang must be es or en");
    };
    if (minCell < 2) {
      throw new CliException(ExitCodes.USAGE, "--min-cell must be at least 2");
    }
    StatsOptions options;
    try {
      options = new StatsOptions(minCell, month(from, "--from"), month(to, "--to"),
          asOf == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(asOf),
          Deadlines.DEFAULT);
    } catch (DateTimeParseException e) {
      throw new CliException(ExitCodes.USAGE, "--as-of must be a date YYYY-MM-DD");
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    List<StatsInput> cases;
    List<StatsEngine.Counted> erased = List.of();
    if (source.fromCache) {
      CachedStatsInputs.Result fromCache = CachedStatsInputs.read(home, keystore, passphrase,
          spec.commandLine().getErr());
      cases = fromCache.inputs();
      erased = fromCache.erased();
      spec.commandLine().getOut().println(cases.size() + " case(s) from the cache"
          + (erased.isEmpty() ? "" : ", " + erased.size() + " erased case(s) from their statistical records")
          + (fromCache.skipped() > 0 ? "; " + fromCache.skipped() + " report(s) skipped (a questionnaire"
              + " value or a date the statistics do not accept)" : "")
          + (fromCache.unreadable() > 0 ? "; " + fromCache.unreadable() + " submission(s) do not open with"
              + " your key" : "")
          + (fromCache.notReports() > 0 ? "; " + fromCache.notReports() + " submission(s) left out as not"
              + " reports (not valid, or closed as spam)" : "")
          + (fromCache.refusedEvents() > 0 ? "; " + fromCache.refusedEvents() + " event(s) failed"
              + " verification and were not counted" : ""));
    } else {
      Path input = source.input;
      if (!Files.isRegularFile(input)) {
        throw new CliException(ExitCodes.IO, "file not found: " + input);
      }
      try (Reader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
        cases = StatsInputs.readJsonLines(r);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "stats input: " + e.getMessage());
      }
    }
    StatsReport report = StatsEngine.compute(cases, erased, options);
    List<Path> written = write(report, Labels.of(language), language, out);
    long hidden = report.tables().stream().flatMap(t -> t.cells().stream())
        .filter(Cell::suppressed).count();
    spec.commandLine().getOut().println("Wrote " + written.size() + " files to " + out + " ("
        + report.from() + " to " + report.to() + ", " + hidden + " cells suppressed below "
        + minCell + ")");
    return ExitCodes.OK;
  }

  /** Writes every output file of {@code report} into {@code dir}; refuses to overwrite. */
  public static List<Path> write(StatsReport report, Labels labels, Labels.Lang lang, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    byte[] month = Charts.png(Charts.byMonth(report, labels));
    byte[] state = Charts.png(Charts.byState(report, labels));
    byte[] funnel = Charts.png(Charts.funnel(report, labels));
    String html = HtmlPage.render(report, labels, lang, month, state, funnel);
    return List.of(
        create(dir.resolve(StatsFiles.CSV_NAME), StatsFiles.csv(report)),
        create(dir.resolve(StatsFiles.JSON_NAME), StatsFiles.json(report)),
        create(dir.resolve(Charts.MONTH_PNG), month),
        create(dir.resolve(Charts.STATE_PNG), state),
        create(dir.resolve(Charts.FUNNEL_PNG), funnel),
        create(dir.resolve(HtmlPage.NAME), html.getBytes(StandardCharsets.UTF_8)));
  }

  private static Path create(Path p, byte[] data) throws IOException {
    Files.write(p, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return p;
  }

  private static YearMonth month(String s, String option) {
    if (s == null) {
      return null;
    }
    try {
      return YearMonth.parse(s);
    } catch (DateTimeParseException e) {
      throw new CliException(ExitCodes.USAGE, option + " must be a month YYYY-MM");
    }
  }
}

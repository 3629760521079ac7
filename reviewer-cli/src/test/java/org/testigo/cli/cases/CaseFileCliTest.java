package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.ReviewerCli;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * {@code export} and {@code stats --from-cache} against a real intake server (demo
 * organisation): a report with an attachment, synced, noted and acknowledged, exported as a
 * case file whose hashes are recomputed here from the cache and the files themselves; then
 * two more reports with triage events, counted from the cache with small cells suppressed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseFileCliTest {
  static final Path DATA = ReviewerServerCliTest.temp("testigo-export-server-");
  static final Path HOME = ReviewerServerCliTest.temp("testigo-export-home-");
  static final String MARKER = "MRK" + HexFormat.of().formatHex(new SecureRandom().generateSeed(10));
  static final String NOTE = "Nota interna " + MARKER + "-note";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static String reportId;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static CliResult reviewer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString(), "-k", DATA.resolve("demo/reviewer.keystore").toString(),
        "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    return CliResult.run(all.toArray(String[]::new));
  }

  static void report(String what, String state, String narrative, boolean withFile) throws Exception {
    String b = "----ExportBoundary";
    byte[] body = ReviewerServerCliTest.multipart(b, List.of(new String[] {"version", "1"}, new String[] {"lang", "es"},
        new String[] {"what", what}, new String[] {"who", "inm"}, new String[] {"state", state},
        new String[] {"place_kind", "train"}, new String[] {"narrative", narrative},
        new String[] {"wants", "reply"}), withFile ? "foto.jpg" : null,
        ("JPEGDATA " + MARKER).getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
        + "/report?lang=es")).header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  @Order(1)
  void setUp_reportSyncNoteAndAck() throws Exception {
    String root = Files.readString(DATA.resolve("root-fingerprint")).strip();
    assertThat(ReviewerCli.run(new String[] {"server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", root,
        "--home", HOME.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
    report("extortion", "CHP", "Nos pidieron dinero en el tren. " + MARKER, true);
    var sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
    try (Stream<Path> s = Files.list(HOME.resolve("cache/default/submissions"))) {
      reportId = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tgenv")).findFirst().orElseThrow()
          .replace(".tgenv", "");
    }
    Path note = HOME.resolve("note.txt");
    Files.writeString(note, NOTE);
    var n = reviewer("note", reportId, "--file", note.toString());
    assertThat(n.code()).as(n.err()).isZero();
    var a = reviewer("ack", reportId);
    assertThat(a.code()).as(a.err()).isZero();
  }

  @Test
  @Order(2)
  void export_writesTheCaseFileWithHashesThatRecomputeFromTheCacheAndTheFiles() throws Exception {
    Path out = ReviewerServerCliTest.temp("testigo-export-out-");
    var r = reviewer("export", reportId.substring(0, 10), "--out", out.toString(), "--lang", "en");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 verified event(s)").contains("1 attachment(s)");
    assertThat(r.err()).contains("metadata");

    assertThat(Files.readString(out.resolve("report.txt"))).contains(MARKER).contains("Extortion")
        .contains("Chiapas (CHP)").contains("foto.jpg").contains("acknowledged");
    JsonNode q = JSON.readTree(out.resolve("questionnaire.json").toFile());
    assertThat(q.path("version").asInt()).isEqualTo(1);
    assertThat(q.path("narrative").asText()).contains(MARKER);
    assertThat(Files.readString(out.resolve("attachments/foto.jpg"))).isEqualTo("JPEGDATA " + MARKER);
    String history = Files.readString(out.resolve("history.txt"));
    assertThat(history).contains("Case " + reportId).contains("2 verified event(s)").contains("note")
        .contains("acknowledged").contains("demo-reviewer").contains("Now: acknowledged;");
    assertThat(history.lines().filter(l -> l.contains("[applied]")).count()).isEqualTo(2);

    String hashes = Files.readString(out.resolve("hashes.txt"));
    byte[] envelope = Files.readAllBytes(HOME.resolve("cache/default/submissions/" + reportId + ".tgenv"));
    JsonNode listing = JSON.readTree(HOME.resolve("cache/default/submissions/" + reportId + ".json").toFile());
    LogLeaf leaf = LogLeaf.ofObject(LogLeaf.EntryType.SUBMISSION,
        LocalDate.parse(listing.path("receivedDay").asText()).atStartOfDay().toInstant(ZoneOffset.UTC), envelope);
    assertThat(hashes).contains("envelope " + reportId + " report " + listing.path("receivedDay").asText()
        + " object=" + sha256(envelope) + " leaf=" + HexFormat.of().formatHex(leaf.leafHash()));
    assertThat(sha256(envelope)).isEqualTo(listing.path("sha256").asText());

    JsonNode events = JSON.readTree(out.resolve("events.json").toFile());
    assertThat(events).hasSize(2);
    List<String> types = new ArrayList<>();
    for (JsonNode e : events) {
      byte[] signed = Base64.getDecoder().decode(e.path("signed").asText());
      SignedCaseEvent parsed = SignedCaseEvent.parse(signed);
      assertThat(parsed.eventId().hex()).isEqualTo(e.path("eventId").asText());
      assertThat(parsed.caseId().hex()).isEqualTo(reportId);
      assertThat(parsed.verify(parsed.author())).isTrue();
      assertThat(HexFormat.of().formatHex(parsed.author().toBytes())).isEqualTo(e.path("authorKey").asText());
      assertThat(parsed.createdAt().toString()).isEqualTo(e.path("createdAt").asText());
      assertThat(e.path("author").asText()).isEqualTo("demo-reviewer");
      assertThat(e.path("signedSha256").asText()).isEqualTo(sha256(signed));
      assertThat(hashes).contains("event " + parsed.eventId().hex() + " object=" + sha256(signed));
      types.add(e.path("type").asText());
    }
    assertThat(types).containsExactlyInAnyOrder("note", "acknowledge");
    assertThat(Files.readString(out.resolve("events.json"))).contains(NOTE);
    JsonNode kase = JSON.readTree(out.resolve("case.json").toFile());
    assertThat(kase.path("format").asText()).isEqualTo("testigo-case-export");
    assertThat(kase.path("status").asText()).isEqualTo("acknowledged");
    assertThat(kase.path("notes").get(0).path("text").asText()).isEqualTo(NOTE);
    assertThat(kase.path("notes").get(0).path("author").asText()).isEqualTo("demo-reviewer");
    assertThat(kase.path("replies")).isEmpty();
    assertThat(Files.readString(out.resolve("README.txt"))).contains("It holds: 0 reply(ies) to the source, 1 team"
        + " note(s), 0 referral(s), outcome: none (the case is open)").contains("case.json").contains("history.txt");
    assertThat(Files.readString(out.resolve("report.txt"))).contains("Team notes:").contains(NOTE);

    List<String> manifest = Files.readAllLines(out.resolve("MANIFEST.txt"));
    List<Path> written = files(out);
    assertThat(written).hasSize(9);
    assertThat(manifest).hasSize(written.size() - 1);
    for (Path f : written) {
      String rel = out.relativize(f).toString();
      if (!rel.equals("MANIFEST.txt")) {
        assertThat(manifest).contains(sha256(Files.readAllBytes(f)) + "  " + rel);
      }
    }
    // The team's note is in the case file (issue #19), where a case is told, and nowhere else.
    List<String> withNote = new ArrayList<>();
    for (Path f : written) {
      if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(NOTE)) {
        withNote.add(out.relativize(f).toString());
      }
    }
    assertThat(withNote).containsExactlyInAnyOrder("report.txt", "history.txt", "case.json", "events.json");
  }

  @Test
  @Order(3)
  void export_refusesAnExistingNonEmptyDirectoryAndTouchesNothing() throws Exception {
    Path out = ReviewerServerCliTest.temp("testigo-export-busy-");
    Files.writeString(out.resolve("report.txt"), "earlier work");
    var r = reviewer("export", reportId, "--out", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(r.err()).contains("not an empty directory");
    assertThat(files(out)).hasSize(1);
    assertThat(Files.readString(out.resolve("report.txt"))).isEqualTo("earlier work");
  }

  @Test
  @Order(4)
  void statsFromCache_countsTheSyncedCasesByStateCategoryAndOutcomeWithoutAnyNarrative() throws Exception {
    report("extortion", "CHP", "Otra extorsion en Tapachula. " + MARKER, false);
    report("robbery", "OAX", "Robo en Ixtepec. " + MARKER, false);
    assertThat(reviewer("sync").code()).isZero();
    String robbery = null;
    for (String line : reviewer("list", "--category", "robbery").out().lines().toList()) {
      if (line.contains("robbery")) {
        robbery = line.substring(0, 12);
      }
    }
    assertThat(robbery).isNotNull();
    for (String[] c : new String[][] {{"ack", robbery}, {"close", robbery, "unsubstantiated"}}) {
      var r = reviewer(c);
      assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isZero();
    }
    String month = java.time.YearMonth.now(ZoneOffset.UTC).toString();
    Path out = HOME.resolve("stats-out");
    var both = reviewer("stats", "--from-cache", "--input", HOME.resolve("x.jsonl").toString(), "--out", out.toString());
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    var r = reviewer("stats", "--from-cache", "--out", out.toString(), "--min-cell", "2", "--from", month, "--to", month,
        "--lang", "en");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 case(s) from the cache");
    String csv = Files.readString(out.resolve("testigo-stats.csv"));
    assertThat(csv.lines().toList()).contains(
        "reports_by_state_month,total," + month + ",3,false",
        "reports_by_state_month,total,total,3,false",
        "reports_by_state_month,OAX," + month + ",x,true",
        "reports_by_state_month,CHP," + month + ",x,true",
        "category_mentions,robbery,count,x,true",
        "category_mentions,total,count,3,false",
        "agency_mentions,inm,count,3,false",
        "outcomes,unsubstantiated,count,x,true",
        "outcomes,total,count,3,false",
        "funnel,received,count,3,false",
        "funnel,acknowledged,count,2,false",
        "deadlines,acknowledge,met,2,false",
        "deadlines,acknowledge,total,2,false");
    for (Path f : files(HOME.resolve("stats-out"))) {
      assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(MARKER)
          .doesNotContain("Tapachula").doesNotContain("Ixtepec").doesNotContain(NOTE);
    }
    assertThat(r.out() + r.err()).doesNotContain(MARKER);
  }
}

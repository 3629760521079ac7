package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Source-visible progress ({@code publish}), referral outcomes ({@code referral-update}) and
 * the impunity funnel from the cache ({@code stats --from-cache}), in-process against a real
 * intake server (demo organisation, H2): the source reads the published line on the status
 * page in their language; refused input publishes and records nothing; eight cases with
 * known stages give a known funnel.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferralOutcomesCliTest {
  static final Path DATA = ReviewerServerCliTest.temp("testigo-cli-outcomes-");
  static final Path HOME = ReviewerServerCliTest.temp("testigo-cli-outcomes-home-");
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  /** Report ids by name, and their receipts. */
  static final Map<String, String> IDS = new LinkedHashMap<>();
  static final Map<String, String> RECEIPTS = new LinkedHashMap<>();

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      // nine reports and many status pages over one pooled loopback connection (one "circuit"):
      // lift the per-circuit shares, as RealJars does for the end-to-end tests
      ConfigOverride.config("fairness.keyDerivationsPerMinute", "600"),
      ConfigOverride.config("fairness.mailboxesPerHour", "10000"),
      ConfigOverride.config("fairness.submissionsPerHour", "100000"));

  static CliResult reviewer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString(), "-k", DATA.resolve("demo/reviewer.keystore").toString(),
        "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    return CliResult.run(all.toArray(String[]::new));
  }

  static CliResult ok(String... args) {
    CliResult r = reviewer(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** Visits begun per receipt: the receipt is typed once (one derivation), later pages use the visit. */
  static final Map<String, String> VISITS = new java.util.HashMap<>();

  static String statusPage(String receipt, String lang) throws Exception {
    String visit = VISITS.get(receipt);
    String path = visit == null ? "/status?lang=" + lang : "/visit?lang=" + lang;
    String body = visit == null ? "receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8) : "visit=" + visit;
    HttpResponse<String> r = ReviewerServerCliTest.HTTP.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var m = java.util.regex.Pattern.compile("name=\"visit\" value=\"([0-9a-f]+)\"").matcher(r.body());
    assertThat(m.find()).isTrue();
    VISITS.put(receipt, m.group(1));
    return r.body();
  }

  /** Files a report through the HTML form, syncs, and remembers its id and receipt. */
  static void file(String name, String state) throws Exception {
    Set<String> before = cached();
    String b = "----Outcomes";
    byte[] body = ReviewerServerCliTest.multipart(b, List.of(new String[] {"version", "1"}, new String[] {"lang", "es"},
        new String[] {"what", "extortion"}, new String[] {"who", "inm"}, new String[] {"state", state},
        new String[] {"narrative", "Caso " + name}, new String[] {"wants", "reply"}), null, null);
    HttpResponse<String> r = ReviewerServerCliTest.HTTP.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/report?lang=es"))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    var m = java.util.regex.Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    ok("sync");
    Set<String> added = new TreeSet<>(cached());
    added.removeAll(before);
    assertThat(added).hasSize(1);
    IDS.put(name, added.iterator().next());
    RECEIPTS.put(name, m.group(1));
  }

  static Set<String> cached() throws Exception {
    Path dir = HOME.resolve("cache/default/submissions");
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tgenv"))
          .map(n -> n.replace(".tgenv", "")).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** What the source is shown of the case: the progress lines and the replies (not the proofs, whose tree grows). */
  static String pageState(String name) throws Exception {
    var m = java.util.regex.Pattern.compile("<p class=\"progress\">.*?</p>|<article class=\"reply\">.*?</article>"
        + "|<h1>.*?</h1>").matcher(statusPage(RECEIPTS.get(name), "es"));
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      b.append(m.group()).append('\n');
    }
    return b.toString();
  }

  @Test
  @Order(1)
  void setUp_registersTheServerAndFilesNineReports() throws Exception {
    String root = Files.readString(DATA.resolve("root-fingerprint")).strip();
    CliResult add = CliResult.run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", root,
        "--home", HOME.toString());
    assertThat(add.code()).as(add.err()).isZero();
    for (String name : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
      file(name, "OAX");
    }
    assertThat(IDS).hasSize(9);
  }

  @Test
  @Order(2)
  void publish_showsTheLineOnTheStatusPageInTheSourcesLanguageAndRecordsIt() throws Exception {
    String a = IDS.get("a");
    assertThat(statusPage(RECEIPTS.get("a"), "es")).doesNotContain("Estado de su denuncia");
    ok("publish", a, "--status", "received", "--yes");
    CliResult referred = ok("publish", a, "--status", "referred", "--institution", "<b>Fiscalía</b> de Oaxaca",
        "--reference", "FGEO/123/2026", "--yes");
    assertThat(referred.out()).contains("Published to the source of report " + a)
        .contains("Your report was referred to <b>Fiscalía</b> de Oaxaca with reference number FGEO/123/2026.");
    String es = statusPage(RECEIPTS.get("a"), "es");
    assertThat(es).contains("Estado de su denuncia").contains("Su denuncia fue recibida.")
        .contains("Su denuncia fue enviada a &lt;b&gt;Fiscalía&lt;/b&gt; de Oaxaca con el número de referencia FGEO/123/2026.")
        .doesNotContain("<b>Fiscalía");
    assertThat(statusPage(RECEIPTS.get("a"), "ht")).contains("Nou voye denonsyasyon ou bay &lt;b&gt;Fiscalía");
    assertThat(statusPage(RECEIPTS.get("a"), "pt")).contains("Sua denúncia foi encaminhada a &lt;b&gt;Fiscalía");
    assertThat(statusPage(RECEIPTS.get("a"), "en")).contains("Your report was received.");
    // Nothing reaches another source.
    assertThat(statusPage(RECEIPTS.get("b"), "es")).doesNotContain("Estado de su denuncia");

    CliResult history = ok("history", a, "--lang", "en");
    assertThat(history.out()).contains("published to the source: the report was received")
        .contains("with reference FGEO/123/2026");
    assertThat(ok("history", a).out()).as("in the reviewer's language, es by default")
        .contains("publicado a la fuente: la denuncia fue recibida").doesNotContain("published to the source");
    assertThat(ok("show", a, "--lang", "en").out()).contains("published to the source (demo-reviewer")
        .contains("FGEO/123/2026");
  }

  @Test
  @Order(3)
  void publish_refusesBadInputAndPublishesAndRecordsNothing() throws Exception {
    String b = IDS.get("b");
    String before = pageState("b");
    Map<String, String> cacheBefore = snapshot();
    String[][] bad = {
        {"publish", b, "--status", "sentenced", "--yes"},
        {"publish", b, "--status", "referred", "--yes"},
        {"publish", b, "--status", "received", "--institution", "FGR", "--yes"},
        {"publish", b, "--status", "received", "--outcome", "referred", "--yes"},
        {"publish", b, "--status", "closed", "--yes"},
        {"publish", b, "--status", "closed", "--outcome", "spam", "--yes"},
        {"publish", b, "--status", "referred", "--institution", "F".repeat(101), "--yes"},
        {"publish", b, "--status", "referred", "--institution", "FGR", "--reference", "R".repeat(61), "--yes"},
        {"publish", b, "--status", "referred", "--institution", "FGR\u202eRGF", "--yes"},
        {"publish", b, "--status", "referred", "--institution", "FGR\nline two", "--yes"},
        {"publish", b, "--status", "received"},
        {"publish", "ffffffffffff", "--status", "received", "--yes"}};
    for (String[] c : bad) {
      CliResult r = reviewer(c);
      assertThat(r.code()).as(String.join(" ", c)).isIn(ExitCodes.USAGE, ExitCodes.BAD_INPUT);
      assertThat(r.err()).as(String.join(" ", c)).doesNotContain("FFFFFFFFFF").doesNotContain("RRRRRRRR");
    }
    assertThat(pageState("b")).isEqualTo(before);
    assertThat(snapshot()).isEqualTo(cacheBefore);
  }

  @Test
  @Order(4)
  void referralUpdate_recordsStagesPerInstitutionAndRefusesTheOnesThatDoNotApply() throws Exception {
    String a = IDS.get("i"); // referred three days before the report arrived: left out of the statistics
    String today = TODAY.toString();
    ok("refer", a, "--to", "fgr", "--reference", "FGR/OAX/1", "--date", TODAY.minusDays(3).toString());
    Map<String, String> cacheBefore = snapshot();
    String[][] refused = {
        {"referral-update", a, "--stage", "recommendation_issued", "--date", today},
        {"referral-update", a, "--stage", "convicted", "--date", today},
        {"referral-update", a, "--stage", "sentence", "--date", TODAY.plusDays(1).toString()},
        {"referral-update", a, "--stage", "charges_filed", "--date", TODAY.minusDays(4).toString()},
        {"referral-update", a, "--stage", "charges_filed", "--date", today, "--referral", "zz"},
        {"referral-update", IDS.get("h"), "--stage", "charges_filed", "--date", today}};
    for (String[] c : refused) {
      CliResult r = reviewer(c);
      assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isIn(ExitCodes.USAGE, ExitCodes.REFUSED);
    }
    assertThat(reviewer(refused[0]).err()).contains("investigation_opened, charges_filed, hearing, sentence");
    assertThat(reviewer(refused[3]).err()).contains("before the referral");
    assertThat(snapshot()).isEqualTo(cacheBefore);

    ok("referral-update", a, "--stage", "investigation_opened", "--date", TODAY.minusDays(2).toString());
    ok("referral-update", a, "--stage", "charges_filed", "--date", TODAY.minusDays(1).toString(),
        "--note", "Vinculación a proceso, Juzgado de Control de Juchitán");
    // A hearing dated before the charges already recorded contradicts them.
    CliResult early = reviewer("referral-update", a, "--stage", "sentence", "--date", TODAY.minusDays(2).toString());
    assertThat(early.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(early.err()).contains("contradicts charges_filed");
    ok("referral-update", a, "--stage", "sentence", "--date", today);
    CliResult history = ok("history", a, "--lang", "en");
    assertThat(history.out()).contains("referral outcome: charges filed on " + TODAY.minusDays(1))
        .contains("Vinculación a proceso").contains("referral outcome: sentence on " + today);
    assertThat(ok("history", a).out()).contains("resultado de la derivación: sentencia condenatoria el " + today);
    assertThat(ok("show", a, "--lang", "en").out())
        .contains("referral fgr FGR/OAX/1: referral outcome: investigation opened on");
    // the case file carries the referral's outcome stages
    Path exported = Files.createTempDirectory("testigo-export-").resolve("case");
    ok("export", a, "--out", exported.toString());
    com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(exported.resolve("case.json").toFile());
    assertThat(file.path("referrals").get(0).path("outcomes").findValuesAsText("stage"))
        .containsExactly("investigation_opened", "charges_filed", "sentence");
    // close without an outcome names the outcomes (user pass: it did not) and closes nothing
    String historyBefore = ok("history", a).out();
    CliResult bare = reviewer("close", a);
    assertThat(bare.code()).isEqualTo(org.testigo.cli.common.ExitCodes.USAGE);
    assertThat(bare.err()).contains("OUTCOME is one of [substantiated, unsubstantiated, insufficient_evidence,"
        + " duplicate, withdrawn, referred, spam]");
    assertThat(ok("history", a).out()).isEqualTo(historyBefore);
    // A closed case still records what the institution did.
    ok("close", a, "referred");
    ok("publish", a, "--status", "closed", "--outcome", "referred", "--yes");
    assertThat(statusPage(RECEIPTS.get("i"), "es")).contains("Su caso fue cerrado: el caso pasó a otra institución.");
  }

  @Test
  @Order(5)
  void statsFromCache_computesTheWholeFunnelFromTheCases() throws Exception {
    String d0 = TODAY.toString();
    // a, b: FGR to a sentence. c: state prosecutor, investigation only.
    for (String n : List.of("a", "b")) {
      ok("refer", IDS.get(n), "--to", "fgr", "--reference", "FGR/" + n);
      ok("referral-update", IDS.get(n), "--stage", "investigation_opened", "--date", d0);
      ok("referral-update", IDS.get(n), "--stage", "charges_filed", "--date", d0);
      ok("referral-update", IDS.get(n), "--stage", "hearing", "--date", d0);
      ok("referral-update", IDS.get(n), "--stage", "sentence", "--date", d0);
    }
    ok("refer", IDS.get("c"), "--to", "fiscalia_estatal", "--state", "OAX", "--reference", "FGEO/3");
    ok("referral-update", IDS.get("c"), "--stage", "investigation_opened", "--date", d0);
    // d, e: CNDH, complaint admitted and recommendation; f: state commission, nothing yet.
    for (String n : List.of("d", "e")) {
      ok("refer", IDS.get(n), "--to", "cndh", "--reference", "CNDH/" + n);
      ok("referral-update", IDS.get(n), "--stage", "complaint_admitted", "--date", d0);
      ok("referral-update", IDS.get(n), "--stage", "recommendation_issued", "--date", d0);
    }
    ok("refer", IDS.get("f"), "--to", "comision_estatal_dh", "--state", "OAX", "--reference", "DDHPO/6");
    // g: COMAR (not an accountability path) has no stages; h: never referred.
    ok("refer", IDS.get("g"), "--to", "comar", "--reference", "COMAR/7");
    assertThat(reviewer("referral-update", IDS.get("g"), "--stage", "investigation_opened", "--date", d0).err())
        .contains("no stages");

    Path out = HOME.resolve("stats");
    String month = YearMonth.from(TODAY).toString();
    CliResult stats = ok("stats", "--from-cache", "--out", out.toString(), "--min-cell", "2", "--from", month,
        "--to", month, "--as-of", d0, "--lang", "en");
    assertThat(stats.out()).contains("8 case(s) from the cache; 1 report(s) skipped");
    Set<String> csv = new TreeSet<>(Files.readAllLines(out.resolve("testigo-stats.csv")));
    assertThat(csv).contains(
        "funnel,received,count,8,false",
        "funnel,referred,count,6,false",
        "funnel,investigation_opened,count,5,false",
        "funnel,charges,count,2,false",
        "funnel,sentence_or_recommendation,count,4,false",
        "funnel_prosecution,referred,count,3,false",
        "funnel_prosecution,investigation_opened,count,3,false",
        "funnel_prosecution,charges,count,2,false",
        "funnel_prosecution,sentence,count,2,false",
        "funnel_commission,referred,count,3,false",
        "funnel_commission,complaint_admitted,count,2,false",
        "funnel_commission,recommendation,count,2,false",
        "referrals_by_institution,comar,count,x,true");
    // With the default threshold the small steps are hidden, as on the --input path.
    Path out5 = HOME.resolve("stats5");
    ok("stats", "--from-cache", "--out", out5.toString(), "--from", month, "--to", month, "--as-of", d0);
    Set<String> csv5 = new TreeSet<>(Files.readAllLines(out5.resolve("testigo-stats.csv")));
    assertThat(csv5).contains("funnel,received,count,8,false", "funnel,referred,count,6,false",
        "funnel,charges,count,x,true", "funnel_prosecution,sentence,count,x,true",
        "funnel_commission,recommendation,count,x,true");
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("Referrals to human-rights commissions").doesNotContain("Vinculación")
        .doesNotContain("FGR/OAX/1").doesNotContain("Fiscalía");
  }

  static Map<String, String> snapshot() throws Exception {
    Map<String, String> files = new java.util.TreeMap<>();
    try (var all = Files.walk(HOME.resolve("cache"))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(HOME.relativize(p).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return files;
  }
}

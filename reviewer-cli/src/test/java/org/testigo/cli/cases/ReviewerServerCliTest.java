package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * The reviewer commands in-process against a real intake server (demo organisation, H2 in a
 * temporary data directory): a source reports through the HTML form, the reviewer registers
 * the server, syncs (interrupted and resumed), lists, shows, saves files and replies; the
 * source reads the reply on the status page with the receipt.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewerServerCliTest {
  static final Path DATA = temp("testigo-cli-server-");
  static final Path HOME = temp("testigo-cli-home-");
  static final String MARKER = "MRK" + HexFormat.of().formatHex(new SecureRandom().generateSeed(10));
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String receipt;
  static String reportId;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("limits.maxFormBytes", "2000000"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "2000000"));


  static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static CliResult run(String... args) {
    return CliResult.run(args);
  }

  /** Runs a command that needs the demo reviewer's keystore and the test home. */
  static CliResult reviewer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString(), "-k", DATA.resolve("demo/reviewer.keystore").toString(),
        "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    return run(all.toArray(String[]::new));
  }

  static String source(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  static HttpResponse<String> post(String url, String type, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] multipart(String boundary, List<String[]> fields, String fileName, byte[] file) {
    var out = new java.io.ByteArrayOutputStream();
    for (String[] f : fields) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n"
          + f[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    if (fileName != null) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
          + fileName + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static String report(String what, String state, String narrative, boolean withFile) throws Exception {
    String b = "----CliBoundary";
    byte[] body = multipart(b, List.of(new String[] {"version", "1"}, new String[] {"lang", "es"},
        new String[] {"what", what}, new String[] {"who", "inm"}, new String[] {"state", state},
        new String[] {"place_kind", "train"}, new String[] {"narrative", narrative},
        new String[] {"wants", "reply"}), withFile ? "foto.jpg" : null,
        ("JPEGDATA " + MARKER).getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = post(source("/report?lang=es"), "multipart/form-data; boundary=" + b, body);
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static List<Path> cachedEnvelopes() throws IOException {
    try (Stream<Path> s = Files.list(HOME.resolve("cache/default/submissions"))) {
      return s.filter(p -> p.toString().endsWith(".tgenv")).sorted().toList();
    }
  }

  @Test
  @Order(1)
  void serverAdd_registersTheServerWithItsPinnedRootAndRefusesABadFingerprint() throws Exception {
    CliResult bad = run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", "abcd", "--home", HOME.toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
    String root = Files.readString(DATA.resolve("root-fingerprint")).strip();
    CliResult ok = run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", root, "--home", HOME.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(Files.readString(HOME.resolve("servers.json"))).contains(root);
  }

  @Test
  @Order(2)
  void sync_downloadsOnlyCiphertextResumesAfterInterruptionAndNeverDownloadsTwice() throws Exception {
    receipt = report("extortion", "CHP", "Nos pidieron dinero en el tren. " + MARKER, true);
    CliResult first = reviewer("sync");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("1 new submission(s), 0 already cached");
    assertThat(cachedEnvelopes()).hasSize(1);
    reportId = cachedEnvelopes().get(0).getFileName().toString().replace(".tgenv", "");

    report("robbery", "OAX", "Robo en Ixtepec.", false);
    report("kidnapping", "VER", "Secuestro en Coatzacoalcos.", false);
    CliResult interrupted = reviewer("sync", "--page-size", "1", "--max-pages", "1");
    assertThat(interrupted.code()).as(interrupted.err()).isZero();
    assertThat(interrupted.out()).contains("1 new submission(s)").contains("more remain");
    assertThat(cachedEnvelopes()).hasSize(2);
    CliResult resumed = reviewer("sync", "--page-size", "1");
    assertThat(resumed.out()).contains("1 new submission(s), 0 already cached");
    assertThat(cachedEnvelopes()).hasSize(3);

    // a crash before the cursor was saved: sync lists everything again, downloads nothing
    FileTime before = Files.getLastModifiedTime(cachedEnvelopes().get(0));
    Files.writeString(HOME.resolve("cache/default/state.json"), "{\"submissionsCursor\":0,\"manifestSequence\":0}");
    CliResult again = reviewer("sync");
    assertThat(again.out()).contains("0 new submission(s), 3 already cached");
    assertThat(Files.getLastModifiedTime(cachedEnvelopes().get(0))).isEqualTo(before);

    // a kill mid-page: the cursor is at the last checkpoint, the page's third envelope was
    // being written (a stray temporary file, no final file) and the second was left short
    // (a power loss before the checkpoint forced it): sync keeps the intact one, fetches the
    // two others again, and checkpoints past the page
    List<Path> envelopes = cachedEnvelopes();
    List<byte[]> originals = new ArrayList<>();
    for (Path p : envelopes) {
      originals.add(Files.readAllBytes(p));
    }
    List<Path> bySeq = new ArrayList<>();
    for (String line : reviewer("list").out().lines().toList()) {
      if (line.matches("[0-9a-f]{12}  .*")) {
        bySeq.add(envelopes.stream().filter(p -> p.getFileName().toString().startsWith(line.substring(0, 12)))
            .findFirst().orElseThrow());
      }
    }
    assertThat(bySeq).hasSize(3);
    Files.writeString(HOME.resolve("cache/default/state.json"), "{\"submissionsCursor\":0,\"manifestSequence\":0}");
    Files.write(bySeq.get(1), java.util.Arrays.copyOf(Files.readAllBytes(bySeq.get(1)), 100));
    Files.delete(bySeq.get(2));
    Files.writeString(bySeq.get(2).resolveSibling(".tmp-killed.part"), "partial");
    CliResult resumedAfterKill = reviewer("sync");
    assertThat(resumedAfterKill.code()).as(resumedAfterKill.err()).isZero();
    assertThat(resumedAfterKill.out()).contains("2 new submission(s), 1 already cached");
    for (int i = 0; i < envelopes.size(); i++) {
      assertThat(Files.readAllBytes(envelopes.get(i))).isEqualTo(originals.get(i));
    }
    JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        HOME.resolve("cache/default/state.json").toFile());
    assertThat(state.get("submissionsCursor").asLong()).isGreaterThan(0);
    CliResult idle = reviewer("sync", "--page-size", "2");
    assertThat(idle.out()).contains("0 new submission(s), 0 already cached");
    Files.delete(bySeq.get(2).resolveSibling(".tmp-killed.part"));

    try (Stream<Path> all = Files.walk(HOME)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString()).doesNotContain(MARKER);
      }
    }
    assertThat(Files.readString(HOME.resolve("cache/default/manifest-chain.txt"))).contains("BEGIN TESTIGO KEY MANIFEST");
  }

  @Test
  @Order(3)
  void sync_refusesAManifestThatDoesNotVerifyFromThePinnedRoot() throws Exception {
    Path other = temp("testigo-cli-home2-");
    CliResult add = run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", "ab".repeat(32), "--home", other.toString());
    assertThat(add.code()).isZero();
    List<String> args = new ArrayList<>(List.of("sync", "--home", other.toString(), "-k",
        DATA.resolve("demo/reviewer.keystore").toString(), "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    CliResult r = run(args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("does not verify from the pinned root");
    try (Stream<Path> s = Files.list(other.resolve("cache/default/submissions"))) {
      assertThat(s.count()).isZero();
    }
  }

  @Test
  @Order(4)
  void list_showsADecryptedTableAndFilters() {
    CliResult all = reviewer("list");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out()).contains(reportId.substring(0, 12)).contains("extortion").contains("CHP").contains("inm")
        .contains("robbery").contains("kidnapping").contains("3 report(s)");
    CliResult chiapas = reviewer("list", "--state", "chp");
    assertThat(chiapas.out()).contains(reportId.substring(0, 12)).contains("1 report(s)").doesNotContain("robbery");
    assertThat(reviewer("list", "--category", "robbery").out()).contains("1 report(s)").doesNotContain("extortion");
    assertThat(reviewer("list", "--agency", "army-sedena").out()).contains("0 report(s)");
  }

  @Test
  @Order(5)
  void show_rendersTheLabelledReportInTheReviewersLanguage() {
    CliResult en = reviewer("show", reportId.substring(0, 10), "--lang", "en");
    assertThat(en.code()).as(en.err()).isZero();
    assertThat(en.out()).contains(MARKER).contains("What happened").contains("Extortion")
        .contains("Migration agents (INM)").contains("Chiapas (CHP)").contains("Train").contains("foto.jpg");
    CliResult es = reviewer("show", reportId);
    assertThat(es.out()).contains("Qué pasó").contains("Extorsión").contains("Recibir una respuesta");
    assertThat(reviewer("show", "ffffff").code()).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  @Order(6)
  void files_writesDecryptedAttachmentsNeverOverwritingAndWarnsAboutMetadata() throws Exception {
    Path out = temp("testigo-cli-files-");
    CliResult r = reviewer("files", reportId, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("metadatos");
    assertThat(Files.readString(out.resolve("foto.jpg"))).isEqualTo("JPEGDATA " + MARKER);
    CliResult again = reviewer("files", reportId, "--out", out.toString(), "--lang", "en");
    assertThat(again.err()).contains("metadata");
    assertThat(Files.readString(out.resolve("foto.jpg"))).isEqualTo("JPEGDATA " + MARKER);
    assertThat(Files.readString(out.resolve("foto-1.jpg"))).isEqualTo("JPEGDATA " + MARKER);
  }

  @Test
  @Order(7)
  void reply_isSealedToTheSourceWhoReadsItOnTheStatusPageAndFollowUpsShowInTheCase() throws Exception {
    Path text = HOME.resolve("reply.txt");
    Files.writeString(text, "Recibimos su denuncia. Un investigador la revisa.");
    CliResult r = reviewer("reply", reportId, "--file", text.toString(), "--yes");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Reply sent");
    HttpResponse<String> status = post(source("/status?lang=es"), "application/x-www-form-urlencoded",
        ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(status.body()).contains("Recibimos su denuncia. Un investigador la revisa.");

    String b = "----FollowUp";
    HttpResponse<String> f = post(source("/status/follow-up?lang=es"), "multipart/form-data; boundary=" + b,
        multipart(b, List.of(new String[] {"receipt", receipt}, new String[] {"message", "Tengo otra foto."}), null, null));
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(reviewer("sync").out()).contains("1 new submission(s)");
    CliResult show = reviewer("show", reportId, "--lang", "en");
    assertThat(show.out()).contains("Follow-ups from the source").contains("Tengo otra foto.");
    assertThat(reviewer("list").out()).contains("3 report(s)");
  }

  @Test
  @Order(8)
  void reply_templatesExistInEverySourceLanguageAndEmptyRepliesAreRefused() throws Exception {
    for (String l : ReplyCommand.TEMPLATE_LANGUAGES) {
      assertThat(ReplyCommand.template(l)).as(l).startsWith("#").hasSizeGreaterThan(100);
    }
    Path empty = HOME.resolve("empty.txt");
    Files.writeString(empty, "  \n");
    assertThat(reviewer("reply", reportId, "--file", empty.toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(reviewer("reply", reportId).code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  @Order(9)
  void triage_commandsAppendSignedEventsThatReplayIntoTheCaseStateAndHistory() throws Exception {
    Path note = HOME.resolve("note.txt");
    Files.writeString(note, "Llamar al albergue de Arriaga.");
    for (String[] c : new String[][] {{"ack", reportId}, {"assign", reportId, "demo-reviewer"},
        {"priority", reportId, "high"}, {"label", reportId, "--add", "inm"}, {"note", reportId, "--file", note.toString()},
        {"status", reportId, "investigating"},
        {"refer", reportId, "--to", "fiscalia_estatal", "--state", "Chiapas", "--reference", "FGE/CHP/123/2025"}}) {
      CliResult r = reviewer(c);
      assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isZero();
      assertThat(r.out()).contains("Recorded");
    }
    CliResult listed = reviewer("list", "--assignee", "demo-reviewer");
    assertThat(listed.out()).contains(reportId.substring(0, 12)).contains("referred").contains("1 report(s)");
    assertThat(reviewer("list", "--status", "new").out()).contains("2 report(s)").doesNotContain(reportId.substring(0, 12));
    CliResult show = reviewer("show", reportId, "--lang", "en");
    assertThat(show.out()).contains("Case status:                 referred; assigned to: demo-reviewer; priority: high;"
        + " labels: inm").contains("Llamar al albergue de Arriaga.");

    // a typo in a status, or an alias nobody's cases carry, no longer lists nothing in silence (user pass)
    CliResult typo = reviewer("list", "--status", "nwe");
    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("'nwe' is not one of [new, ");
    assertThat(reviewer("list", "--assignee", "maria").out()).contains("0 report(s)")
        .contains("No case is assigned to 'maria'; cases are assigned to: demo-reviewer.");
    // a refusal names the command that lifts it (user pass)
    String unreferred = null;
    for (Path p : cachedEnvelopes()) {
      String id = p.getFileName().toString().replace(".tgenv", "");
      // another report (its own case), not a follow-up of this one
      if (!id.equals(reportId) && id.equals(new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(p.resolveSibling(id + ".json").toFile()).path("caseId").asText())) {
        unreferred = id;
      }
    }
    assertThat(unreferred).isNotNull();
    CliResult noReferral = reviewer("close", unreferred, "referred");
    assertThat(noReferral.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(noReferral.err()).contains("outcome referred needs a recorded referral). Record the referral first:"
        + " testigo-reviewer refer " + unreferred.substring(0, 12) + " --to fgr|fiscalia_estatal|");
    CliResult closed = reviewer("close", reportId, "referred");
    assertThat(closed.code()).as(closed.err()).isZero();
    CliResult ackClosed = reviewer("ack", reportId);
    assertThat(ackClosed.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(ackClosed.err()).contains("not recorded").contains("To work on it again: testigo-reviewer reopen "
        + reportId.substring(0, 12)).doesNotContain("with a status event");

    CliResult history = reviewer("history", reportId, "--lang", "en");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).contains("reply to the source, in Spanish").contains("    Recibimos su denuncia.")
        .contains("acknowledged").contains("assigned to demo-reviewer").contains("priority: high")
        .contains("label added: inm").contains("status: investigating")
        .contains("referred to state prosecutor's office CHP, reference FGE/CHP/123/2025")
        .contains("closed, outcome: referred").contains("Now: closed;").contains("demo-reviewer");
    assertThat(history.out().lines().filter(l -> l.contains("[applied]")).count()).isEqualTo(9);
    assertThat(reviewer("history", reportId).out()).contains("asignado a demo-reviewer")
        .contains("cerrado, resultado: canalizada").contains("[aplicado]").doesNotContain("applied");
    assertThat(reviewer("list", "--status", "closed").out()).contains(reportId.substring(0, 12)).contains("1 report(s)");
    CliResult overdue = reviewer("overdue");
    assertThat(overdue.code()).as(overdue.err()).isZero();
    assertThat(overdue.out()).contains("0 overdue deadline(s)");
    String other = "00112233445566778899aabbccddeeff";
    CliResult linked = reviewer("link", reportId, other, "--relation", "duplicate_of");
    assertThat(linked.code()).as(linked.err()).isZero();
    assertThat(linked.out()).contains("Recorded");
    assertThat(reviewer("show", reportId).out()).contains("duplicado del caso " + other)
        .contains("Canalizaciones:").contains("(demo-reviewer, ").contains("referencia FGE/CHP/123/2025");
    assertThat(reviewer("link", reportId, reportId).code()).isNotZero();
    assertThat(reviewer("assign", reportId).code()).isEqualTo(ExitCodes.USAGE);
    assertThat(reviewer("priority", reportId, "urgentissimo").code()).isEqualTo(ExitCodes.USAGE);

    try (Stream<Path> all = Files.walk(HOME.resolve("cache"))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString())
            .doesNotContain(MARKER).doesNotContain("Llamar al albergue");
      }
    }
  }

  /** Every file of the reviewer's cache and its bytes, to check that a refusal recorded nothing. */
  static java.util.Map<String, String> cacheSnapshot() throws IOException {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> all = Files.walk(HOME.resolve("cache"))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(HOME.relativize(p).toString(), HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  static long verifiedEvents() {
    return reviewer("history", reportId, "--lang", "en").out().lines().filter(l -> l.contains("[applied]")).count();
  }

  @Test
  @Order(10)
  void assign_refusesAnAliasOutsideTheManifestSuggestingTheNearestAndRecordsNothing() throws Exception {
    long events = verifiedEvents();
    var before = cacheSnapshot();
    CliResult typo = reviewer("assign", reportId, "demo-reviewr");
    assertThat(typo.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(typo.err()).contains("no reviewer 'demo-reviewr' in the current manifest (nothing recorded)")
        .contains("did you mean 'demo-reviewer'?").contains("can be assigned: ").contains("demo-reviewer");
    assertThat(typo.out()).doesNotContain("Recorded");
    CliResult stranger = reviewer("assign", reportId, "maria");
    assertThat(stranger.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(stranger.err()).contains("no reviewer 'maria'").doesNotContain("did you mean")
        .contains("can be assigned: ").contains("demo-reviewer");
    assertThat(cacheSnapshot()).isEqualTo(before);
    assertThat(verifiedEvents()).isEqualTo(events);
    assertThat(reviewer("status", reportId, "under_review").code()).isZero(); // the case was closed
    CliResult ok = reviewer("assign", reportId, "demo-reviewer");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(verifiedEvents()).isEqualTo(events + 2);
  }

  @Test
  @Order(11)
  void status_offersOnlyTheStatusesAReviewerCanSetAndRecordsNothingElse() throws Exception {
    long events = verifiedEvents();
    var before = cacheSnapshot();
    for (String bad : new String[] {"bogus", "new", "closed"}) {
      CliResult r = reviewer("status", reportId, bad);
      assertThat(r.code()).as(bad).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(bad).contains("'" + bad + "'")
          .contains("[acknowledged, under_review, investigating, referred]")
          .contains("closing is: close ID OUTCOME").doesNotContain(", new").doesNotContain("closed,");
    }
    assertThat(cacheSnapshot()).isEqualTo(before);
    assertThat(verifiedEvents()).isEqualTo(events);
    CliResult help = run("status", "--help");
    assertThat(help.out().replaceAll("\\s+", " ")).contains("One of: acknowledged, under_review, investigating, referred.")
        .contains("closing is the close command");
  }

  @Test
  @Order(12)
  void reply_refusesThePlaceholderAndTheUnchangedTemplateAndSendsOnlyOnceConfirmed() throws Exception {
    long events = verifiedEvents();
    var before = cacheSnapshot();
    Path placeholder = HOME.resolve("placeholder.txt");
    Files.writeString(placeholder, "Hello,\n\n[Write here what will happen…]\n");
    CliResult p = reviewer("reply", reportId, "--file", placeholder.toString(), "--yes");
    assertThat(p.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(p.err()).contains("still contains the template's placeholder").contains("nothing was sent");
    Path unchanged = HOME.resolve("unchanged.txt");
    Files.writeString(unchanged, ReplyCommand.body("es") + "\n");
    CliResult u = reviewer("reply", reportId, "--file", unchanged.toString(), "--yes");
    assertThat(u.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(u.err()).contains("the template unchanged").contains("nothing was sent");

    Path text = HOME.resolve("confirm.txt");
    Files.writeString(text, "Su denuncia fue enviada a la fiscalía. " + MARKER);
    CliResult noTerminal = reviewer("reply", reportId, "--file", text.toString());
    assertThat(noTerminal.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noTerminal.err()).contains("no terminal to confirm the reply on").contains("--yes")
        .contains("nothing was sent");
    ReplyCommand.Prompt tty = ReplyCommand.terminal;
    List<String> asked = new ArrayList<>();
    try {
      ReplyCommand.terminal = q -> {
        asked.add(q);
        return "n";
      };
      CliResult no = reviewer("reply", reportId, "--file", text.toString());
      assertThat(no.code()).isEqualTo(ExitCodes.REFUSED);
      assertThat(no.out()).contains("will read exactly this:").contains("Su denuncia fue enviada a la fiscalía.")
          .contains("Not sent.").doesNotContain("Reply sent");
      assertThat(asked).containsExactly("Send this reply? [y/N] ");
      assertThat(cacheSnapshot()).isEqualTo(before);
      assertThat(verifiedEvents()).isEqualTo(events);
      HttpResponse<String> status = post(source("/status?lang=es"), "application/x-www-form-urlencoded",
          ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
      assertThat(status.body()).doesNotContain("fiscalía. " + MARKER).doesNotContain("[Write here");

      ReplyCommand.terminal = q -> "y";
      CliResult yes = reviewer("reply", reportId, "--file", text.toString());
      assertThat(yes.code()).as(yes.err()).isZero();
      assertThat(yes.out()).contains("will read exactly this:").contains("Reply sent");
    } finally {
      ReplyCommand.terminal = tty;
    }
    assertThat(verifiedEvents()).isEqualTo(events + 1);
    assertThat(run("reply", "--help").out().replaceAll("\\s+", " ")).contains("--yes Send without showing the text")
        .contains("Your language for the template's instructions");
  }

  @Test
  @Order(13)
  void reply_draftHasTheInstructionsInTheReviewersLanguageAndTheBodyInTheReports() throws Exception {
    String draft = ReplyCommand.draft("en", "es");
    assertThat(draft).startsWith("# Reply to the person who reported.").contains("\nHola:\n")
        .contains("[Escriba aquí").doesNotContain("Hello,").doesNotContain("# Respuesta");
    assertThat(ReplyCommand.draft("es", "fr")).startsWith("# Respuesta a la persona").contains("[Écrivez ici");
    for (String l : ReplyCommand.TEMPLATE_LANGUAGES) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ReplyCommand.requireWritten(
          ReplyCommand.body(l).replace(ReplyCommand.placeholder(l), "Hoy la enviamos a la fiscalía."))))
          .as(l).isNull();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ReplyCommand.requireWritten(
          "Hola. " + ReplyCommand.placeholder(l)))).as(l).hasMessageContaining("placeholder");
    }
  }

  @Test
  @Order(14)
  void feedback_recordsFeedbackGivenByOtherMeansAndTheFirstReplyMeetsTheDeadline() throws Exception {
    assertThat(reviewer("show", reportId, "--lang", "en").out()).contains("first feedback: met on");
    String other = null;
    for (String line : reviewer("list").out().lines().toList()) {
      if (line.matches("[0-9a-f]{12}  .*") && !reportId.startsWith(line.substring(0, 12))) {
        other = line.substring(0, 12);
      }
    }
    assertThat(other).isNotNull();
    assertThat(reviewer("show", other, "--lang", "en").out()).contains("first feedback: pending (due");

    long events = verifiedEvents();
    var before = cacheSnapshot();
    CliResult again = reviewer("feedback", reportId, "--note", "Llamada al albergue.");
    assertThat(again.code()).as("already done is not a failure").isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("was already met").contains("nothing recorded").contains("note " + reportId);
    CliResult future = reviewer("feedback", other, "--note", "x", "--date", "2999-01-01");
    assertThat(future.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(future.err()).contains("--date 2999-01-01 is in the future");
    assertThat(reviewer("feedback", other).code()).isEqualTo(ExitCodes.USAGE);
    assertThat(cacheSnapshot()).isEqualTo(before);
    assertThat(verifiedEvents()).isEqualTo(events);

    CliResult given = reviewer("feedback", other, "--note", "Se le explicó en persona en el albergue.",
        "--date", "2026-01-05");
    assertThat(given.code()).as(given.err()).isZero();
    assertThat(given.out()).contains("Recorded note and feedback_given on case").contains("first feedback met");
    CliResult show = reviewer("show", other, "--lang", "en");
    assertThat(show.out()).contains("first feedback: met on")
        .contains("Feedback given to the source by other means on 2026-01-05: Se le explicó en persona en el albergue.");
    assertThat(reviewer("history", other, "--lang", "en").out()).contains("first feedback given by other means")
        .contains("note");
    assertThat(run("feedback", "--help").out().replaceAll("\\s+", " "))
        .contains("--note=TEXT What was said to the source").contains("--date=YYYY-MM-DD When the feedback was given");
  }
}

package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Two reviewers on one case, in-process against a real intake server (H2, an organisation of
 * alice and bob): alice replies and bob reads the reply's text, language and sender in show
 * and history; alice refers and closes; the source writes again after the close and bob's
 * sync names the case, list marks it unread, show says so; bob reopens it (back to referred,
 * a second reopen is refused recording nothing); bob's export holds the reply, the note, the
 * referral and says what it holds. Everything in Spanish by default without English mixed in.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamCaseCliTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALICE = ReviewerIdentity.generate("alice", RANDOM);
  static final ReviewerIdentity BOB = ReviewerIdentity.generate("bob", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Team CLI org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALICE), entry(BOB)), T0), ROOT);
  static final String REPLY = "Recibimos su denuncia. Un investigador la revisa. " + HexFormat.of().formatHex(
      RANDOM.generateSeed(6));
  static final Path DATA = prepare();
  static final Path KEYS = DATA.resolve("keys");
  static String receipt;
  static String reportId;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static ReviewerEntry entry(ReviewerIdentity who) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(5)),
        T0.plus(Duration.ofDays(30)));
  }

  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-team-cli-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.write(Files.createFile(dir.resolve("deployment-secret"), ownerOnly), RANDOM.generateSeed(32));
      Files.write(Files.createFile(dir.resolve("log-key"), ownerOnly), LOG_KEY.exposeSecret());
      Path keys = Files.createDirectories(dir.resolve("keys"));
      for (ReviewerIdentity r : List.of(ALICE, BOB)) {
        Keystore.write(keys.resolve(r.alias() + ".keystore"),
            Keystore.encrypt(r, Passphrase.of(("pass-" + r.alias()).toCharArray()), KeystoreParams.TEST, RANDOM), false);
        Files.write(Files.createFile(keys.resolve(r.alias() + ".pass"), ownerOnly),
            ("pass-" + r.alias()).getBytes(StandardCharsets.UTF_8));
      }
      return dir;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static CliResult as(ReviewerIdentity who, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", DATA.resolve("home-" + who.alias()).toString(), "-k",
        KEYS.resolve(who.alias() + ".keystore").toString(), "--passphrase-file",
        KEYS.resolve(who.alias() + ".pass").toString()));
    return CliResult.run(all.toArray(String[]::new));
  }

  static CliResult ok(ReviewerIdentity who, String... args) {
    CliResult r = as(who, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static HttpResponse<String> post(String path, String type, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String multipart(String boundary, String[][] fields) {
    StringBuilder s = new StringBuilder();
    for (String[] f : fields) {
      s.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    return s.append("--").append(boundary).append("--\r\n").toString();
  }

  @Test
  @Order(1)
  void twoReviewers_seeTheReplyOneOfThemSent() throws Exception {
    String b = "----TeamBoundary";
    HttpResponse<String> r = post("/report?lang=es", "multipart/form-data; boundary=" + b, multipart(b, new String[][] {
        {"version", "1"}, {"lang", "es"}, {"what", "extortion"}, {"who", "inm"}, {"state", "CHP"},
        {"narrative", "Nos pidieron dinero en el retén."}, {"wants", "reply"}}));
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    receipt = m.group(1);
    for (ReviewerIdentity who : List.of(ALICE, BOB)) {
      Path home = Files.createDirectories(DATA.resolve("home-" + who.alias()));
      CliResult add = CliResult.run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root",
          KeyManifest.rootFingerprint(ROOT.publicKey()).hex(), "--home", home.toString());
      assertThat(add.code()).as(add.err()).isZero();
      ok(who, "sync");
    }
    Matcher id = Pattern.compile("(?m)^([0-9a-f]{12})  ").matcher(ok(ALICE, "list").out());
    assertThat(id.find()).isTrue();
    reportId = Files.list(DATA.resolve("home-alice/cache/default/submissions"))
        .map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).map(n -> n.substring(0, 32))
        .filter(n -> n.startsWith(id.group(1))).findFirst().orElseThrow();

    Path text = DATA.resolve("reply.txt");
    Files.writeString(text, REPLY);
    ok(ALICE, "reply", reportId.substring(0, 4), "--file", text.toString(), "--yes");

    ok(BOB, "sync");
    CliResult show = ok(BOB, "show", reportId);
    assertThat(show.out()).contains("Respuestas a la fuente:").contains("(alice, ").contains("en español)")
        .contains(REPLY).contains("primera respuesta: cumplido el");
    CliResult en = ok(BOB, "show", reportId, "--lang", "en");
    assertThat(en.out()).contains("Replies to the source:").contains("in Spanish)").contains(REPLY);
    CliResult history = ok(BOB, "history", reportId);
    assertThat(history.out()).contains("alice").contains("respuesta a la fuente, en español").contains("    " + REPLY);
  }

  @Test
  @Order(2)
  void followUpAfterClose_isNamedBySyncMarkedInListAndShow_andReopenBringsTheCaseBack() throws Exception {
    ok(ALICE, "note", reportId, "--text", "Llamar al albergue de Arriaga.");
    ok(ALICE, "refer", reportId, "--to", "fiscalia_estatal", "--state", "CHP", "--reference", "FGE/CHP/77/2026");
    ok(ALICE, "close", reportId, "referred");
    ok(BOB, "sync");
    assertThat(ok(BOB, "show", reportId).out()).contains("Resultado:").contains("canalizada")
        .doesNotContain("SEGUIMIENTO DESPUÉS DEL CIERRE");

    String b = "----TeamFollowUp";
    HttpResponse<String> f = post("/status/follow-up?lang=es", "multipart/form-data; boundary=" + b,
        multipart(b, new String[][] {{"receipt", receipt}, {"message", "Me volvieron a pedir dinero."}}));
    assertThat(f.statusCode()).isEqualTo(200);
    CliResult sync = ok(BOB, "sync");
    assertThat(sync.out()).contains("follow-up on case " + reportId.substring(0, 12) + "… (closed): it arrived after"
        + " the case was closed").contains("testigo-reviewer reopen " + reportId.substring(0, 12));
    assertThat(ok(BOB, "list").out()).contains("UNREAD: FOLLOW-UP AFTER CLOSE");
    assertThat(ok(BOB, "show", reportId).out()).contains("SEGUIMIENTO DESPUÉS DEL CIERRE (sin leer)")
        .contains("Me volvieron a pedir dinero.");

    CliResult reopened = ok(BOB, "reopen", reportId, "--note", "La fuente escribió de nuevo.");
    assertThat(reopened.out()).contains("Recorded reopen and a note").contains("status now referred");
    assertThat(ok(BOB, "list").out()).doesNotContain("UNREAD");
    CliResult again = as(BOB, "reopen", reportId);
    assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(again.err()).contains("is not closed").contains("nothing recorded");
    CliResult history = ok(ALICE, "history", reportId, "--lang", "en");
    assertThat(history.out()).contains("reopened").contains("    La fuente escribió de nuevo.")
        .contains("referred to state prosecutor's office CHP, reference FGE/CHP/77/2026")
        .contains("closed, outcome: referred").contains("Now: referred;");
  }

  @Test
  @Order(3)
  void export_holdsRepliesNotesReferralsAndOutcome_andSaysSo() throws Exception {
    ok(BOB, "close", reportId, "substantiated");
    Path out = DATA.resolve("export-bob");
    CliResult r = ok(BOB, "export", reportId, "--out", out.toString());
    assertThat(r.out()).contains("1 reply(ies), 2 note(s), 1 referral(s), outcome substantiated");
    JsonNode c = new ObjectMapper().readTree(out.resolve("case.json").toFile());
    assertThat(c.get("status").asText()).isEqualTo("closed");
    assertThat(c.get("outcome").asText()).isEqualTo("substantiated");
    assertThat(c.get("replies").get(0).get("text").asText()).isEqualTo(REPLY);
    assertThat(c.get("replies").get(0).get("author").asText()).isEqualTo("alice");
    assertThat(c.get("replies").get(0).get("language").asText()).isEqualTo("es");
    assertThat(c.get("notes").get(0).get("text").asText()).isEqualTo("Llamar al albergue de Arriaga.");
    assertThat(c.get("referrals").get(0).get("reference").asText()).isEqualTo("FGE/CHP/77/2026");
    assertThat(Files.readString(out.resolve("README.txt"))).contains("1 respuesta(s) a la fuente")
        .contains("2 nota(s)").contains("1 canalización(es)").contains("resultado: fundada").contains("case.json");
    assertThat(Files.readString(out.resolve("report.txt"))).contains(REPLY).contains("Llamar al albergue de Arriaga.")
        .contains("FGE/CHP/77/2026");
    assertThat(Files.readString(out.resolve("history.txt"))).contains(REPLY);
    assertThat(Files.readString(out.resolve("events.json"))).contains(REPLY);
    assertThat(Files.readString(out.resolve("MANIFEST.txt"))).contains("case.json").contains("README.txt");
  }

  @Test
  @Order(4)
  void feedbackOnACaseWhoseDeadlineIsMet_isNoFailure_andIdPrefixesSayWhatTheyMatch() throws Exception {
    List<String> before = eventFiles();
    CliResult fb = as(BOB, "feedback", reportId, "--note", "En persona.");
    assertThat(fb.code()).as(fb.err()).isEqualTo(ExitCodes.OK);
    assertThat(fb.out()).contains("already met").contains("nothing recorded");
    assertThat(eventFiles()).isEqualTo(before);

    List<String> ids;
    try (var files = Files.list(DATA.resolve("home-bob/cache/default/submissions"))) {
      ids = files.map(p -> p.getFileName().toString()).toList();
    }
    String absent = java.util.stream.Stream.of("0000", "1111", "2222", "3333")
        .filter(p -> ids.stream().noneMatch(i -> i.startsWith(p))).findFirst().orElseThrow();
    CliResult none = as(BOB, "show", absent);
    assertThat(none.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(none.err()).contains("no case starts with " + absent);
    CliResult noneTriage = as(BOB, "note", absent, "--text", "x");
    assertThat(noneTriage.err()).contains("no case starts with " + absent);
    CliResult notHex = as(BOB, "show", "zz\u001b[2J");
    assertThat(notHex.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notHex.err()).doesNotContain("\u001b");
  }

  static List<String> eventFiles() throws Exception {
    try (var s = Files.list(DATA.resolve("home-bob/cache/default/events"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

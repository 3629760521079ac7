package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's end-to-end check of the reviewer workflow with the real jars, on real MariaDB
 * (its own database, dropped afterwards):
 * <ol>
 *   <li>the organisation is made with the reviewer jar as in the key-ceremony runbook:
 *       reviewers ana and beto create their keystores, the custodians' genesis ceremony
 *       lists ana, the server starts on that chain (no demo organisation), and a second
 *       ceremony ({@code manifest add-reviewer}) adds beto; the server takes the longer
 *       chain through its admin task {@code update-manifest};</li>
 *   <li>a source without JavaScript submits a report with two files through the HTML form;</li>
 *   <li>both reviewers {@code server add} and {@code sync}; they triage at the same moment
 *       from two launcher processes started together (ana: ack, assign; beto: priority,
 *       label, note), sync again and see the same state in {@code list} and {@code show};</li>
 *   <li>ana replies from a file; the source reads the reply on the status page with the
 *       receipt; beto refers the case with a reference number and closes it;
 *       beto reads the reply's text, sender and language in {@code show}; {@code history}
 *       verifies every event and shows its details; the source writes after the close, ana's
 *       {@code sync} names the case, {@code list} marks it unread, ana {@code reopen}s it;
 *       beto's {@code export} holds replies, notes and the referral; {@code files} gives back
 *       both attachments byte for byte, saying they came with the report.</li>
 * </ol>
 * No timing assertions.
 */
class ReviewerWorkflowIT {
  private static final String[] CUSTODIANS = {"custodia-uno", "custodia-dos"};

  @TempDir Path work;
  private final List<String> databases = new ArrayList<>();

  @AfterEach
  void dropDatabases() throws Exception {
    for (String db : databases) {
      sql("DROP DATABASE IF EXISTS `" + db + "`");
    }
  }

  /** One reviewer's workstation: keystore, passphrase file and home directory. */
  private record Reviewer(String alias, Path keystore, Path passphrase, Path home) {
    String[] auth() {
      return new String[] {"--home", home.toString(), "-k", keystore.toString(),
          "--passphrase-file", passphrase.toString()};
    }
  }

  @Test
  void twoReviewersTriageConcurrently_replyReachesTheSource_caseIsReferredClosedAndVerified()
      throws Exception {
    String db = "testigo_rw_" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12).toLowerCase(Locale.ROOT);
    databases.add(db);
    sql("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    Path emptyPassword = Files.createFile(work.resolve("db-root-password"));

    // Reviewers make their keys on their own workstations and hand over the public bundles.
    Reviewer ana = reviewer("ana");
    Reviewer beto = reviewer("beto");

    // The server administrator makes the log key with the server jar (log.keyFile under the
    // data directory, mode 0600) and hands its public half to the genesis ceremony.
    Path serverWork = Files.createDirectories(work.resolve("server"));
    Path data = Files.createDirectories(serverWork.resolve("data"));
    Path logPub = work.resolve("log.pub");
    RealJars.Run made = RealJars.serverCommand(serverWork, "-Ddw.dataDirectory=" + data,
        "log-key", "create", "--public-out", logPub.toString());
    assertThat(made.exitCode()).as(made.output()).isZero();
    assertThat(Files.readString(logPub)).startsWith("-----BEGIN TESTIGO LOG PUBLIC KEY-----");
    byte[] seed = Files.readAllBytes(data.resolve("log-key"));
    RealJars.Run again = RealJars.serverCommand(serverWork, "-Ddw.dataDirectory=" + data,
        "log-key", "create");
    assertThat(again.exitCode()).as(again.output()).isNotZero();
    assertThat(again.output()).contains("refusing to overwrite").doesNotContain("\tat ");
    assertThat(Files.readAllBytes(data.resolve("log-key"))).isEqualTo(seed);
    RealJars.Run shown = RealJars.serverCommand(serverWork, "-Ddw.dataDirectory=" + data, "log-key", "public");
    assertThat(shown.exitCode()).as(shown.output()).isZero();
    assertThat(shown.output()).contains(Files.readString(logPub).strip());
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    writePrivate(data.resolve("deployment-secret"), secret);

    // Genesis ceremony: the organisation's root key, split 2-of-2; the first manifest lists ana.
    Path ceremony = work.resolve("ceremony");
    List<String> init = new ArrayList<>(List.of("custody", "init", "--organisation", "Casa del Migrante (prueba)"));
    for (String c : CUSTODIANS) {
      init.addAll(List.of("--custodian", c + "=" + passFile(c)));
    }
    init.addAll(List.of("-m", "2", "--log-key", logPub.toString(), "--reviewer", bundle(ana).toString(),
        "--out", ceremony.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1"));
    String genesis = ok(work, init.toArray(String[]::new));
    String root = genesis.lines().filter(l -> l.startsWith("Full root fingerprint: ")).findFirst()
        .orElseThrow().substring("Full root fingerprint: ".length()).strip();
    Files.copy(ceremony.resolve("chain.txt"), data.resolve("manifest-chain.txt"));
    Files.writeString(data.resolve("root-fingerprint"), root + "\n");

    String marker = "MARCADOR-FLUJO-" + UUID.randomUUID();
    byte[] photo = new byte[70_000];
    new SecureRandom().nextBytes(photo);
    photo[0] = 0x00;
    byte[] document = ("%PDF-1.4 denuncia en papel " + marker + "\n").getBytes(StandardCharsets.UTF_8);
    String replyText = "Recibimos su denuncia. Puede acudir al albergue el lunes. Respuesta " + UUID.randomUUID();

    try (RealJars.Server server = RealJars.startServer(serverWork, "256m", "dw.keys.demoBootstrap=false",
        "dw.database.type=MARIADB", "dw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db,
        "dw.database.user=root", "dw.database.passwordFile=" + emptyPassword)) {
      HttpClient http = HttpClient.newHttpClient();

      // A second ceremony adds beto; the administrator gives the new chain to the server.
      Path chain1 = work.resolve("chain-1.txt");
      List<String> add = new ArrayList<>(List.of("manifest", "add-reviewer", bundle(beto).toString(),
          "--role", "reviewer", "--chain", ceremony.resolve("chain.txt").toString(), "-o", chain1.toString()));
      for (String c : CUSTODIANS) {
        add.addAll(List.of("--share", ceremony.resolve(c + ".tshare").toString(),
            "--share-passphrase-file", passFile(c).toString()));
      }
      assertThat(ok(work, add.toArray(String[]::new))).contains("Added beto (reviewer): manifest 1");
      HttpResponse<String> update = http.send(HttpRequest.newBuilder(
              URI.create(server.adminUrl("/tasks/update-manifest")))
          .POST(HttpRequest.BodyPublishers.ofFile(chain1)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
      assertThat(update.body()).contains("manifest 1 in force: 2 reviewer entries");

      // The source, without JavaScript, reports with two files.
      Multipart form = new Multipart().field("version", "1").field("lang", "es")
          .field("what", "extortion").field("who", "inm").field("state", "OAX")
          .field("place_kind", "train")
          .field("narrative", "Nos pidieron dinero en el tren. " + marker)
          .field("wants", "reply")
          .file("files", "foto.bin", "application/octet-stream", photo)
          .file("files", "denuncia.pdf", "application/pdf", document);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url("/report?lang=es")))
          .header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      Matcher r = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(page.body());
      assertThat(r.find()).as(page.body()).isTrue();
      String receipt = r.group(1).strip();

      // Both reviewers register the server (pinned root) and sync.
      for (Reviewer rv : List.of(ana, beto)) {
        assertThat(ok(work, "server", "add", server.reviewerUrl(), "--root", root, "--home", rv.home().toString()))
            .isNotBlank();
        assertThat(ok(work, args("sync", rv))).contains("1 new submission(s)").contains("manifest #1");
      }
      String listed = ok(work, args("list", ana));
      Matcher idm = Pattern.compile("(?m)^([0-9a-f]{12})  ").matcher(listed);
      assertThat(idm.find()).as(listed).isTrue();
      String id = idm.group(1);
      assertThat(listed).contains("1 report(s)").contains("extortion").contains("new");

      // Concurrent triage: two launcher processes started together, twice.
      concurrently(() -> ok(work, args("ack", ana, id)), () -> ok(work, args("priority", beto, id, "urgent")));
      concurrently(() -> ok(work, args("assign", ana, id, "beto")),
          () -> ok(work, args("label", beto, id, "--add", "tren")));
      assertThat(ok(work, args("note", beto, id, "--text", "Pedir a la fiscalía copia del parte."))).contains("Recorded note");

      for (Reviewer rv : List.of(ana, beto)) {
        assertThat(ok(work, args("sync", rv))).contains("0 new submission(s)");
      }
      String listA = ok(work, args("list", ana));
      String listB = ok(work, args("list", beto));
      assertThat(listA).isEqualTo(listB).contains("acknowledged").contains("beto");
      String showA = ok(work, args("show", ana, id, "--lang", "en"));
      String showB = ok(work, args("show", beto, id, "--lang", "en"));
      assertThat(showA).isEqualTo(showB).contains("Nos pidieron dinero en el tren. " + marker)
          .contains("acknowledged; assigned to: beto; priority: urgent; labels: tren")
          .contains("Pedir a la fiscalía copia del parte.");

      // Ana replies from a file; the source reads it with the receipt.
      Path replyFile = work.resolve("respuesta.txt");
      Files.writeString(replyFile, replyText, StandardCharsets.UTF_8);
      assertThat(ok(work, args("reply", ana, id, "--file", replyFile.toString(), "--yes"))).contains("Reply sent");
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(server.url("/status?lang=es")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      assertThat(status.body()).contains(replyText);

      // The other reviewer reads what was said to the source, who said it and in which language.
      ok(work, args("sync", beto));
      String betoShows = ok(work, args("show", beto, id));
      assertThat(betoShows).contains("Respuestas a la fuente:").contains("(ana, ").contains("en español)")
          .contains(replyText).doesNotContain("priority").doesNotContain("labels");

      // Beto refers the case with the prosecutor's reference number and closes it.
      assertThat(ok(work, args("refer", beto, id, "--to", "fgr", "--reference", "FGR/OAX/0421/2026")))
          .contains("status now referred");
      assertThat(ok(work, args("close", beto, id, "referred"))).contains("status now closed");

      RealJars.Run history = RealJars.reviewer(work, args("history", ana, id, "--lang", "en"));
      assertThat(history.exitCode()).as(history.output()).isZero();
      assertThat(history.output()).contains("8 verified event(s)")
          .contains("Now: closed; assigned to: beto; priority: urgent; labels: tren")
          .doesNotContain("rejected").doesNotContain("unreadable").doesNotContain("failed verification");
      for (String detail : List.of("acknowledged", "priority: urgent", "assigned to beto", "label added: tren",
          "note", "    Pedir a la fiscalía copia del parte.", "reply to the source, in Spanish", "    " + replyText,
          "referred to FGR (federal prosecutor), reference FGR/OAX/0421/2026", "closed, outcome: referred")) {
        assertThat(history.output()).contains(detail);
      }
      assertThat(history.output().lines().filter(l -> l.contains("[applied]")).count()).isEqualTo(8);

      // The source writes again after the close: sync names the case, list marks it, ana reopens it.
      Multipart followUp = new Multipart().field("receipt", receipt).field("message", "Me volvieron a pedir dinero.");
      HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(server.url("/status/follow-up?lang=es")))
          .header("Content-Type", followUp.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(followUp.build())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
      assertThat(ok(work, args("sync", ana))).contains("1 new submission(s)")
          .contains("follow-up on case " + id + "… (closed): it arrived after the case was closed")
          .contains("testigo-reviewer reopen " + id);
      assertThat(ok(work, args("list", ana))).contains("UNREAD: FOLLOW-UP AFTER CLOSE");
      assertThat(ok(work, args("show", ana, id, "--lang", "en"))).contains("FOLLOW-UP AFTER CLOSE (unread)")
          .contains("Me volvieron a pedir dinero.");
      assertThat(ok(work, args("reopen", ana, id, "--note", "La fuente volvió a escribir."))).contains("status now referred");
      assertThat(ok(work, args("list", ana))).doesNotContain("UNREAD").contains("referred");
      RealJars.Run twice = RealJars.reviewer(work, args("reopen", ana, id));
      assertThat(twice.exitCode()).isEqualTo(6);
      assertThat(twice.output()).contains("is not closed").contains("nothing recorded");

      // Beto's case file holds the reply, the notes, the referral and says what it holds.
      ok(work, args("sync", beto));
      Path caseFile = work.resolve("expediente");
      assertThat(ok(work, args("export", beto, id, "--out", caseFile.toString())))
          .contains("1 reply(ies), 2 note(s), 1 referral(s)");
      String caseJson = Files.readString(caseFile.resolve("case.json"));
      assertThat(caseJson).contains(replyText).contains("Pedir a la fiscalía copia del parte.")
          .contains("La fuente volvió a escribir.").contains("FGR/OAX/0421/2026").containsPattern("\"status\"\\s*:\\s*\"referred\"");
      assertThat(Files.readString(caseFile.resolve("README.txt"))).contains("1 respuesta(s) a la fuente")
          .contains("case.json");
      assertThat(Files.readString(caseFile.resolve("report.txt"))).contains(replyText)
          .contains("Me volvieron a pedir dinero.");

      Path out = work.resolve("adjuntos");
      assertThat(ok(work, args("files", beto, id, "--out", out.toString()))).contains("2 file(s)")
          .contains("2 attachment(s) came with the report").contains("0 attachment(s) came with follow-up");
      List<byte[]> written = new ArrayList<>();
      try (var files = Files.list(out)) {
        for (Path f : files.sorted().toList()) {
          written.add(Files.readAllBytes(f));
        }
      }
      assertThat(written).hasSize(2);
      assertThat(written).anySatisfy(b -> assertThat(b).isEqualTo(photo));
      assertThat(written).anySatisfy(b -> assertThat(b).isEqualTo(document));

      assertThat(RealJars.filesContaining(server.dataDir, marker)).isEmpty();
      assertThat(server.output()).doesNotContain(marker).doesNotContain(replyText);
    }
  }

  /**
   * Issue 19, part B, with the real jars on real MariaDB (demo organisation): five reports; two
   * referred to the FGR and followed to a sentence, two to the CNDH to a recommendation, one
   * never referred; a status line published to one source, which its status page shows in the
   * source's language with the reference; {@code history} shows the referral stages; and
   * {@code stats --from-cache} gives the funnel those stages imply.
   */
  @Test
  void referralOutcomes_sourceSeesThePublishedStatus_statsFromCacheGiveTheFunnel() throws Exception {
    String db = "testigo_ro_" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12).toLowerCase(Locale.ROOT);
    databases.add(db);
    sql("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    Path emptyPassword = Files.createFile(work.resolve("db-root-password"));
    Path serverWork = Files.createDirectories(work.resolve("server"));
    try (RealJars.Server server = RealJars.startServer(serverWork, "256m",
        "dw.database.type=MARIADB", "dw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db,
        "dw.database.user=root", "dw.database.passwordFile=" + emptyPassword)) {
      HttpClient http = HttpClient.newHttpClient();
      Reviewer demo = new Reviewer("demo-reviewer", server.dataDir.resolve("demo/reviewer.keystore"),
          server.dataDir.resolve("demo/reviewer.passphrase"), work.resolve("demo-home"));
      String root = Files.readString(server.dataDir.resolve("root-fingerprint")).strip();
      ok(work, "server", "add", server.reviewerUrl(), "--root", root, "--home", demo.home().toString());

      java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
      java.util.Map<String, String> receipts = new java.util.LinkedHashMap<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String name : List.of("fgr1", "fgr2", "cndh1", "cndh2", "none")) {
        Multipart form = new Multipart().field("version", "1").field("lang", "es").field("what", "extortion")
            .field("who", "inm").field("state", "CHP").field("narrative", "Caso " + name).field("wants", "reply");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url("/report?lang=es")))
            .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.build()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher r = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(page.body());
        assertThat(r.find()).isTrue();
        receipts.put(name, r.group(1).strip());
        ok(work, args("sync", demo));
        Matcher idm = Pattern.compile("(?m)^([0-9a-f]{12})  ").matcher(ok(work, args("list", demo)));
        List<String> fresh = new ArrayList<>();
        while (idm.find()) {
          if (seen.add(idm.group(1))) {
            fresh.add(idm.group(1));
          }
        }
        assertThat(fresh).hasSize(1);
        ids.put(name, fresh.get(0));
      }

      String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
      for (String name : List.of("fgr1", "fgr2")) {
        ok(work, args("refer", demo, ids.get(name), "--to", "fgr", "--reference", "FGR/CHP/77/2026-" + name));
        for (String stage : List.of("investigation_opened", "charges_filed", "hearing", "sentence")) {
          assertThat(ok(work, args("referral-update", demo, ids.get(name), "--stage", stage, "--date", today)))
              .contains("Recorded referral_update " + stage);
        }
      }
      for (String name : List.of("cndh1", "cndh2")) {
        ok(work, args("refer", demo, ids.get(name), "--to", "cndh", "--reference", "CNDH/5/2026/" + name));
        ok(work, args("referral-update", demo, ids.get(name), "--stage", "complaint_admitted", "--date", today));
        ok(work, args("referral-update", demo, ids.get(name), "--stage", "recommendation_issued", "--date", today));
      }
      RealJars.Run wrongStage = RealJars.reviewer(work, args("referral-update", demo, ids.get("cndh1"), "--stage",
          "charges_filed", "--date", today));
      assertThat(wrongStage.exitCode()).isEqualTo(2);
      assertThat(wrongStage.output()).contains("complaint_admitted, conciliation, recommendation_issued, dismissed");

      // Nothing reaches the source until a reviewer publishes it.
      String before = statusPage(http, server, receipts.get("fgr1"), "es");
      assertThat(before).doesNotContain("Estado de su denuncia").doesNotContain("FGR/CHP/77");
      assertThat(ok(work, args("publish", demo, ids.get("fgr1"), "--status", "referred", "--institution",
          "Fiscalía General de la República, delegación Chiapas", "--reference", "FGR/CHP/77/2026-fgr1", "--yes")))
          .contains("Published to the source");
      assertThat(statusPage(http, server, receipts.get("fgr1"), "es")).contains("Estado de su denuncia")
          .contains("Su denuncia fue enviada a Fiscalía General de la República, delegación Chiapas con el número de referencia"
              + " FGR/CHP/77/2026-fgr1.");
      assertThat(statusPage(http, server, receipts.get("fgr1"), "ht"))
          .contains("Nou voye denonsyasyon ou bay Fiscalía General de la República, delegación Chiapas ak nimewo referans"
              + " FGR/CHP/77/2026-fgr1.");
      assertThat(statusPage(http, server, receipts.get("fgr2"), "es")).doesNotContain("Estado de su denuncia");

      String history = ok(work, args("history", demo, ids.get("fgr1"), "--lang", "en"));
      assertThat(history).contains("referral outcome: charges filed on " + today)
          .contains("referral outcome: sentence on " + today)
          .contains("published to the source: referred to Fiscalía General de la República, delegación Chiapas with"
              + " reference");
      assertThat(history.lines().filter(l -> l.contains("[applied]")).count()).isEqualTo(6);

      Path out = work.resolve("stats");
      String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
      assertThat(ok(work, args("stats", demo, "--from-cache", "--out", out.toString(), "--min-cell", "2",
          "--from", month, "--to", month, "--as-of", today))).contains("5 case(s) from the cache");
      List<String> csv = Files.readAllLines(out.resolve("testigo-stats.csv"));
      assertThat(csv).contains(
          "funnel,received,count,5,false",
          "funnel,referred,count,4,false",
          "funnel,investigation_opened,count,4,false",
          "funnel,charges,count,2,false",
          "funnel,sentence_or_recommendation,count,4,false",
          "funnel_prosecution,referred,count,2,false",
          "funnel_prosecution,investigation_opened,count,2,false",
          "funnel_prosecution,charges,count,2,false",
          "funnel_prosecution,sentence,count,2,false",
          "funnel_commission,referred,count,2,false",
          "funnel_commission,complaint_admitted,count,2,false",
          "funnel_commission,recommendation,count,2,false");
      for (Path f : List.of(out.resolve("testigo-stats.csv"), out.resolve("testigo-stats.json"), out.resolve("index.html"))) {
        // the institution's label (a fixed vocabulary) is on the page; what the reviewer typed is not
        assertThat(Files.readString(f)).doesNotContain("FGR/CHP").doesNotContain("delegación Chiapas").doesNotContain("Caso ");
      }
    }
  }

  private static String statusPage(HttpClient http, RealJars.Server server, String receipt, String lang)
      throws IOException, InterruptedException {
    HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(server.url("/status?lang=" + lang)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    return status.body();
  }

  /** Runs the two commands in two threads, each starting its own launcher process, at once. */
  private static void concurrently(Callable<String> a, Callable<String> b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> fa = pool.submit(a);
      Future<String> fb = pool.submit(b);
      assertThat(fa.get(3, TimeUnit.MINUTES)).contains("Recorded");
      assertThat(fb.get(3, TimeUnit.MINUTES)).contains("Recorded");
    } finally {
      pool.shutdownNow();
    }
  }

  private Reviewer reviewer(String alias) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve(alias));
    Reviewer r = new Reviewer(alias, dir.resolve(alias + ".tkey"), passFile(alias), dir.resolve("home"));
    assertThat(ok(work, "keys", "init", "--alias", alias, "-k", r.keystore().toString(), "--passphrase-file",
        r.passphrase().toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1"))
        .contains("Keystore written");
    return r;
  }

  private Path bundle(Reviewer r) throws IOException, InterruptedException {
    Path b = work.resolve(r.alias() + ".pub");
    if (!Files.exists(b)) {
      ok(work, "keys", "public", "-k", r.keystore().toString(), "--passphrase-file", r.passphrase().toString(),
          "-o", b.toString());
    }
    return b;
  }

  private Path passFile(String name) throws IOException {
    Path p = work.resolve(name + ".pass");
    if (!Files.exists(p)) {
      Files.writeString(p, "una frase larga y secreta de " + name + "\n");
    }
    return p;
  }

  private static String[] args(String command, Reviewer r, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(r.auth()));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  /** Runs the reviewer jar and returns its output; fails with the output unless it exits 0. */
  private static String ok(Path dir, String... args) throws IOException, InterruptedException {
    RealJars.Run run = RealJars.reviewer(dir, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ":\n" + run.output()).isZero();
    return run.output();
  }

  private static void writePrivate(Path file, byte[] content) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, content);
  }

  private static void sql(String statement) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--protocol=TCP",
        "-e", statement).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("mariadb failed: " + out);
    }
  }
}

package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, shelter part, with the real jars: a shelter profile is created against the real
 * intake server; with the server stopped, a report with an attachment is filed into the
 * encrypted outbox (upload fails with exit 7 and keeps it); with the server back, upload
 * registers the mailbox and stores the envelope (201); the reviewer command line opens the
 * exported envelope with the demo keystore (questionnaire, consent, attachment); the printed
 * receipt opens the status page; the plaintext marker is nowhere on either disk.
 */
class ShelterOutboxIT {
  @TempDir Path work;

  record Run(int exitCode, String output) {}

  /** Runs {@code java -cp testigo-reviewer.jar org.testigo.shelter.ShelterCli args}. */
  static Run shelter(Path workDir, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m", "-cp",
        RealJars.REVIEWER_JAR.toString(), "org.testigo.shelter.ShelterCli"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "shelter-", ".log");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("shelter command timed out: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void fileOffline_uploadLater_reviewerOpensIt_andTheReceiptOpensTheStatusPage()
      throws Exception {
    String marker = "MARCADOR-" + UUID.randomUUID();
    Path home = work.resolve("shelter-profile");
    Path pass = work.resolve("shelter-pass.txt");
    Files.writeString(pass, "una frase larga para el albergue\n");
    Path photo = work.resolve("reten.jpg");
    Files.writeString(photo, "foto del retén " + marker);
    Path answers = work.resolve("answers.yaml");
    Files.writeString(answers, "what: [extortion]\nwho: [inm]\nwhere: {state: CHP, placeKind:"
        + " train}\nnarrative: \"Nos pidieron dinero en el tren. " + marker + "\"\n"
        + "wants: [reply]\n");
    Path serverWork = Files.createDirectories(work.resolve("server"));
    int port;
    String root;
    HttpClient http = HttpClient.newHttpClient();

    try (RealJars.Server server = RealJars.startServer(serverWork, "256m")) {
      port = server.port;
      root = Files.readString(server.dataDir.resolve("root-fingerprint")).strip();
      Run init = shelter(work, "", "init", "--home", home.toString(), "--server",
          server.url(""), "--root", root, "--passphrase-file", pass.toString(),
          "--argon2-memory-mib", "16", "--argon2-iterations", "1");
      assertThat(init.exitCode()).as(init.output()).isZero();
      assertThat(init.output()).contains("Verified key manifest 0");
    }

    // Offline: the server is stopped.
    Run filed = shelter(work, "sí\n", "file", "--home", home.toString(), "--lang", "es",
        "--from", answers.toString(), "--attach", photo.toString());
    assertThat(filed.exitCode()).as(filed.output()).isZero();
    assertThat(filed.output()).contains("waiting in the outbox");
    String words = words(filed.output());
    Run offline = shelter(work, "", "upload", "--home", home.toString(), "--passphrase-file",
        pass.toString());
    assertThat(offline.exitCode()).as(offline.output()).isEqualTo(7);
    Run listed = shelter(work, "", "outbox", "list", "--home", home.toString(),
        "--passphrase-file", pass.toString());
    assertThat(listed.output()).contains("1 report(s) waiting");

    // Same data directory, same application port (the shelter profile names it); the
    // later -D overrides RealJars' random port, so server.url() is not used below.
    try (RealJars.Server server = RealJars.startServer(serverWork, "256m",
        "dw.server.applicationConnectors[0].port=" + port)) {
      Run up = shelter(work, "", "upload", "--home", home.toString(), "--passphrase-file",
          pass.toString());
      assertThat(up.exitCode()).as(up.output()).isZero();
      assertThat(up.output()).contains("1 uploaded; 0 still in the outbox.");
      assertThat(words(up.output())).isEqualTo(words);

      HttpResponse<String> export = http.send(HttpRequest.newBuilder(
              URI.create(server.adminUrl("/tasks/export-envelope?latest=true")))
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(export.statusCode()).isEqualTo(200);
      Matcher m = Pattern.compile("(/\\S+\\.tgenv)").matcher(export.body());
      assertThat(m.find()).as(export.body()).isTrue();
      Path opened = work.resolve("report.payload");
      RealJars.Run open = RealJars.reviewer(work, "open", "--keystore",
          server.dataDir.resolve("demo/reviewer.keystore").toString(), "--passphrase-file",
          server.dataDir.resolve("demo/reviewer.passphrase").toString(), m.group(1),
          opened.toString());
      assertThat(open.exitCode()).as(open.output()).isZero();
      String plaintext = Files.readString(opened, StandardCharsets.UTF_8);
      assertThat(plaintext).startsWith("TGPAYLD1")
          .contains("\"narrative\":\"Nos pidieron dinero en el tren. " + marker + "\"")
          .contains("\"consent\":{\"given\":true,\"language\":\"es\",\"statementVersion\":1,")
          .contains("{\"name\":\"file\",\"filename\":\"reten.jpg\",\"type\":\"image/jpeg\"}")
          .contains("foto del retén " + marker);
      Files.delete(opened);

      HttpResponse<String> status = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/status?lang=es"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("receipt="
              + URLEncoder.encode(words, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      assertThat(status.body()).contains("Todavía no hay respuestas");

      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/status?lang=es"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("receipt=" + URLEncoder.encode(
              "abaco abdomen abeja abierto abogado abono aborto abrazo", StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.body()).doesNotContain("Todavía no hay respuestas");

      assertThat(RealJars.filesContaining(server.dataDir, marker)).isEmpty();
      assertThat(RealJars.filesContaining(home, marker)).isEmpty();
      assertThat(server.output()).doesNotContain(marker);
    }
  }

  private static String words(String out) {
    Matcher m = Pattern.compile("1\\. (\\S+)\\s+2\\. (\\S+)\\s+3\\. (\\S+)\\s+4\\. (\\S+)\\s+"
        + "5\\. (\\S+)\\s+6\\. (\\S+)\\s+7\\. (\\S+)\\s+8\\. (\\S+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      sb.append(i > 1 ? " " : "").append(m.group(i));
    }
    return sb.toString();
  }
}

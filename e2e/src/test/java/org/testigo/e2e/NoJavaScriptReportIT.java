package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's end-to-end check with the real jars: a source without JavaScript submits a
 * report with a file through HTTP; the server seals it; the reviewer command line opens it
 * with the demo keystore; and the plaintext marker is found nowhere on the server's disk.
 */
class NoJavaScriptReportIT {
  @TempDir Path work;

  @Test
  void reportSubmittedWithoutJavaScript_opensWithReviewerCli_andNoPlaintextOnServerDisk()
      throws Exception {
    String marker = "MARCADOR-" + UUID.randomUUID();
    byte[] photo = ("foto del retén " + marker).getBytes(StandardCharsets.UTF_8);
    try (RealJars.Server server = RealJars.startServer(work, "256m")) {
      assertThat(server.output()).contains("== Testigo demo ==")
          .contains("testigo-reviewer");

      Multipart form = new Multipart().field("version", "1").field("lang", "es")
          .field("what", "extortion").field("who", "inm").field("state", "OAX")
          .field("place_kind", "train")
          .field("narrative", "Nos pidieron dinero en el tren. " + marker)
          .field("wants", "reply")
          .file("files", "reten.jpg", "application/octet-stream", photo);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(
              URI.create(server.url("/report?lang=es")))
          .header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(page.body()).doesNotContain(marker);

      HttpResponse<String> export = http.send(HttpRequest.newBuilder(
              URI.create(server.adminUrl("/tasks/export-envelope?latest=true")))
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(export.statusCode()).isEqualTo(200);
      Matcher m = Pattern.compile("(/\\S+\\.tgenv)").matcher(export.body());
      assertThat(m.find()).as(export.body()).isTrue();
      Path envelope = Path.of(m.group(1));

      Path keystore = server.dataDir.resolve("demo/reviewer.keystore");
      Path passphrase = server.dataDir.resolve("demo/reviewer.passphrase");
      Path opened = work.resolve("report.payload");
      RealJars.Run run = RealJars.reviewer(work, "open", "--keystore", keystore.toString(),
          "--passphrase-file", passphrase.toString(), envelope.toString(), opened.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      String plaintext = new String(Files.readAllBytes(opened), StandardCharsets.UTF_8);
      assertThat(plaintext).contains("Nos pidieron dinero en el tren. " + marker)
          .contains("foto del retén " + marker);

      assertThat(RealJars.filesContaining(server.dataDir, marker)).isEmpty();
      assertThat(server.output()).doesNotContain(marker).doesNotContain("127.0.0.1:"
          + "Java-http-client");
    }
  }
}

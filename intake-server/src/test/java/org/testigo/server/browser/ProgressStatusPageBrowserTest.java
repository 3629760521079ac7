package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.testigo.api.progress.SourceProgress;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * A published status line on the status page in a real Chromium, with JavaScript on and off
 * (the page is rendered by the server in both cases; the page script does not handle replies):
 * the line is in the page's language, the institution is text (never markup), and axe-core
 * finds no violation on the page with the progress section.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProgressStatusPageBrowserTest {
  static final Path DATA = BrowserSealingE2ETest.tempDir("testigo-progress-");

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  @Test
  void statusPage_showsThePublishedLineInThePageLanguageWithJavaScriptOnAndOff() throws Exception {
    SourcePagesBrowserTest.loadAxe();
    String b = "----ProgressBoundary";
    StringBuilder form = new StringBuilder();
    for (String[] f : List.of(new String[] {"version", "1"}, new String[] {"lang", "ht"},
        new String[] {"what", "extortion"}, new String[] {"narrative", "Yo mande m lajan."})) {
      form.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    form.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/report?lang=ht")))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    String receipt = m.group(1);
    store(receipt, SourceProgress.received(1).payload());
    store(receipt, SourceProgress.referred(2, "<i>Fiscalía</i> de Chiapas", "FGE/CHP/9").payload());

    for (boolean javascript : List.of(false, true)) {
      WebDriver d = SourcePagesBrowserTest.chromium(javascript);
      try {
        d.get(url("/status?lang=ht"));
        d.findElement(By.id("receipt")).sendKeys(receipt);
        d.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> !x.findElements(By.cssSelector("p.progress")).isEmpty());
        List<String> lines = d.findElements(By.cssSelector("p.progress")).stream().map(e -> e.getText()).toList();
        assertThat(lines).as("javascript " + javascript).hasSize(2);
        assertThat(lines.get(0)).endsWith("Nou voye denonsyasyon ou bay <i>Fiscalía</i> de Chiapas ak nimewo referans FGE/CHP/9.");
        assertThat(lines.get(1)).endsWith("Nou resevwa denonsyasyon ou.");
        assertThat(d.findElements(By.cssSelector("p.progress i"))).isEmpty();
        assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo("Kote denonsyasyon ou ye");
        if (javascript) {
          SourcePagesBrowserTest.assertAccessible(d, "status page with progress");
        }
      } finally {
        d.quit();
      }
    }
  }

  /** Seals {@code payload} to the receipt's reply key and links it to its mailbox as a reply. */
  private static void store(String receiptWords, byte[] payload) throws Exception {
    ReceiptKeys keys = ReceiptKeys.derive(Receipt.parse(receiptWords), new ReceiptParams(256, 1, 1),
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip()).toBytes());
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), sealed, List.of(keys.replyKey().publicKey()),
        Envelope.CONTEXT_REPLY, new SecureRandom());
    var jdbi = org.jdbi.v3.core.Jdbi.create(() -> java.sql.DriverManager.getConnection("jdbc:h2:file:"
        + DATA.resolve("db/testigo") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000",
        "sa", "")).installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
    var store = new org.testigo.server.storage.EnvelopeStore(jdbi, 4096, java.time.Clock.systemUTC(), new SecureRandom(),
        new org.testigo.server.storage.TransparencyLog(jdbi));
    byte[] mailboxId = org.testigo.crypto.receipt.MailboxIds.keyedHash(
        new org.testigo.crypto.SecretBytes(Files.readAllBytes(DATA.resolve("deployment-secret"))), keys.mailboxLookupKey());
    store.store("reply", java.util.Optional.of(org.testigo.server.storage.EnvelopeStore.MailboxLink.existing(
        org.testigo.server.domain.MailboxId.fromBytes(mailboxId), "reply")), out -> out.write(sealed.toByteArray()));
  }
}

package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * A form left open while the reviewers change: the page is loaded and its keys verified with
 * one reviewer; a manifest adding a second is published before the report is sent. The server
 * accepts a report sealed to exactly the reviewers valid when it arrives, so the page must seal
 * to the keys of the manifest in force at sending, not at loading (found by an outside attack:
 * the page kept the keys of the load and every send, and every retry, was refused until a
 * reload). Real Chromium, JavaScript on.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ManifestChangeBrowserTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALPHA = ReviewerIdentity.generate("alpha", RANDOM);
  static final ReviewerIdentity BETA = ReviewerIdentity.generate("beta", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Browser test org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALPHA)), T0.minus(Duration.ofMinutes(5))), ROOT);
  static final SignedManifest S1 = SignedManifest.sign(ManifestUpdates.addReviewer(S0, entry(BETA), T0), ROOT);
  static final Path DATA = prepare();

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("keys.demoBootstrap", "false"),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "1024"),
      ConfigOverride.config("receipts.iterations", "1"));

  static ReviewerEntry entry(ReviewerIdentity who) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(10)),
        T0.plus(Duration.ofDays(30)));
  }

  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-manifest-browser-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      Files.write(Files.createFile(dir.resolve("deployment-secret"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), secret);
      Files.write(Files.createFile(dir.resolve("log-key"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), LOG_KEY.exposeSecret());
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  @Test
  void aReportSentAfterTheReviewersChanged_isSealedToTheReviewersOfTheSend() throws Exception {
    WebDriver d = BrowserSealingE2ETest.chromium(true);
    try {
      d.get(url("/report?lang=es"));
      WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
      wait.until(x -> x.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready") != null);
      assertThat(d.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready"))
          .isEqualTo("true");

      // the custodians add a reviewer while the form is open
      HttpResponse<String> published = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/update-manifest"))
          .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              ManifestChain.toArmored(List.of(S0, S1)), StandardCharsets.US_ASCII)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).as(published.body()).isEqualTo(200);

      BrowserSealingE2ETest.fillReport(d, "Nos pidieron dinero en el retén.");
      d.findElement(By.cssSelector("button[type=submit]")).click();
      WebDriverWait slow = new WebDriverWait(d, Duration.ofSeconds(120));
      slow.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
      slow.until(x -> !x.findElements(BrowserSealingE2ETest.FINAL_RECEIPT).isEmpty()
          || !x.findElements(By.cssSelector(".js-status.warning")).isEmpty());
      assertThat(d.findElements(BrowserSealingE2ETest.FINAL_RECEIPT)).as(d.findElement(By.tagName("main")).getText())
          .hasSize(1);
    } finally {
      d.quit();
    }
  }
}

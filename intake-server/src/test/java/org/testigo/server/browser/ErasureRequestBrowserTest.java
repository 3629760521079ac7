package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * The status page's retention section and the early erasure request in a real Chromium with
 * JavaScript off, as a 360 px phone (CDP {@code Emulation.setDeviceMetricsOverride}), under a
 * manifest with the default retention policy: the section is there in the page's language, the
 * three pages (status, confirmation, sent) fit the width without scrolling sideways, their
 * buttons are at least 44 px tall and inside the screen, and axe-core finds no violation. Each
 * page is saved as a screenshot under {@code target/screenshots/} to be looked at.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErasureRequestBrowserTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final Path DATA = prepare();
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  /** A data directory whose manifest chain (genesis, then set-retention) carries the default policy. */
  static Path prepare() {
    try {
      Path dir = BrowserSealingE2ETest.tempDir("testigo-erasure-browser-");
      ReviewerIdentity alpha = ReviewerIdentity.generate("alpha", RANDOM);
      SignedManifest s0 = SignedManifest.sign(ManifestUpdates.genesis("Test org", ROOT.publicKey(), LOG_KEY.publicKey(),
          List.of(ReviewerEntry.of(alpha.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(5)),
              T0.plus(Duration.ofDays(30)))), T0), ROOT);
      SignedManifest s1 = SignedManifest.sign(ManifestUpdates.setRetention(s0, RetentionPolicy.DEFAULT, T0), ROOT);
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(s0, s1)));
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

  /** Files a report without JavaScript (plain HTTP) and returns its receipt words. */
  static String report(String lang) throws Exception {
    String b = "----ErasureBoundary";
    StringBuilder form = new StringBuilder();
    for (String[] f : List.of(new String[] {"version", "1"}, new String[] {"lang", lang},
        new String[] {"what", "extortion"}, new String[] {"narrative", "Nos pidieron dinero."})) {
      form.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    form.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/report?lang=" + lang)))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** A phone 360 px wide: CSS viewport, touch, device pixel ratio 2. */
  static void phone(WebDriver d) {
    ((ChromeDriver) d).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 360, "height", 740,
        "deviceScaleFactor", 2, "mobile", true));
  }

  /**
   * The page fits 360 px (nothing scrolls sideways), every button is inside the screen and at
   * least 44 px tall (a thumb), and a full-page screenshot is saved as {@code name}.png.
   */
  static void fitsAPhone(WebDriver d, String name) throws IOException {
    JavascriptExecutor js = (JavascriptExecutor) d;
    assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
        .as(name + " scroll width").isLessThanOrEqualTo(360);
    @SuppressWarnings("unchecked")
    List<List<Number>> buttons = (List<List<Number>>) js.executeScript("return Array.from(document.querySelectorAll"
        + "('button')).map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right, r.height]; })");
    assertThat(buttons).as(name + " buttons").isNotEmpty();
    for (List<Number> b : buttons) {
      assertThat(b.get(0).doubleValue()).as(name + " button left").isGreaterThanOrEqualTo(0);
      assertThat(b.get(1).doubleValue()).as(name + " button right").isLessThanOrEqualTo(360);
      assertThat(b.get(2).doubleValue()).as(name + " button height").isGreaterThanOrEqualTo(44);
    }
    long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
    ((ChromeDriver) d).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 360, "height",
        Math.min(height, 4000), "deviceScaleFactor", 2, "mobile", true));
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
    phone(d);
  }

  /** axe-core on the page as the no-JS browser has it, written into a same-origin page of a JS browser. */
  static void accessible(WebDriver noJs, WebDriver checker, String what) {
    String html = "<!DOCTYPE html>" + noJs.getPageSource();
    checker.get(url("/status?lang=es"));
    ((JavascriptExecutor) checker).executeScript("document.open(); document.write(arguments[0]); document.close();", html);
    new WebDriverWait(checker, Duration.ofSeconds(10)).until(x -> "complete".equals(
        ((JavascriptExecutor) x).executeScript("return document.readyState")));
    assertThat(SourcePagesBrowserTest.axeViolations(checker)).as(what).isEmpty();
  }

  @Test
  void statusPageRetentionAndErasureRequest_workWithJavaScriptOffOnA360pxPhone() throws Exception {
    SourcePagesBrowserTest.loadAxe();
    WebDriver d = SourcePagesBrowserTest.chromium(false);
    WebDriver checker = SourcePagesBrowserTest.chromium(true);
    try {
      phone(d);
      assertThat(((JavascriptExecutor) checker).executeScript("return 1")).isNotNull();
      for (String lang : List.of("ht", "es")) {
        String receipt = report(lang);
        d.get(url("/status?lang=" + lang));
        d.findElement(By.id("receipt")).sendKeys(receipt);
        d.findElement(By.cssSelector("form[action^='/status'] button[type=submit]")).click();
        new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> !x.findElements(By.id("retention-title")).isEmpty());
        String section = d.findElement(By.cssSelector("section.retention")).getText();
        if (lang.equals("es")) {
          assertThat(section).contains("¿Cuándo se borra su denuncia?")
              .contains("Cuando su caso se cierre, borraremos su denuncia más o menos 12 meses después.")
              .contains("más o menos 5 años");
        } else {
          assertThat(section).contains("Kilè yo efase denonsyasyon ou?").contains("apeprè 12 mwa apre");
        }
        fitsAPhone(d, "erasure-status-" + lang);
        accessible(d, checker, "status page with retention, " + lang);
      }
      d.findElement(By.cssSelector("form[action^='/visit/erasure'] button")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> x.getCurrentUrl().contains("/visit/erasure"));
      assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo("¿Pedir que borren su denuncia?");
      assertThat(d.findElement(By.tagName("main")).getText()).contains("El equipo decide. Nunca se borra sola ni enseguida.");
      fitsAPhone(d, "erasure-confirm-es");
      accessible(d, checker, "erasure confirmation");
      d.findElement(By.cssSelector("form[action^='/visit/erasure/confirm'] button")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> x.getCurrentUrl().contains("/visit/erasure/confirm"));
      assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo("Su pedido fue enviado.");
      fitsAPhone(d, "erasure-sent-es");
      accessible(d, checker, "erasure request sent");
    } finally {
      d.quit();
      checker.quit();
    }
  }
}

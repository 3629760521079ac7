package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.intake.strip.TestImages;

/**
 * The source pages in a real Chromium (issue 23): axe-core (vendored, {@code test/resources/axe})
 * finds no violation on any source page with JavaScript on or off; a keyboard-only walk
 * reaches every control in order, with a visible focus on each checkbox and radio, and sends a
 * report; a voice recorded in the page (Chromium's fake microphone) arrives sealed as an audio
 * attachment that opens with the reviewer key, its Argon2id derived in a Web Worker.
 *
 * <p>With {@code -Dtestigo.bench.slowDevice=true} one more method measures the report flow in
 * Chromium without JIT and with a 4x CPU throttle, Argon2id in the worker and on the page, and
 * prints the figures (it asserts only that both reports were sent).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourcePagesBrowserTest {
  static final Path DATA = BrowserSealingE2ETest.tempDir("testigo-a11y-");
  static final Path FILES = BrowserSealingE2ETest.tempDir("testigo-a11y-files-");
  static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
  static final boolean BENCH = Boolean.getBoolean("testigo.bench.slowDevice");
  static String axe;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", BENCH ? System.getProperty("testigo.bench.memoryKiB", "65536") : "1024"),
      ConfigOverride.config("receipts.iterations", BENCH ? System.getProperty("testigo.bench.iterations", "3") : "1"),
      ConfigOverride.config("limits.maxFormBytes", "8000000"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "8000000"));

  @BeforeAll
  static void loadAxe() throws IOException {
    if (!Files.isExecutable(BrowserSealingE2ETest.CHROMIUM) || !Files.isExecutable(BrowserSealingE2ETest.CHROMEDRIVER)) {
      throw new AssertionError("The browser tests need Debian's Chromium and ChromeDriver: "
          + "apt-get install -y chromium chromium-driver");
    }
    try (InputStream in = SourcePagesBrowserTest.class.getResourceAsStream("/axe/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static WebDriver chromium(boolean javascript, String... extra) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(BrowserSealingE2ETest.CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--window-size=360,740", "--user-data-dir=" + BrowserSealingE2ETest.tempDir("testigo-chromium-"));
    o.addArguments(extra);
    if (!javascript) {
      o.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(BrowserSealingE2ETest.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver d = new ChromeDriver(service, o, org.openqa.selenium.remote.http.ClientConfig.defaultConfig()
        .readTimeout(Duration.ofMinutes(BENCH ? 30 : 3)));
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
    return d;
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  /** axe-core's violations on the current page, one line each ("" when none). */
  static List<String> axeViolations(WebDriver d) {
    JavascriptExecutor js = (JavascriptExecutor) d;
    js.executeScript(axe);
    Object r = js.executeAsyncScript("const cb = arguments[arguments.length - 1];"
        + "axe.run(document).then((res) => cb(res.violations.map((v) => v.id + ' (' + v.impact + '): '"
        + " + v.nodes.map((n) => n.target.join(' ')).join(', ')))).catch((e) => cb(['axe failed: ' + e]));");
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) r) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  static void assertAccessible(WebDriver d, String what) {
    assertThat(axeViolations(d)).as(what + " " + d.getCurrentUrl()).isEmpty();
  }

  /**
   * axe-core needs a running event loop, which a browser with JavaScript off does not give it:
   * the page as the no-JS browser has it (its DOM, without the script tag it did not run) is
   * written into a same-origin page of a second browser and checked there.
   */
  static void assertAccessibleWithoutJs(WebDriver noJs, WebDriver checker, String what) {
    String html = "<!DOCTYPE html>" + noJs.getPageSource().replaceAll("<script[^>]*></script>", "");
    checker.get(url("/status?lang=es"));
    ((JavascriptExecutor) checker).executeScript("document.open(); document.write(arguments[0]); document.close();", html);
    new WebDriverWait(checker, Duration.ofSeconds(10)).until(x -> "complete".equals(
        ((JavascriptExecutor) x).executeScript("return document.readyState")));
    assertThat(axeViolations(checker)).as(what + " (JavaScript off) " + noJs.getCurrentUrl()).isEmpty();
  }

  /** Tab through the page; on each stop {@code onStop} may type; stops at the submit button (pressed). */
  interface Stop {
    void at(String id, Actions keys);
  }

  static List<String> tabWalk(WebDriver d, Stop stop) {
    JavascriptExecutor js = (JavascriptExecutor) d;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      new Actions(d).sendKeys(Keys.TAB).perform();
      String id = (String) js.executeScript("const e = document.activeElement;"
          + "if (!e || e === document.body) return 'body';"
          + "const n = e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : '') + (e.name ? ':' + e.name : '')"
          + " + (e.value && (e.type === 'checkbox' || e.type === 'radio') ? '=' + e.value : '') + (e.id ? '#' + e.id : '')"
          + " + (e.tagName === 'AUDIO' ? ' ' + e.getAttribute('src') : '');"
          + "if (e.type === 'checkbox' || e.type === 'radio') { const s = getComputedStyle(e);"
          + "  if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) return n + ' NO-FOCUS-STYLE'; }"
          + "return n;");
      if (!seen.isEmpty() && seen.get(seen.size() - 1).equals(id)) {
        continue; // the inner controls of one player
      }
      seen.add(id);
      Actions keys = new Actions(d);
      stop.at(id, keys);
      keys.perform();
      if (id.startsWith("button[submit]")) {
        new Actions(d).sendKeys(Keys.ENTER).perform();
        break;
      }
    }
    return seen;
  }

  @Test
  @Order(1)
  void javascriptOff_everySourcePageHasNoAxeViolationAndTheFormWorksByKeyboardAlone() throws Exception {
    WebDriver d = chromium(false);
    WebDriver checker = chromium(true);
    try {
      for (String page : List.of("/?lang=es", "/?lang=ht", "/report?lang=es", "/report?lang=ht", "/status?lang=fr")) {
        d.get(url(page));
        assertAccessibleWithoutJs(d, checker, "page");
      }
      // the error page (nothing answered)
      d.get(url("/report?lang=es"));
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.tagName("h1")).isEmpty());
      assertAccessibleWithoutJs(d, checker, "error page");

      d.get(url("/report?lang=es"));
      String shortForm = org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip())
          .shortForm();
      assertThat(d.findElement(By.id("stated-fingerprint")).getText()).contains(shortForm);
      d.get(url("/?lang=es"));
      assertThat(d.findElement(By.cssSelector("strong.fingerprint")).getText()).isEqualTo(shortForm);
      d.get(url("/report?lang=es"));
      String marker = "TECLADO" + RUN;
      // Receipt first: the form shows the receipt and asks for two of its words before sending.
      String[] shown = BrowserSealingE2ETest.shownReceipt(d).split(" ");
      List<String> walk = tabWalk(d, (id, keys) -> {
        if (id.startsWith("input[text]:confirm_")) {
          String name = id.substring("input[text]:".length(), id.indexOf('#'));
          keys.sendKeys(shown[Integer.parseInt(d.findElement(By.name(name)).getAttribute("data-position")) - 1]);
        } else if (id.equals("input[checkbox]:what=extortion") || id.equals("input[checkbox]:who=inm")) {
          keys.sendKeys(Keys.SPACE);
        } else if (id.startsWith("textarea[textarea]:narrative")) {
          keys.sendKeys("Nos pidieron dinero. " + marker);
        } else if (id.startsWith("input[radio]:minors")) {
          keys.sendKeys(Keys.ARROW_RIGHT); // first radio focused; the arrow selects "no"
        }
      });
      assertThat(walk).noneMatch(s -> s.contains("NO-FOCUS-STYLE"));
      assertThat(walk).contains("input[checkbox]:what=kidnapping", "input[checkbox]:what=extortion",
          "input[text]:what_other#what_other", "input[checkbox]:who=inm", "select[select-one]:state#state",
          "input[date]:date#date", "input[number]:victims#victims", "input[number]:minors_count#minors_count",
          "textarea[textarea]:narrative", "input[file]:files#voice", "input[checkbox]:wants=reply",
          "input[file]:files");
      // each question group's recording is folded under one "listen" control: one stop each, players closed
      assertThat(walk.stream().filter(s -> s.startsWith("summary")).count()).as("one stop per listen control")
          .isEqualTo(9);
      assertThat(walk).noneMatch(s -> s.startsWith("audio"));
      assertThat(walk.get(walk.size() - 1)).startsWith("button[submit]");
      // the order of the questions is the order of the page
      assertThat(walk.indexOf("input[checkbox]:what=extortion")).isLessThan(walk.indexOf("input[checkbox]:who=inm"));
      assertThat(walk.indexOf("textarea[textarea]:narrative")).isLessThan(walk.indexOf("input[file]:files#voice"));
      new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> !x.findElements(BrowserSealingE2ETest.FINAL_RECEIPT).isEmpty());
      assertAccessibleWithoutJs(d, checker, "receipt page");
      String words = d.findElement(BrowserSealingE2ETest.FINAL_RECEIPT).getText();
      assertThat(words).isEqualTo(String.join(" ", shown));
      Map<String, Part> parts = openLatestReport(q -> q.contains(marker));
      assertThat(new String(parts.get("0:questionnaire").body(), StandardCharsets.UTF_8))
          .contains("\"what\":[\"extortion\"]").contains("\"who\":[\"inm\"]").contains("\"minors\":\"no\"");

      d.findElement(By.cssSelector("form[action^='/visit'] button")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.name("message")).isEmpty());
      assertAccessibleWithoutJs(d, checker, "status page of a visit");
      d.get(url("/status?lang=es"));
      d.findElement(By.id("receipt")).sendKeys(words);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.name("message")).isEmpty());
      assertAccessibleWithoutJs(d, checker, "status page");
    } finally {
      d.quit();
      checker.quit();
    }
  }

  @Test
  @Order(2)
  void javascriptOn_pagesHaveNoAxeViolationAndAVoiceRecordedInThePageArrivesAsASealedAudioAttachment() throws Exception {
    byte[] jpeg = TestImages.jpegWithGps("GPS" + RUN);
    Path photo = FILES.resolve("foto.jpg");
    Files.write(photo, jpeg);
    String marker = "VOZ" + RUN;
    WebDriver d = chromium(true, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
    try {
      for (String page : List.of("/?lang=es", "/status?lang=pt")) {
        d.get(url(page));
        assertAccessible(d, "JS");
      }
      d.get(url("/report?lang=es"));
      WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
      wait.until(x -> "true".equals(x.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready")));
      assertAccessible(d, "JS report page");
      String shortForm = org.testigo.crypto.Fingerprint.fromHex(Files.readString(DATA.resolve("root-fingerprint")).strip())
          .shortForm();
      assertThat(d.findElement(By.cssSelector(".js-panel .verified")).getText()).contains(shortForm);
      assertThat(d.findElements(By.id("stated-fingerprint"))).as("one fingerprint line, the verified one").isEmpty();

      d.findElement(By.cssSelector(".voice-record")).click();
      wait.until(x -> "true".equals(x.findElement(By.cssSelector(".voice-record")).getAttribute("aria-pressed")));
      Thread.sleep(2500);
      d.findElement(By.cssSelector(".voice-record")).click();
      wait.until(x -> !x.findElements(By.cssSelector(".voice-list p")).isEmpty());
      assertThat(d.findElement(By.cssSelector(".voice-list")).getText()).contains("Audio grabado");
      assertAccessible(d, "JS report page with a recording");

      d.findElement(By.cssSelector("input[name=what][value=extortion]")).click();
      d.findElement(By.name("narrative")).sendKeys("Lo conté con mi voz. " + marker);
      d.findElement(By.cssSelector("input[type=file]:not(#voice)")).sendKeys(photo.toString());
      wait.until(x -> x.findElements(By.cssSelector(".js-files p")).size() == 2);
      BrowserSealingE2ETest.confirmReceipt(d, BrowserSealingE2ETest.shownReceipt(d), false);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(180)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(x -> !x.findElements(BrowserSealingE2ETest.FINAL_RECEIPT).isEmpty()
          || !x.findElements(By.cssSelector(".js-status.warning")).isEmpty());
      assertThat(d.findElements(BrowserSealingE2ETest.FINAL_RECEIPT)).as(d.findElement(By.tagName("main")).getText()).hasSize(1);
      assertThat(d.findElement(By.tagName("main")).getText()).as("the JS receipt says metadata was removed")
          .contains("Quitamos datos ocultos");
      assertThat(d.findElement(By.tagName("html")).getAttribute("data-testigo-argon2")).isEqualTo("worker");
      assertAccessible(d, "JS receipt page");
      for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
        assertThat(e.getMessage()).doesNotContain("Content Security Policy").doesNotContain("Uncaught")
            .doesNotContain("Permissions policy");
      }
    } finally {
      d.quit();
    }
    Map<String, Part> parts = openLatestReport(q -> q.contains(marker));
    Part voice = parts.values().stream().filter(p -> p.header().filename() != null
        && p.header().filename().startsWith("voz-")).findFirst().orElseThrow();
    assertThat(voice.header().name()).isEqualTo(PartHeader.FILE);
    assertThat(voice.header().type()).isEqualTo("audio/webm");
    assertThat(voice.body().length).as("2.5 s of Opus").isGreaterThan(2000);
    assertThat(HexFormat.of().formatHex(voice.body(), 0, 4)).as("a WebM (EBML) file").isEqualTo("1a45dfa3");
  }

  /**
   * Not a timed test: prints how long the JS report flow takes and how long the page's main
   * thread was blocked, in Chromium without JIT and with a 4x CPU throttle, Argon2id in the
   * worker and (the old way) on the page. Run with -Dtestigo.bench.slowDevice=true.
   */
  @Test
  @Order(3)
  void slowDevice_figures() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(BENCH, "set -Dtestigo.bench.slowDevice=true to measure");
    Path photo = FILES.resolve("foto-bench.jpg");
    Files.write(photo, TestImages.jpegWithGps("BENCH"));
    for (String mode : System.getProperty("testigo.bench.modes", "page,worker").split(",")) {
      boolean worker = mode.equals("worker");
      WebDriver d = chromium(true, "--js-flags=--jitless");
      try {
        ((ChromeDriver) d).executeCdpCommand("Emulation.setCPUThrottlingRate", Map.of("rate", 4));
        d.get(url("/report?lang=es"));
        new WebDriverWait(d, Duration.ofSeconds(300)).until(x -> "true".equals(
            x.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready")));
        JavascriptExecutor js = (JavascriptExecutor) d;
        if (!worker) {
          js.executeScript("window.Worker = function () { throw new Error('no worker'); };");
        }
        js.executeScript("window.__gap = 0; window.__last = performance.now();"
            + "window.__beat = setInterval(() => { const n = performance.now();"
            + " window.__gap = Math.max(window.__gap, n - window.__last); window.__last = n; }, 50);");
        d.findElement(By.cssSelector("input[name=what][value=extortion]")).click();
        d.findElement(By.name("narrative")).sendKeys("Medida. BENCH" + RUN + worker);
        d.findElement(By.cssSelector("input[type=file]:not(#voice)")).sendKeys(photo.toString());
        new WebDriverWait(d, Duration.ofSeconds(120)).until(x -> x.findElements(By.cssSelector(".js-files p")).size() == 1);
        long t0 = System.nanoTime();
        // clicked from a timer, so that WebDriver does not wait on a busy main thread
        BrowserSealingE2ETest.confirmReceipt(d, BrowserSealingE2ETest.shownReceipt(d), false);
        js.executeScript("setTimeout(() => document.querySelector('button[type=submit]').click(), 0);");
        new WebDriverWait(d, Duration.ofSeconds(1800), Duration.ofSeconds(2))
            .until(x -> !x.findElements(BrowserSealingE2ETest.FINAL_RECEIPT).isEmpty()
                || !x.findElements(By.cssSelector(".js-panel p.warning")).isEmpty());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String outcome = d.findElements(BrowserSealingE2ETest.FINAL_RECEIPT).isEmpty()
            ? "FAILED: " + d.findElement(By.cssSelector(".js-panel p.warning")).getText() : "receipt shown";
        double gap = ((Number) js.executeScript("return window.__gap;")).doubleValue();
        System.out.printf("slow device (jitless, 4x throttle, Argon2id %s KiB t=%s): Argon2id in %s: %s after %d ms,"
            + " longest main-thread stall %.0f ms (html data-testigo-argon2=%s)%n",
            System.getProperty("testigo.bench.memoryKiB", "65536"), System.getProperty("testigo.bench.iterations", "3"),
            worker ? "a worker" : "the page", outcome, ms, gap, d.findElement(By.tagName("html")).getAttribute("data-testigo-argon2"));
      } finally {
        d.quit();
      }
    }
  }

  record Part(PartHeader header, byte[] body) {}

  static Map<String, Part> openLatestReport(java.util.function.Predicate<String> questionnaireMatches) throws Exception {
    char[] pass = Files.readString(DATA.resolve(DemoOrganisation.PASSPHRASE)).strip().toCharArray();
    ReviewerIdentity reviewer = Keystore.read(DATA.resolve(DemoOrganisation.KEYSTORE), Passphrase.of(pass));
    for (byte[] sealed : envelopes()) {
      byte[] plain = Envelope.open(sealed, reviewer.encryptionKey(), Envelope.CONTEXT_REPORT);
      Map<String, Part> parts = new java.util.LinkedHashMap<>();
      PayloadReader reader = new PayloadReader(new ByteArrayInputStream(plain));
      int i = 0;
      for (PayloadReader.Part p = reader.next(); p != null; p = reader.next()) {
        String name = p.header().name() + (p.header().filename() == null ? "" : ":" + p.header().filename());
        parts.put(i++ + ":" + name, new Part(p.header(), p.body().readAllBytes()));
      }
      Part q = parts.get("0:questionnaire");
      if (q != null && questionnaireMatches.test(new String(q.body(), StandardCharsets.UTF_8))) {
        return parts;
      }
    }
    throw new AssertionError("no stored envelope with that questionnaire");
  }

  static List<byte[]> envelopes() throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "");
        PreparedStatement s = c.prepareStatement("SELECT e.id, c.data FROM envelopes e JOIN "
            + org.testigo.server.storage.EnvelopeDao.PARTS
            + " c ON e.id = c.envelope_id WHERE e.context = ? AND e.state = 'stored' ORDER BY e.id, c.idx")) {
      s.setString(1, Envelope.CONTEXT_REPORT);
      byte[] current = null;
      ByteArrayOutputStream buf = null;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byte[] id = rs.getBytes(1);
          if (current == null || !java.util.Arrays.equals(current, id)) {
            if (buf != null) {
              out.add(buf.toByteArray());
            }
            current = id;
            buf = new ByteArrayOutputStream();
          }
          buf.writeBytes(rs.getBytes(2));
        }
      }
      if (buf != null) {
        out.add(buf.toByteArray());
      }
    }
    return out;
  }
}

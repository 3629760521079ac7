package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.intake.strip.MetadataStripper;
import org.testigo.server.intake.strip.TestImages;

/**
 * The report page in a real Chromium (Debian's chromium + chromium-driver, headless), through
 * a recording TCP relay: with JavaScript on, the page verifies the manifest, strips the
 * photo's GPS EXIF, seals in the browser and uploads in pieces (one piece is cut off midway
 * and resumed); with JavaScript off the server seals and strips. Both envelopes open with the
 * demo reviewer keystore; neither photo keeps its GPS data; on the JavaScript path no typed
 * or attached marker ever crossed the wire or reached the database, the data directory or
 * the logs.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserSealingE2ETest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path DATA = tempDir("testigo-browser-");
  static final Path FILES = tempDir("testigo-browser-files-");
  static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
  static final String JS_MARKER = "JSMARK" + RUN;
  static final String JS_GPS = "JSGPS" + RUN;
  static final String JS_BLOB = "JSBLOB" + RUN;
  static final String NOJS_MARKER = "NOJSMARK" + RUN;
  static final String NOJS_GPS = "NOJSGPS" + RUN;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "1024"),
      ConfigOverride.config("receipts.iterations", "1"),
      ConfigOverride.config("limits.maxFormBytes", "8000000"),
      ConfigOverride.config("limits.maxEnvelopeBytes", "8000000"));

  static RecordingProxy proxy;
  static final List<String> LOG = new ArrayList<>();

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError("The browser tests need Debian's Chromium and ChromeDriver: "
          + "apt-get install -y chromium chromium-driver (expected " + CHROMIUM + " and " + CHROMEDRIVER + ")");
    }
    proxy = new RecordingProxy(APP.getLocalPort());
    ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
      @Override
      protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
        synchronized (LOG) {
          LOG.add(e.getFormattedMessage());
        }
      }
    };
    appender.setContext(ctx);
    appender.start();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  @AfterAll
  static void stop() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
  }

  static WebDriver chromium(boolean javascript) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--user-data-dir=" + tempDir("testigo-chromium-"));
    if (!javascript) {
      o.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + proxy.port() + path;
  }

  static Map<String, byte[]> openLatestReport(String context, java.util.function.Predicate<String> questionnaireMatches)
      throws Exception {
    char[] pass = Files.readString(DATA.resolve(DemoOrganisation.PASSPHRASE)).strip().toCharArray();
    ReviewerIdentity reviewer = Keystore.read(DATA.resolve(DemoOrganisation.KEYSTORE), Passphrase.of(pass));
    for (byte[] sealed : envelopes(context)) {
      byte[] plain = Envelope.open(sealed, reviewer.encryptionKey(), context);
      Map<String, byte[]> parts = new LinkedHashMap<>();
      PayloadReader reader = new PayloadReader(new ByteArrayInputStream(plain));
      int i = 0;
      for (PayloadReader.Part p = reader.next(); p != null; p = reader.next()) {
        String name = p.header().name() + (p.header().filename() == null ? "" : ":" + p.header().filename());
        parts.put(i++ + ":" + name, p.body().readAllBytes());
      }
      byte[] q = parts.get("0:questionnaire");
      if (q != null && questionnaireMatches.test(new String(q, StandardCharsets.UTF_8))) {
        return parts;
      }
    }
    throw new AssertionError("no stored envelope with that questionnaire");
  }

  static List<byte[]> envelopes(String context) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000", "sa", "");
        PreparedStatement s = c.prepareStatement("SELECT e.id, c.data FROM envelopes e JOIN "
            + org.testigo.server.storage.EnvelopeDao.PARTS
            + " c ON e.id = c.envelope_id WHERE e.context = ? AND e.state = 'stored' ORDER BY e.id, c.idx")) {
      s.setString(1, context);
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

  static byte[] cleanedByJava(byte[] jpeg) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MetadataStripper s = new MetadataStripper(out)) {
      s.write(jpeg);
    }
    return out.toByteArray();
  }

  static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }

  static void fillReport(WebDriver d, String narrative, Path... files) {
    d.findElement(By.cssSelector("input[name=what][value=extortion]")).click();
    d.findElement(By.cssSelector("input[name=who][value=inm]")).click();
    d.findElement(By.name("narrative")).sendKeys(narrative);
    WebElement input = d.findElement(By.cssSelector("input[type=file]:not(#voice)"));
    if (files.length > 0) {
      input.sendKeys(String.join("\n", Stream.of(files).map(Path::toString).toList()));
    }
    confirmReceipt(d, shownReceipt(d), false);
  }

  /** The receipt the form shows first (with JavaScript, once the page has made its own). */
  static String shownReceipt(WebDriver d) {
    WebElement words = d.findElement(By.id("testigo-receipt-words"));
    WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
    // With JavaScript the page replaces the server's receipt by its own: wait for that first.
    boolean scripted = d.findElements(By.cssSelector("form[data-testigo-seal]")).stream()
        .anyMatch(f -> f.getAttribute("data-testigo-ready") != null);
    if (scripted) {
      wait.until(x -> "browser".equals(x.findElement(By.id("testigo-receipt")).getAttribute("data-origin")));
    }
    wait.until(x -> words.getText().split(" ").length == 8);
    return words.getText();
  }

  /** Types the two words the form asks for (or, if {@code wrong}, a wrong second word). */
  static void confirmReceipt(WebDriver d, String words, boolean wrong) {
    String[] w = words.split(" ");
    for (WebElement c : d.findElements(By.cssSelector("input[data-position]"))) {
      c.clear();
      String word = w[Integer.parseInt(c.getAttribute("data-position")) - 1];
      c.sendKeys(wrong && c.getAttribute("name").equals("confirm_2") ? (word.startsWith("zz") ? "aaaa" : "zzzz") : word);
    }
  }

  /** The receipt page after sending: the receipt paragraph that is not the form's. */
  static final By FINAL_RECEIPT = By.cssSelector("p.receipt:not(#testigo-receipt-words)");

  static java.util.Set<String> frenchWords() throws IOException {
    try (java.io.InputStream in = org.testigo.crypto.receipt.Receipt.class.getResourceAsStream("bip39-french.txt")) {
      java.util.Set<String> out = new java.util.HashSet<>();
      for (String w : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        out.add(java.text.Normalizer.normalize(w.strip(), java.text.Normalizer.Form.NFC));
      }
      return out;
    }
  }

  static void assertKreyol(String words) throws Exception {
    assertThat(words.split(" ")).hasSize(8).noneMatch(frenchWords()::contains);
    String ht;
    try (java.io.InputStream in = org.testigo.crypto.receipt.Receipt.class.getResourceAsStream("kreyol-ht.txt")) {
      ht = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    java.util.Set<String> kreyol = java.util.Set.of(ht.split("\n"));
    assertThat(words.split(" ")).allMatch(kreyol::contains);
    org.testigo.crypto.receipt.Receipt.parse(words);
  }

  @Test
  @Order(1)
  void javascriptOn_sealsInTheBrowserStripsGpsResumesAUploadAndTheServerNeverSeesPlaintext() throws Exception {
    byte[] jpeg = TestImages.jpegWithGps(JS_GPS);
    Path photo = FILES.resolve("foto.jpg");
    Files.write(photo, jpeg);
    byte[] blob = new byte[1_500_000];
    new SecureRandom().nextBytes(blob);
    byte[] tag = JS_BLOB.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, blob, 1000, tag.length);
    Path video = FILES.resolve("video.bin");
    Files.write(video, blob);
    long before = envelopes(Envelope.CONTEXT_REPORT).size();

    WebDriver d = chromium(true);
    try {
      d.get(url("/report?lang=es"));
      WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
      wait.until(x -> x.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready") != null);
      WebElement form = d.findElement(By.cssSelector("form[data-testigo-seal]"));
      assertThat(form.getAttribute("data-testigo-ready")).isEqualTo("true");
      String rootHex = Files.readString(DATA.resolve("root-fingerprint")).strip();
      assertThat(d.findElement(By.cssSelector(".js-panel .verified")).getText())
          .contains(Fingerprint.fromHex(rootHex).shortForm());

      fillReport(d, "Nos pidieron dinero. " + JS_MARKER, photo, video);
      wait.until(x -> x.findElements(By.cssSelector(".js-files p")).size() == 2);
      String info = d.findElement(By.cssSelector(".js-files")).getText();
      assertThat(info).contains("foto.jpg").contains("GPS").contains("video.bin");

      proxy.cutNextUploadPiece.set(true);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      WebDriverWait slow = new WebDriverWait(d, Duration.ofSeconds(180));
      slow.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
      slow.until(x -> !x.findElements(FINAL_RECEIPT).isEmpty()
          || !x.findElements(By.cssSelector(".js-status.warning")).isEmpty());
      assertThat(d.findElements(FINAL_RECEIPT)).as(d.findElement(By.tagName("main")).getText()).hasSize(1);
      String words = d.findElement(FINAL_RECEIPT).getText();
      assertThat(words.split(" ")).hasSize(8);
      assertThat(proxy.cuts.get()).as("an upload piece was cut off and resumed").isEqualTo(1);
      for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
        assertThat(e.getMessage()).doesNotContain("Content Security Policy").doesNotContain("Uncaught");
      }

      // the receipt made in the browser opens the mailbox the browser registered
      d.get(url("/status?lang=es"));
      d.findElement(By.id("receipt")).sendKeys(words);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.name("message")).isEmpty());
    } finally {
      d.quit();
    }

    assertThat(envelopes(Envelope.CONTEXT_REPORT)).hasSize((int) before + 1);
    Map<String, byte[]> parts = openLatestReport(Envelope.CONTEXT_REPORT, q -> q.contains(JS_MARKER));
    assertThat(new String(parts.get("0:questionnaire"), StandardCharsets.UTF_8))
        .startsWith("{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"]").contains("\"who\":[\"inm\"]");
    assertThat(parts.get("1:file:foto.jpg")).isEqualTo(cleanedByJava(jpeg));
    assertThat(contains(parts.get("1:file:foto.jpg"), JS_GPS)).isFalse();
    assertThat(parts.get("2:file:video.bin")).isEqualTo(blob);

    // what crossed the wire, what is stored, what was logged: never the plaintext
    byte[] wire = proxy.sentBytes();
    assertThat(contains(wire, "/api/v1/uploads")).isTrue();
    for (String marker : List.of(JS_MARKER, JS_GPS, JS_BLOB, "Nos pidieron")) {
      assertThat(contains(wire, marker)).as("sent by the browser: " + marker).isFalse();
      assertThat(grepTree(DATA, marker)).as("data directory: " + marker).isEmpty();
      synchronized (LOG) {
        assertThat(LOG).noneMatch(l -> l.contains(marker));
      }
    }
  }

  @Test
  @Order(2)
  void javascriptOff_theServerSealsAndStripsGpsBeforeSealing() throws Exception {
    byte[] jpeg = TestImages.jpegWithGps(NOJS_GPS);
    Path photo = FILES.resolve("foto-sin-js.jpg");
    Files.write(photo, jpeg);
    WebDriver d = chromium(false);
    try {
      d.get(url("/report?lang=es"));
      assertThat(d.findElements(By.cssSelector(".js-panel"))).isEmpty();
      fillReport(d, "Sin JavaScript. " + NOJS_MARKER, photo);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> !x.findElements(FINAL_RECEIPT).isEmpty());
      assertThat(d.findElement(By.tagName("main")).getText()).contains("Quitamos datos ocultos");
    } finally {
      d.quit();
    }
    assertThat(contains(proxy.sentBytes(), NOJS_MARKER)).as("without JavaScript the form is sent as typed").isTrue();
    Map<String, byte[]> parts = openLatestReport(Envelope.CONTEXT_REPORT, q -> q.contains(NOJS_MARKER));
    assertThat(parts.get("1:file:foto-sin-js.jpg")).isEqualTo(cleanedByJava(jpeg));
    assertThat(contains(parts.get("1:file:foto-sin-js.jpg"), NOJS_GPS)).isFalse();
    assertThat(grepTree(DATA, NOJS_MARKER)).isEmpty();
    assertThat(grepTree(DATA, NOJS_GPS)).isEmpty();
  }

  /**
   * Kreyol, JavaScript off: the form shows a Kreyol receipt first (no word of the French list);
   * a wrong confirmation word shows the form again with the answers, the error next to the
   * confirmation in Kreyol and the same receipt; the right words send it under that receipt.
   */
  @Test
  @Order(3)
  void javascriptOff_kreyolReceiptFirst_wrongWordShowsTheFormAgainThenTheRightWordsSend() throws Exception {
    String marker = "HTNOJS" + RUN;
    long before = envelopes(Envelope.CONTEXT_REPORT).size();
    WebDriver d = chromium(false);
    try {
      d.get(url("/report?lang=ht"));
      String words = shownReceipt(d);
      assertKreyol(words);
      d.findElement(By.cssSelector("input[name=what][value=extortion]")).click();
      d.findElement(By.id("victims")).sendKeys("2");
      d.findElement(By.name("narrative")).sendKeys("Yo mande nou lajan <b>" + marker + "</b>");
      confirmReceipt(d, words, true);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.id("error-confirm")).isEmpty());
      assertThat(d.findElement(By.id("error-confirm")).getText()).isEqualTo("Se pa mo kòd ou yo. Gade kòd la anlè paj sa a.");
      assertThat(d.findElement(By.id("testigo-receipt-words")).getText()).isEqualTo(words);
      assertThat(d.findElement(By.name("narrative")).getAttribute("value")).isEqualTo("Yo mande nou lajan <b>" + marker + "</b>");
      assertThat(d.findElements(By.cssSelector("textarea b, main b"))).isEmpty();
      assertThat(d.findElement(By.id("victims")).getAttribute("value")).isEqualTo("2");
      assertThat(d.findElement(By.cssSelector("input[name=what][value=extortion]")).isSelected()).isTrue();
      assertThat(d.findElement(By.tagName("main")).getText()).contains("Fichye yo pa t kenbe");
      assertThat(envelopes(Envelope.CONTEXT_REPORT)).hasSize((int) before);

      confirmReceipt(d, words, false);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> !x.findElements(FINAL_RECEIPT).isEmpty());
      assertThat(d.findElement(FINAL_RECEIPT).getText()).isEqualTo(words);
      assertThat(d.findElements(By.name("visit"))).as("the visit button").isNotEmpty();
    } finally {
      d.quit();
    }
    Map<String, byte[]> parts = openLatestReport(Envelope.CONTEXT_REPORT, q -> q.contains(marker));
    assertThat(new String(parts.get("0:questionnaire"), StandardCharsets.UTF_8)).contains("\"language\":\"ht\"");
  }

  /**
   * Kreyol, JavaScript on: the page replaces the server's receipt with one made in the browser,
   * in Kreyol; nothing is sent until two of its words are typed back; the receipt page shows
   * the same words, and they open the mailbox.
   */
  @Test
  @Order(4)
  void javascriptOn_kreyolReceiptMadeInTheBrowserIsConfirmedBeforeAnythingIsSent() throws Exception {
    String marker = "HTJS" + RUN;
    long before = envelopes(Envelope.CONTEXT_REPORT).size();
    WebDriver d = chromium(true);
    try {
      d.get(url("/report?lang=ht"));
      WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
      wait.until(x -> "browser".equals(x.findElement(By.id("testigo-receipt")).getAttribute("data-origin"))
          && "true".equals(x.findElement(By.cssSelector("form[data-testigo-seal]")).getAttribute("data-testigo-ready")));
      String words = shownReceipt(d);
      assertKreyol(words);
      assertThat(d.findElement(By.name("receipt")).getAttribute("value")).as("the server's receipt is dropped").isEmpty();
      // the page's own words are numbered as the server's are (user pass: counted per line at 360 px)
      List<WebElement> spans = d.findElements(By.cssSelector("#testigo-receipt-words span"));
      assertThat(spans).hasSize(8);
      assertThat(spans.stream().map(WebElement::getText).toList()).containsExactly(words.split(" "));
      assertThat((String) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
          "return getComputedStyle(arguments[0], '::before').content", spans.get(5))).startsWith("counter(w)");
      assertThat(d.findElement(By.id("testigo-receipt-words")).getText()).isEqualTo(words);
      d.findElement(By.cssSelector("input[name=what][value=extortion]")).click();
      d.findElement(By.name("narrative")).sendKeys("Yo mande nou lajan. " + marker);
      confirmReceipt(d, words, true);
      int sentBefore = proxy.sentBytes().length;
      d.findElement(By.cssSelector("button[type=submit]")).click();
      wait.until(x -> x.findElement(By.cssSelector(".js-panel")).getText().contains("Se pa mo kòd ou yo"));
      // the message is also beside the boxes the page scrolls to, and they are marked invalid
      WebElement beside = d.findElement(By.cssSelector("#confirm [data-testigo-confirm-error]"));
      assertThat(beside.isDisplayed()).isTrue();
      assertThat(beside.getText()).contains("Se pa mo kòd ou yo");
      // only the wrong box (the second) is marked and focused; the right one keeps its word, unmarked
      List<WebElement> marked = d.findElements(By.cssSelector("#confirm input[aria-invalid=true]"));
      assertThat(marked).hasSize(1);
      assertThat(marked.get(0).getAttribute("name")).isEqualTo("confirm_2");
      assertThat(d.switchTo().activeElement().getAttribute("name")).isEqualTo("confirm_2");
      assertThat(envelopes(Envelope.CONTEXT_REPORT)).hasSize((int) before);
      assertThat(proxy.sentBytes().length).as("nothing sent before the confirmation").isEqualTo(sentBefore);

      confirmReceipt(d, words, false);
      // a double tap on send (user pass: it filed two identical cases): one report is stored (checked below)
      ((org.openqa.selenium.JavascriptExecutor) d).executeScript("const b = arguments[0]; b.click(); b.click();",
          d.findElement(By.cssSelector("button[type=submit]")));
      new WebDriverWait(d, Duration.ofSeconds(180)).until(x -> !x.findElements(FINAL_RECEIPT).isEmpty()
          || x.findElements(By.cssSelector(".js-panel p.warning")).stream().anyMatch(e -> !e.getText().contains("Se pa mo")));
      assertThat(d.findElements(FINAL_RECEIPT)).as(d.findElement(By.tagName("main")).getText()).hasSize(1);
      assertThat(d.findElement(FINAL_RECEIPT).getText()).isEqualTo(words);
      // a numbered column there too (user pass: two columns at 360 px, copied column by column):
      // one word per line, eight lines, the numbers drawn beside them
      WebElement column = d.findElement(By.cssSelector("div.code.words p.receipt"));
      assertThat(column.getText()).isEqualTo(words);
      org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) d;
      assertThat((String) js.executeScript("return getComputedStyle(arguments[0], '::before').content", column))
          .startsWith("\"1.").contains("8.");
      assertThat(((Number) js.executeScript("const r = document.createRange(); r.selectNodeContents(arguments[0]);"
          + " return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size;", column)).intValue())
          .as("one line per word").isEqualTo(8);

      d.get(url("/status?lang=ht"));
      d.findElement(By.id("receipt")).sendKeys(words);
      d.findElement(By.cssSelector("button[type=submit]")).click();
      new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.name("message")).isEmpty());
    } finally {
      d.quit();
    }
    assertThat(envelopes(Envelope.CONTEXT_REPORT)).hasSize((int) before + 1);
    assertThat(contains(proxy.sentBytes(), marker)).isFalse();
    openLatestReport(Envelope.CONTEXT_REPORT, q -> q.contains(marker));
  }

  static List<Path> grepTree(Path root, String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(p), needle) >= 0) {
          hits.add(p);
        }
      }
    }
    return hits;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

package org.testigo.cli.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import picocli.CommandLine;

/**
 * The inbox driven through a virtual terminal (JLine's external terminal into a VT100 emulator)
 * against a real intake server in this JVM (demo organisation, H2): a source reports through
 * the HTML form, the reviewer syncs with the command line, then opens the inbox, types the
 * passphrase once, sees the case in the list, opens it, is refused the template's placeholder,
 * writes a reply, confirms it and the source reads it on the status page.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class InboxTest {
  static final Path DATA = temp("testigo-inbox-server-");
  static final Path HOME = temp("testigo-inbox-home-");
  static final String MARKER = "MRK" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String receipt;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("../intake-server/config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path keystore() {
    return DATA.resolve("demo/reviewer.keystore");
  }

  static String passphrase() throws IOException {
    return Files.readString(DATA.resolve("demo/reviewer.passphrase")).strip();
  }

  static CliResult reviewer(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString(), "-k", keystore().toString(),
        "--passphrase-file", DATA.resolve("demo/reviewer.passphrase").toString()));
    return CliResult.run(all.toArray(String[]::new));
  }

  static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String report(String narrative) throws Exception {
    String b = "----InboxBoundary";
    StringBuilder body = new StringBuilder();
    for (String[] f : List.of(new String[] {"version", "1"}, new String[] {"lang", "es"},
        new String[] {"what", "extortion"}, new String[] {"who", "inm"}, new String[] {"state", "CHP"},
        new String[] {"place_kind", "train"}, new String[] {"narrative", narrative}, new String[] {"wants", "reply"})) {
      body.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
          .append("\"\r\n\r\n").append(f[1]).append("\r\n");
    }
    body.append("--").append(b).append("--\r\n");
    HttpResponse<String> r = post("/report?lang=es", "multipart/form-data; boundary=" + b,
        body.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<p class=\"receipt\">([^<]+)</p>").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @BeforeAll
  static void reportAndSync() throws Exception {
    String root = Files.readString(DATA.resolve("root-fingerprint")).strip();
    CliResult add = CliResult.run("server", "add", "http://127.0.0.1:" + APP.getPort(1), "--root", root,
        "--home", HOME.toString());
    assertThat(add.code()).as(add.err()).isZero();
    receipt = report("Nos pidieron dinero en el tren. " + MARKER);
    report("Otro reporte, sin relación.");
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
  }

  /** The inbox as {@code testigo-reviewer inbox --home HOME -k KEYSTORE --lang LANG} would set it up. */
  static Inbox inbox(VirtualTerminal vt, String lang) {
    InboxCommand cmd = new InboxCommand();
    new CommandLine(cmd).parseArgs("--home", HOME.toString(), "-k", keystore().toString(), "--lang", lang);
    return new Inbox(vt.terminal, cmd.home, cmd.keystore, cmd.lang);
  }

  /** Runs the inbox on {@code vt} in another thread; the future is its exit code. */
  static CompletableFuture<Integer> start(VirtualTerminal vt, String lang) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return inbox(vt, lang).run();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static String statusPage() throws Exception {
    return post("/status?lang=es", "application/x-www-form-urlencoded",
        ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)).body();
  }

  @Test
  void inbox_unlocksOnceListsOpensACaseAndSendsAConfirmedReplyTheSourceReads() throws Exception {
    String reply = "Recibimos su denuncia y la enviamos a la fiscalía. " + MARKER;
    try (VirtualTerminal vt = new VirtualTerminal(80, 24)) {
      CompletableFuture<Integer> done = start(vt, "en");
      vt.await("Passphrase (not shown):");
      assertThat(vt.screen()).contains("Keystore: " + keystore()).contains("Esc quit");
      vt.type(passphrase() + "\r");
      String list = vt.await("2/2 cases");
      assertThat(list).doesNotContain(passphrase());
      assertThat(list).contains("RECEIVED").contains("STATUS").contains("extortion").contains("CHP")
          .contains("new").contains("normal").contains("es").contains("sort: received").contains("? help q quit");

      Matcher first = Pattern.compile("(?m)^([0-9a-f]{8}) 20").matcher(list);
      assertThat(first.find()).isTrue();
      vt.type("/");
      vt.await("Id (or its start, in hex):");
      vt.type(" " + first.group(1).substring(0, 6).toUpperCase(java.util.Locale.ROOT) + "-\r");
      String found = vt.await("1/2 cases");
      assertThat(found).contains(first.group(1)).contains("id: " + first.group(1).substring(0, 6));
      vt.type("/" + "\u007f".repeat(10) + "\r");
      vt.await("2/2 cases");

      vt.type("e");
      vt.await("status: open");
      vt.type("ee");
      vt.await("status: acknowledged");
      vt.type("eeeee");
      vt.await("status: all");

      // The case whose narrative has the marker is one of the two; open each until it shows.
      vt.type("\r");
      String shown = vt.await(s -> s.contains("Case ") && s.contains("a ack"), "a case");
      if (!shown.contains(MARKER)) {
        vt.type("q");
        vt.await("2/2 cases");
        vt.type("\u001b[B");
        Thread.sleep(200);
        vt.type("\r");
        shown = vt.await(MARKER);
      }
      assertThat(shown).contains("Extortion").contains("r reply");

      vt.type("a");
      vt.await("Recorded acknowledge");
      vt.type("n");
      vt.await("Note for the team");
      vt.type("Llamar al albergue el lunes.\rSegunda línea ñ 你好\u0018");
      String noted = vt.await("Recorded note");
      assertThat(noted).contains("Llamar al albergue el lunes.").doesNotContain("Cancelled");
      vt.type("u");
      vt.await("(nobody: unassign)");
      vt.type("\r");
      vt.await("Recorded assign");
      vt.type("n");
      vt.await("Note for the team");
      vt.type("\u001b");
      vt.await("Cancelled; nothing was recorded or sent.");

      vt.type("r");
      vt.await("Reply to the person who reported");
      vt.type("\u0018");
      vt.await("the reply is the template unchanged");
      vt.type("OK. ");
      vt.await("OK. [Escriba aquí");
      vt.type("\u0018");
      vt.await("still contains the template's placeholder");
      vt.type("\u000b");
      vt.await(s -> !s.contains("OK. [Escriba"), "the placeholder deleted");
      vt.type(reply);
      vt.await(MARKER);
      vt.type("\u0018");
      String confirm = vt.await("Send this reply? y/n");
      assertThat(confirm).contains("will read exactly this:").contains("Recibimos su denuncia");
      assertThat(statusPage()).doesNotContain(MARKER);
      vt.type("y");
      vt.await("Reply sent for report");
      assertThat(statusPage()).contains(reply);

      vt.type("q");
      String back = vt.await("2/2 cases");
      assertThat(back).contains("acknowledged");
      vt.type("q");
      assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }
    CliResult history = reviewer("history", receiptCase(), "--lang", "en");
    assertThat(history.out()).as(history.out() + history.err()).contains("acknowledge").contains("note")
        .contains("assigned to demo-reviewer").contains("reply to the source");
  }

  /** The case id of the receipt's report, from the list the command line prints. */
  static String receiptCase() {
    CliResult list = reviewer("list", "--status", "acknowledged");
    Matcher m = Pattern.compile("(?m)^([0-9a-f]{12}) ").matcher(list.out());
    assertThat(m.find()).as(list.out()).isTrue();
    return m.group(1);
  }

  @Test
  void inbox_refusesAWrongPassphraseThreeTimesAndWritesNothing() throws Exception {
    Map<String, String> before = snapshot(HOME);
    Map<String, String> keystoreBefore = snapshot(keystore().getParent());
    try (VirtualTerminal vt = new VirtualTerminal(80, 24)) {
      CompletableFuture<Integer> done = start(vt, "es");
      vt.await("Frase de acceso (no se muestra):");
      vt.type("not the passphrase\r");
      String wrong = vt.await("Intento 1 de 3");
      assertThat(wrong).contains("Frase de acceso incorrecta").doesNotContain("not the passphrase");
      vt.type("still wrong\r");
      vt.await("Intento 2 de 3");
      vt.type("x\r");
      assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.CRYPTO);
    }
    assertThat(snapshot(HOME)).isEqualTo(before);
    assertThat(snapshot(keystore().getParent())).isEqualTo(keystoreBefore);
  }

  @Test
  void inbox_onADumbTerminalRefusesAndNamesTheCommands() {
    CliResult r = CliResult.run("inbox", "--home", HOME.toString(), "-k", keystore().toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("the inbox needs a full-screen terminal").contains("use the commands instead")
        .contains("reply ID --editor");
    assertThat(CliResult.run("inbox", "--lang", "fr").code()).isEqualTo(ExitCodes.USAGE);
  }

  /** Every file under {@code dir}: its SHA-256 and modification time. */
  static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String what = Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(p)));
        out.put(dir.relativize(p).toString(), what + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}

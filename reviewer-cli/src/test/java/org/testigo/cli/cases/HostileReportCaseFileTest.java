package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * {@code files} and {@code export} of a hostile report (synced from {@link HostileServer}):
 * attachment names that try to escape the directory, hide their extension or clash; a
 * questionnaire full of C1 and bidi controls; an export that fails midway.
 */
class HostileReportCaseFileTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String LONG = "ñ".repeat(150) + ".jpeg";
  static final List<String> NAMES = List.of("../../evil.sh", "CON", "invoice\u202egpj.exe", "..", LONG,
      "foto.jpg", "FOTO.jpg", "nul\u0000byte.txt", "\u001b]2;title\u0007.txt", "\ud83d\ude00".repeat(60) + ".png");
  @TempDir Path home;
  HostileServer server;
  String id;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    assertThat(CliResult.run("server", "add", server.url(), "--root",
        KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex(), "--home", home.toString()).code()).isZero();
    Payloads p = new Payloads().part("questionnaire", null, ("{\"version\":1,\"language\":\"es\",\"what\":[\"robbery\"],"
        + "\"narrative\":\"csi \\u009b31m rlo \\u202e lri \\u2066 fin\"}").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < NAMES.size(); i++) {
      p.part("file", NAMES.get(i), ("content " + i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] envelope = HostileServer.sealToMaria(p.finish());
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    id = HexFormat.of().formatHex(b);
    byte[] batch = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, id, envelope), envelope)),
        false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
  }

  @AfterEach
  void tearDown() {
    server.close();
    ExportCommand.fault = null;
  }

  CliResult reviewer(String... args) {
    return CliResult.run(Stream.concat(Stream.of(args), Stream.of("--home", home.toString(), "-k",
        home.resolve("maria.keystore").toString(), "--passphrase-file", home.resolve("pass").toString()))
        .toArray(String[]::new));
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static final List<String> EXPECTED = List.of("evil.sh", "_CON", "invoicegpj.exe", "attachment-4",
      "ñ".repeat(97) + ".jpeg", "foto.jpg", "FOTO-2.jpg", "nulbyte.txt", "]2;title.txt",
      "\ud83d\ude00".repeat(49) + ".png");

  @Test
  void files_writesEveryAttachmentUnderASafeUniqueNameInsideTheDirectory() throws Exception {
    Path out = home.resolve("out/files");
    CliResult r = reviewer("files", id, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(NAMES.size() + " file(s)");
    assertThat(names(out)).containsExactlyInAnyOrderElementsOf(EXPECTED);
    for (int i = 0; i < EXPECTED.size(); i++) {
      assertThat(Files.readString(out.resolve(EXPECTED.get(i)))).isEqualTo("content " + i);
    }
    assertThat(names(home.resolve("out"))).containsExactly("files");
    assertThat(r.out()).doesNotContain("\u202e").doesNotContain("\u001b");
  }

  @Test
  void export_thatFailsMidwayLeavesNeitherTheDestinationNorItsStagingDirectory() throws Exception {
    Path parent = Files.createDirectories(home.resolve("exports"));
    for (String at : List.of("attachments/2", "history.txt", "MANIFEST.txt", "rename")) {
      ExportCommand.fault = what -> {
        if (what.equals(at)) {
          throw new IOException("injected at " + at);
        }
      };
      Path out = parent.resolve("case");
      CliResult r = reviewer("export", id, "--out", out.toString());
      assertThat(r.code()).as(at + ": " + r.err()).isEqualTo(ExitCodes.IO);
      assertThat(r.err()).contains("the export failed (IOException); nothing was written to " + out);
      assertThat(names(parent)).as("after a failure at " + at).isEmpty();
    }
  }

  @Test
  void export_isCompleteWithItsManifestAndEscapesControlsInQuestionnaireJson() throws Exception {
    Path out = Files.createDirectories(home.resolve("exports/case"));
    CliResult r = reviewer("export", id, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(names(home.resolve("exports"))).containsExactly("case");
    assertThat(names(out)).containsExactly("MANIFEST.txt", "README.txt", "attachments", "case.json", "events.json",
        "hashes.txt", "history.txt", "questionnaire.json", "report.txt");
    assertThat(names(out.resolve("attachments"))).containsExactlyInAnyOrderElementsOf(EXPECTED);
    String manifest = Files.readString(out.resolve("MANIFEST.txt"));
    assertThat(manifest.lines().count()).isEqualTo(7 + EXPECTED.size());
    byte[] q = Files.readAllBytes(out.resolve("questionnaire.json"));
    String json = new String(q, StandardCharsets.UTF_8);
    assertThat(json).contains("\"narrative\" : \"csi \\u009b31m rlo \\u202e lri \\u2066 fin\"")
        .doesNotContain("\u009b").doesNotContain("\u202e").doesNotContain("\u2066");
    assertThat(Files.readString(out.resolve("report.txt"))).doesNotContain("\u009b").doesNotContain("\u202e");
  }

  @Test
  void export_refusesADestinationThatIsNotEmptyAndWritesNothing() throws Exception {
    Path out = Files.createDirectories(home.resolve("exports/case"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    CliResult r = reviewer("export", id, "--out", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(names(out)).containsExactly("keep.txt");
    assertThat(names(home.resolve("exports"))).containsExactly("case");
  }
}

package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
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

/** {@code list}: newest first by default, --sort, --reverse, --lang, and the columns an investigator sorts by. */
class ListOrderTest {
  static final SecureRandom RANDOM = new SecureRandom();
  @TempDir Path home;
  HostileServer server;
  final List<String> ids = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    assertThat(CliResult.run("server", "add", server.url(), "--root",
        KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex(), "--home", home.toString()).code()).isZero();
    // received on three days, in an order that is neither the id order nor the arrival order;
    // then two on a later day whose arrival order (feed seq) is the reverse of their id order
    String[][] reports = {{"2026-11-02", "es", "yes", "[\"reply\"]"}, {"2026-11-20", "ht", "no", "[]"},
        {"2026-11-10", "es", "unknown", "[]"}, {"2026-11-25", "fr", "no", "[]"}, {"2026-11-25", "fr", "no", "[]"}};
    List<HostileServer.Item> items = new ArrayList<>();
    for (String[] r : reports) {
      String q = "{\"version\":1,\"language\":\"" + r[1] + "\",\"what\":[\"robbery\"],\"victims\":{\"count\":2,"
          + "\"minors\":\"" + r[2] + "\",\"minorsCount\":null},\"wants\":" + r[3] + "}";
      byte[] envelope = HostileServer.sealToMaria(new Payloads().part("questionnaire", null,
          q.getBytes(StandardCharsets.UTF_8)).finish());
      byte[] b = new byte[16];
      RANDOM.nextBytes(b);
      if (ids.size() >= 3) {
        b[0] = (byte) (ids.size() == 3 ? 0xff : 0x00); // the later arrival has the smaller id
      }
      String id = HexFormat.of().formatHex(b);
      ids.add(id);
      items.add(new HostileServer.Item(HostileServer.entry(items.size() + 1, id, envelope).put("receivedDay", r[0]),
          envelope));
    }
    byte[] batch = HostileServer.batch(items, false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  CliResult reviewer(String... args) {
    return CliResult.run(Stream.concat(Stream.of(args), Stream.of("--home", home.toString(), "-k",
        home.resolve("maria.keystore").toString(), "--passphrase-file", home.resolve("pass").toString()))
        .toArray(String[]::new));
  }

  List<String> order(CliResult r) {
    assertThat(r.code()).as(r.err()).isZero();
    List<String> out = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      for (int i = 0; i < ids.size(); i++) {
        if (line.startsWith(ids.get(i).substring(0, 12))) {
          out.add("r" + i);
        }
      }
    }
    return out;
  }

  @Test
  void newestFirstByDefaultWithTheColumnsAnInvestigatorNeeds() {
    CliResult list = reviewer("list");
    assertThat(order(list)).as("within a day, the later arrival first").containsExactly("r4", "r3", "r1", "r2", "r0");
    assertThat(list.out()).contains("PRIO").contains("LANG").contains("MIN").contains("RPL");
    String first = list.out().lines().filter(l -> l.startsWith(ids.get(0).substring(0, 12))).findFirst().orElseThrow();
    assertThat(first).contains("2026-11-02  normal  es    yes  yes");
    assertThat(list.out().lines().filter(l -> l.startsWith(ids.get(1).substring(0, 12))).findFirst().orElseThrow())
        .as("RPL says no").contains("2026-11-20  normal  ht    no   no ");
    assertThat(order(reviewer("list", "--reverse"))).containsExactly("r0", "r2", "r1", "r3", "r4");
    assertThat(order(reviewer("list", "--lang", "es"))).containsExactly("r2", "r0");
    assertThat(order(reviewer("list", "--lang", "ht"))).containsExactly("r1");
  }

  @Test
  void idAndDeadlineOrders() {
    List<String> byId = new ArrayList<>();
    ids.stream().sorted().forEach(id -> byId.add("r" + ids.indexOf(id)));
    assertThat(order(reviewer("list", "--sort", "id"))).isEqualTo(byId);
    // the oldest open report has the nearest deadline
    assertThat(order(reviewer("list", "--sort", "deadline"))).containsExactly("r0", "r2", "r1", "r4", "r3");
  }

  @Test
  void unknownSortOrLanguageIsAUsageErrorNamingTheChoices() {
    CliResult r = reviewer("list", "--sort", "bogus");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("received, priority, deadline, id");
    // a misspelt value matched nothing before; now it names the codes and their labels
    for (String[] bad : new String[][] {{"--filter", "category=extorcion"}, {"--category", "robbo"},
        {"--filter", "state=Chiapa"}, {"--agency", "migra"}, {"--filter", "agency=<b>x</b>"}}) {
      r = reviewer("list", bad[0], bad[1]);
      assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("neither a code nor a label of questionnaire v1").doesNotContain("<b>");
    }
    assertThat(reviewer("list", "--filter", "category=extorcion").err()).contains("extortion (Extorsión), robbery (Robo)");
    assertThat(reviewer("list", "--filter", "state=Chiapa").err()).contains("CHP (Chiapas)");
    // the labels show prints, in Spanish or English, accents and case aside, are taken as their codes
    assertThat(order(reviewer("list", "--filter", "category=robbery,state=chp"))).isEmpty();
    assertThat(order(reviewer("list", "--category", "ROBBERY"))).hasSize(5);
    assertThat(order(reviewer("list", "--category", "robo"))).hasSize(5);
    assertThat(order(reviewer("list", "--filter", "category=Robo"))).hasSize(5);
    assertThat(order(reviewer("list", "--category", "extorsion"))).isEmpty();
    assertThat(reviewer("list", "--category", "Extorsión").code()).isZero();
    assertThat(reviewer("list", "--filter", "state=chiapas").code()).isZero();
    r = reviewer("list", "--lang", "<script>");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).doesNotContain("<script>");
  }
}

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

/**
 * Reports sealed by a client that does not follow questionnaire v1 (anyone may seal to the public
 * manifest): a value outside a closed list, or a second questionnaire after the first. The
 * reviewer tool lists them as not valid reports and never shows them as if they were one; the
 * conforming report beside them reads normally.
 */
class NonConformingQuestionnaireTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String GOOD = "{\"version\":1,\"language\":\"es\",\"what\":[\"robbery\"],\"where\":{\"state\":\"OAX\","
      + "\"place\":\"\",\"placeKind\":null},\"narrative\":\"nos robaron en el tren\"}";
  @TempDir Path home;
  HostileServer server;
  String good;
  String badState;
  String twoQuestionnaires;
  String unknownPart;
  String trailing;
  String repeatedKey;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    assertThat(CliResult.run("server", "add", server.url(), "--root",
        KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex(), "--home", home.toString()).code()).isZero();
    List<HostileServer.Item> items = new ArrayList<>();
    good = add(items, new Payloads().part("questionnaire", null, utf8(GOOD)));
    badState = add(items, new Payloads().part("questionnaire", null, utf8(GOOD.replace("OAX", "ZZZ"))));
    twoQuestionnaires = add(items, new Payloads().part("questionnaire", null, utf8(GOOD))
        .part("questionnaire", null, utf8(GOOD.replace("nos robaron", "otra version"))));
    unknownPart = add(items, new Payloads().part("questionnaire", null, utf8(GOOD)).part("script", null, utf8("x")));
    // Found by an outside attack: readers that stop at the first object, or keep the last of two
    // equal keys, would each show another report.
    trailing = add(items, new Payloads().part("questionnaire", null, utf8(GOOD + "{\"narrative\":\"SEGUNDA\"}")));
    repeatedKey = add(items, new Payloads().part("questionnaire", null,
        utf8(GOOD.replace("\"narrative\":", "\"narrative\":\"PRIMERA\",\"narrative\":"))));
    byte[] batch = HostileServer.batch(items, false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String add(List<HostileServer.Item> items, Payloads payload) throws Exception {
    byte[] envelope = HostileServer.sealToMaria(payload.finish());
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    items.add(new HostileServer.Item(HostileServer.entry(items.size() + 1, id, envelope), envelope));
    return id;
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

  @Test
  void listCountsThemAsNotValidAndShowsTheConformingOne() {
    CliResult list = reviewer("list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains(good.substring(0, 12)).contains("5 not valid reports");
    CliResult malformed = reviewer("list", "--filter", "malformed");
    assertThat(malformed.code()).as(malformed.err()).isZero();
    assertThat(malformed.out()).contains(badState.substring(0, 12)).contains(twoQuestionnaires.substring(0, 12))
        .contains(unknownPart.substring(0, 12)).contains(trailing.substring(0, 12))
        .contains(repeatedKey.substring(0, 12)).doesNotContain(good.substring(0, 12));
    CliResult show = reviewer("show", good);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("nos robaron en el tren");
  }

  @Test
  void showNamesTheFieldNeverTheValueAndNeverRendersTheReport() {
    CliResult r = reviewer("show", badState);
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("is not a valid report").contains("'where.state' holds a value outside its list")
        .doesNotContain("ZZZ");
    assertThat(r.out()).doesNotContain("nos robaron");
    r = reviewer("show", twoQuestionnaires);
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("part 2 is not an attachment");
    assertThat(r.out()).doesNotContain("otra version").doesNotContain("nos robaron");
    r = reviewer("show", unknownPart);
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("part 2 is not an attachment");
    for (String id : List.of(trailing, repeatedKey)) {
      r = reviewer("show", id);
      assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err()).contains("is not a valid report").contains("repeats a key or has data after its end");
      assertThat(r.out() + r.err()).doesNotContain("SEGUNDA").doesNotContain("PRIMERA").doesNotContain("nos robaron");
    }
  }
}

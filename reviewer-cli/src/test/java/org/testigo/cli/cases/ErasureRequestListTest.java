package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * A source's request for early erasure (docs/spec/retention-and-erasure.md §4.2): a follow-up
 * whose only part is {@code erasure-request}. {@code list} marks its case, {@code show} says the
 * source asks for erasure and how to decide it; a follow-up that claims to be a request but holds
 * anything else, or more, is not taken for one.
 */
class ErasureRequestListTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String GOOD = "{\"version\":1,\"language\":\"es\",\"what\":[\"robbery\"],\"where\":{\"state\":\"OAX\","
      + "\"place\":\"\",\"placeKind\":null},\"narrative\":\"nos robaron en el tren\"}";
  @TempDir Path home;
  HostileServer server;
  String asked;
  String other;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    assertThat(CliResult.run("server", "add", server.url(), "--root",
        KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex(), "--home", home.toString()).code()).isZero();
    List<HostileServer.Item> items = new ArrayList<>();
    asked = report(items);
    other = report(items);
    followUp(items, asked, new Payloads().part("erasure-request", null,
        utf8("{\"v\":1,\"type\":\"erasure_request\"}")));
    followUp(items, other, new Payloads().part("erasure-request", null,
        utf8("{\"v\":1,\"type\":\"erasure_request\",\"why\":\"x\"}")));
    followUp(items, other, new Payloads().part("erasure-request", null,
        utf8("{\"v\":1,\"type\":\"erasure_request\"}")).part("file", "a.txt", utf8("x")));
    byte[] batch = HostileServer.batch(items, false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isZero();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String report(List<HostileServer.Item> items) throws Exception {
    byte[] envelope = HostileServer.sealToMaria(new Payloads().part("questionnaire", null, utf8(GOOD)).finish());
    String id = randomId();
    items.add(new HostileServer.Item(HostileServer.entry(items.size() + 1, id, envelope), envelope));
    return id;
  }

  static void followUp(List<HostileServer.Item> items, String caseId, Payloads payload) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new java.io.ByteArrayInputStream(payload.finish()), out,
        List.of(TestKeys.recipient("maria").publicKey()), Envelope.CONTEXT_FOLLOW_UP, RANDOM);
    byte[] envelope = out.toByteArray();
    items.add(new HostileServer.Item(HostileServer.entry(items.size() + 1, randomId(), envelope)
        .put("context", "follow-up").put("caseId", caseId), envelope));
  }

  static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
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
  void listAndShowSayTheSourceAsksForErasure_onlyForAnExactRequest() {
    CliResult list = reviewer("list");
    assertThat(list.code()).as(list.err()).isZero();
    String askedRow = list.out().lines().filter(l -> l.startsWith(asked.substring(0, 12))).findFirst().orElseThrow();
    String otherRow = list.out().lines().filter(l -> l.startsWith(other.substring(0, 12))).findFirst().orElseThrow();
    assertThat(askedRow).contains("THE SOURCE ASKS FOR ERASURE");
    assertThat(otherRow).doesNotContain("ERASURE");
    CliResult show = reviewer("show", asked, "--lang", "en");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("the source asks for erasure").contains("erase " + asked.substring(0, 12)
        + " --reason source-request --early");
    CliResult showOther = reviewer("show", other, "--lang", "en");
    assertThat(showOther.code()).as(showOther.err()).isZero();
    assertThat(showOther.out()).doesNotContain("asks for erasure").contains("not a valid follow-up");
  }
}

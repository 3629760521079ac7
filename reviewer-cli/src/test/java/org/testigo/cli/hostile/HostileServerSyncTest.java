package org.testigo.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;

/**
 * {@code sync}, {@code list} against a hostile reviewer API over real HTTP
 * ({@link HostileServer}): oversized and endless envelopes, endless JSON, entries with bad
 * fields. Each test asserts the command's exit code and message, that no temporary file is
 * left, what is cached (only valid items) and that the server could write only a bounded
 * number of bytes before the CLI hung up.
 */
class HostileServerSyncTest {
  static final SecureRandom RANDOM = new SecureRandom();
  /** Far below what the endless bodies would send (4 GiB), far above the caps plus socket buffers. */
  static final long BOUNDED = 128L * 1024 * 1024;
  @TempDir Path home;
  HostileServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(TestKeys.identity("maria"),
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    CliResult add = CliResult.run("server", "add", server.url(), "--root",
        org.testigo.crypto.manifest.KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex(), "--home", home.toString());
    assertThat(add.code()).as(add.err()).isZero();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  CliResult reviewer(String... args) {
    String[] all = Stream.concat(Stream.of(args), Stream.of("--home", home.toString(), "-k",
        home.resolve("maria.keystore").toString(), "--passphrase-file", home.resolve("pass").toString()))
        .toArray(String[]::new);
    return CliResult.run(all);
  }

  static String id() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static byte[] report(String narrative) throws Exception {
    return HostileServer.sealToMaria(new Payloads().part("questionnaire", null,
        ("{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"],\"narrative\":\"" + narrative + "\"}")
            .getBytes(StandardCharsets.UTF_8)).finish());
  }

  /** Makes the server list and serve this one report (feed seq 1); its id. */
  String serveOneReport(byte[] envelope) throws Exception {
    String id = id();
    byte[] batch = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, id, envelope), envelope)),
        false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    return id;
  }

  Path submissions() {
    return home.resolve("cache/default/submissions");
  }

  List<String> cached() throws Exception {
    try (Stream<Path> s = Files.list(submissions())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  String state() throws Exception {
    Path f = home.resolve("cache/default/state.json");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /** A batch of {@code before} complete items, then {@code entry} whose frames never end. */
  void endlessAfter(List<HostileServer.Item> before, ObjectNode entry) throws Exception {
    byte[] head = HostileServer.batch(before, false);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(head, 0, head.length - 2);
    DataOutputStream d = new DataOutputStream(b);
    HostileServer.itemHead(d, entry);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream fd = new DataOutputStream(frame);
    fd.writeInt(65536);
    fd.write(new byte[65536]);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", server.endless(b.toByteArray(), frame.toByteArray()));
  }

  @Test
  void sync_stopsReadingAnEnvelopeLongerThanItsListedSizeDeletesItsTempFileAndKeepsWhatCameBefore() throws Exception {
    byte[] a = report("primero");
    String idA = id();
    String idB = id();
    endlessAfter(List.of(new HostileServer.Item(HostileServer.entry(1, idA, a), a)),
        HostileServer.entry(2, idB, new byte[5000]));

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isEqualTo(7);
    assertThat(r.err()).contains("envelope " + idB + " from the server is longer than its listed size")
        .contains("nothing of it was kept");
    assertThat(r.out()).contains("1 new submission(s)");
    assertThat(cached()).containsExactlyInAnyOrder(idA + ".json", idA + ".tgenv");
    assertThat(state()).contains("\"submissionsCursor\":1");
    assertThat(server.sent.get()).isLessThan(BOUNDED);
  }

  @Test
  void sync_neverReadsAnEnvelopeListedAboveTheCapAndSaysHowToRaiseIt() throws Exception {
    String idB = id();
    ObjectNode huge = HostileServer.entry(1, idB, new byte[1]).put("size", 610L * 1024 * 1024);
    endlessAfter(List.of(), huge);

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isEqualTo(7);
    assertThat(r.err()).contains("lists submission " + idB + " at 639631360 bytes, above --max-envelope-bytes (67108864)");
    assertThat(cached()).isEmpty();
    assertThat(state()).doesNotContain("submissionsCursor");
    assertThat(server.sent.get()).isLessThan(BOUNDED);
  }

  @Test
  void sync_stopsAnEndlessBatchOfFramesOnTheSkipCapWhenTheEntryIsInvalid() throws Exception {
    ObjectNode bad = HostileServer.entry(1, id(), new byte[1]).put("receivedDay", "2026-02-30");
    endlessAfter(List.of(), bad);

    CliResult r = reviewer("sync", "--max-envelope-bytes", "1048576");

    assertThat(r.code()).as(r.err()).isEqualTo(7);
    assertThat(r.err()).contains("larger than " + (1048576 + 73 + 64 + 1201 * 64) + " bytes; stopped reading");
    assertThat(cached()).isEmpty();
    assertThat(server.sent.get()).isLessThan(BOUNDED);
  }

  @Test
  void sync_skipsEveryInvalidEntryReportsAndCountsItAndCachesOnlyTheValidOnes() throws Exception {
    byte[] a = report("uno");
    byte[] b = report("dos");
    byte[] junk = new byte[100];
    String idA = id();
    String idB = id();
    List<ObjectNode> bad = List.of(
        HostileServer.entry(2, id(), junk).put("receivedDay", "2026-13-45"),
        HostileServer.entry(3, id(), junk).put("receivedDay", "\u001b]0;pwned\u0007"),
        HostileServer.entry(4, "../../../etc/passwd", junk),
        HostileServer.entry(5, id(), junk).put("size", -5),
        HostileServer.entry(6, id(), junk).put("size", "100"),
        HostileServer.entry(7, id(), junk).put("sha256", 12345),
        HostileServer.entry(8, id(), junk).put("caseId", id()),
        HostileServer.entry(9, id(), junk).put("context", "reply"),
        HostileServer.entry(10, id(), junk).put("hasMailbox", "yes"));
    List<HostileServer.Item> items = new java.util.ArrayList<>();
    items.add(new HostileServer.Item(HostileServer.entry(1, idA, a), a));
    bad.forEach(e -> items.add(new HostileServer.Item(e, junk)));
    items.add(new HostileServer.Item(HostileServer.JSON.createObjectNode().put("seq", "11").put("id", id()), junk));
    items.add(new HostileServer.Item(HostileServer.entry(12, idB, b), b));
    byte[] batch = HostileServer.batch(items, false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    server.routes.put("/api/v1/reviewer/events", ex -> HostileServer.send(ex, ("{\"items\":["
        + "{\"seq\":1,\"eventId\":\"" + "ab".repeat(32) + "\",\"caseId\":\"" + idA + "\",\"author\":\"" + "cd".repeat(32)
        + "\",\"receivedAt\":\"yesterday\",\"event\":\"AAAA\",\"content\":\"AAAA\"},"
        + "{\"seq\":2,\"eventId\":\"xyz\",\"caseId\":\"" + idA + "\",\"author\":\"" + "cd".repeat(32)
        + "\",\"receivedAt\":\"2026-11-28T10:00:00Z\",\"event\":\"AAAA\",\"content\":\"AAAA\"},"
        + "{\"seq\":3,\"eventId\":\"" + "ab".repeat(32) + "\",\"caseId\":\"" + idA + "\",\"author\":\"" + "cd".repeat(32)
        + "\",\"receivedAt\":\"2026-11-28T10:00:00Z\",\"event\":\"not base64!\",\"content\":\"AAAA\"},"
        + "{\"seq\":\"4\"}],\"next\":4,\"more\":false}").getBytes(StandardCharsets.UTF_8)));

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 new submission(s)").contains("0 new case event(s)")
        .contains(", 14 invalid item(s) from the server skipped");
    assertThat(r.err().lines().filter(l -> l.contains("warning: skipped a submission entry")).count()).isEqualTo(10);
    assertThat(r.err().lines().filter(l -> l.contains("warning: skipped a case event entry")).count()).isEqualTo(4);
    assertThat(r.err()).contains("bad or missing field 'receivedDay'").contains("'size'").contains("'caseId'")
        .doesNotContain("pwned").doesNotContain("passwd");
    assertThat(cached()).containsExactlyInAnyOrder(idA + ".json", idA + ".tgenv", idB + ".json", idB + ".tgenv");
    try (Stream<Path> s = Files.list(home.resolve("cache/default/events"))) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(state()).contains("\"submissionsCursor\":12");

    CliResult list = reviewer("list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("2 report(s)");
  }

  @Test
  void list_toleratesPoisonedCacheEntriesAndShowsTheGoodOnes() throws Exception {
    byte[] a = report("bueno");
    String idA = serveOneReport(a);
    assertThat(reviewer("sync").code()).isZero();
    String poisoned = id();
    Files.write(submissions().resolve(poisoned + ".tgenv"), a);
    Files.writeString(submissions().resolve(poisoned + ".json"), HostileServer.entry(2, poisoned, a)
        .put("receivedDay", "2026-99-99").toString());
    String garbage = id();
    Files.write(submissions().resolve(garbage + ".tgenv"), a);
    Files.writeString(submissions().resolve(garbage + ".json"), "{\"seq\": [[[[");
    Files.writeString(home.resolve("cache/default/events/7.json"), "not json at all");

    CliResult list = reviewer("list");

    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains(idA.substring(0, 12)).contains("1 report(s)")
        .contains("2 cached entry(ies) are invalid and were left out");
    CliResult show = reviewer("show", idA);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("bueno");
  }

  @Test
  void sync_stopsAnEndlessEventsPageAtTheByteCapAndKeepsTheSubmissions() throws Exception {
    byte[] a = report("con eventos");
    String idA = id();
    byte[] batch = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, idA, a), a)), false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, batch));
    AtomicInteger requests = new AtomicInteger();
    var endless = server.endless("{\"items\":[".getBytes(StandardCharsets.US_ASCII),
        ("{\"seq\":1,\"eventId\":\"" + "ab".repeat(32) + "\",\"event\":\"" + "A".repeat(4000) + "\"},")
            .getBytes(StandardCharsets.US_ASCII));
    server.routes.put("/api/v1/reviewer/events", ex -> {
      requests.incrementAndGet();
      endless.handle(ex);
    });

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isEqualTo(7);
    assertThat(r.err()).contains("the answer to /api/v1/reviewer/events from the server is larger than 16777216 bytes");
    assertThat(cached()).containsExactlyInAnyOrder(idA + ".json", idA + ".tgenv");
    try (Stream<Path> s = Files.list(home.resolve("cache/default/events"))) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(state()).doesNotContain("eventsCursor");
    assertThat(requests.get()).as("page size halved from 200 down to 1").isEqualTo(8);
    assertThat(server.sent.get()).isLessThan(8 * (16L * 1024 * 1024) + BOUNDED);
  }

  @Test
  void sync_refusesAnEndlessManifestAndAnEndlessRewrapPage() throws Exception {
    server.routes.put("/api/v1/reviewer/manifest", server.endless(new byte[0], new byte[65536]));
    CliResult m = reviewer("sync");
    assertThat(m.code()).as(m.err()).isEqualTo(7);
    assertThat(m.err()).contains("the manifest chain from the server is larger than 4194304 bytes");
    assertThat(Files.exists(home.resolve("cache/default/manifest-chain.txt"))).isFalse();

    server.routes.put("/api/v1/reviewer/manifest", ex -> HostileServer.send(ex,
        HostileServer.MANIFEST.getBytes(StandardCharsets.US_ASCII)));
    server.routes.put("/api/v1/reviewer/rewraps", server.endless("{\"items\":[".getBytes(), " ".repeat(65536).getBytes()));
    CliResult w = reviewer("sync");
    assertThat(w.code()).as(w.err()).isEqualTo(7);
    assertThat(w.err()).contains("the answer to /api/v1/reviewer/rewraps from the server is larger than 16777216 bytes");
    assertThat(server.sent.get()).isLessThan(2 * BOUNDED);
  }

  /** Found by an outside attack: an empty page saying "more" made sync ask for the same page for ever. */
  @Test
  void sync_stopsWhenAPageSaysMoreButMovesTheFeedNowhere() throws Exception {
    byte[] a = report("bueno");
    String idA = id();
    byte[] first = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, idA, a), a)), true);
    byte[] empty = HostileServer.batch(List.of(), true);
    java.util.concurrent.atomic.AtomicInteger pages = new java.util.concurrent.atomic.AtomicInteger();
    server.routes.put("/api/v1/reviewer/submissions/envelopes",
        ex -> HostileServer.send(ex, pages.getAndIncrement() == 0 ? first : empty));
    CliResult sync = reviewer("sync");
    assertThat(sync.code()).as(sync.err()).isEqualTo(org.testigo.cli.common.ExitCodes.SERVER);
    assertThat(sync.err()).contains("moved the feed nowhere");
    assertThat(pages.get()).isEqualTo(2);
    assertThat(cached()).contains(idA + ".tgenv");
    assertThat(state()).contains("\"submissionsCursor\":1");
  }

  @Test
  void sync_refusesAnswersThatAreNotJsonOrSayMoreWithoutItems() throws Exception {
    server.routes.put("/api/v1/reviewer/events", ex -> HostileServer.send(ex, "{\"items\":[],\"more\":true}".getBytes()));
    CliResult r = reviewer("sync");
    assertThat(r.code()).as(r.err()).isEqualTo(7);
    assertThat(r.err()).contains("says more but gave none");

    server.routes.put("/api/v1/reviewer/events", ex -> HostileServer.send(ex, "]]]\u0000".getBytes()));
    CliResult j = reviewer("sync");
    assertThat(j.code()).as(j.err()).isEqualTo(7);
    assertThat(j.err()).contains("not valid JSON");
  }

  @Test
  void sync_leavesNoTemporaryFileAfterAnyOfTheAbove() throws Exception {
    endlessAfter(List.of(), HostileServer.entry(1, id(), new byte[70_000]));
    assertThat(reviewer("sync").code()).isEqualTo(7);
    try (Stream<Path> s = Files.walk(home.resolve("cache"))) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList()).isEmpty();
    }
  }

  /**
   * A mistyped root fingerprint (user pass: sync said only "does not verify"): sync names the
   * pinned fingerprint and the one the server's chain names, and how to fix the pin; adding the
   * server again with the right one works, since nothing was synced under the wrong one.
   */
  @Test
  void sync_underAMistypedRoot_namesBothFingerprints_andTheFixWorks() throws Exception {
    String right = org.testigo.crypto.manifest.KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey()).hex();
    String wrong = (right.charAt(0) == '0' ? "1" : "0") + right.substring(1);
    CliResult pin = CliResult.run("server", "add", server.url(), "--root", wrong, "--home", home.toString());
    assertThat(pin.code()).as(pin.err()).isZero();

    CliResult r = reviewer("sync");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("does not verify from the pinned root fingerprint")
        .contains("You pinned " + org.testigo.crypto.Fingerprint.fromHex(wrong).shortForm())
        .contains("the server's chain names " + org.testigo.crypto.Fingerprint.fromHex(right).shortForm())
        .contains("server add again with the right --root");
    // a typo near the end leaves the short form as it was: the message shows both in full
    String lastWrong = right.substring(0, 63) + (right.charAt(63) == '0' ? "1" : "0");
    assertThat(CliResult.run("server", "add", server.url(), "--root", lastWrong, "--home", home.toString()).code())
        .isZero();
    CliResult late = reviewer("sync");
    assertThat(late.code()).isNotZero();
    assertThat(late.err()).contains("You pinned " + lastWrong + "; the server's chain names " + right)
        .contains("they differ further on").doesNotContain("altered");
    CliResult fix = CliResult.run("server", "add", server.url(), "--root", right, "--home", home.toString());
    assertThat(fix.code()).as(fix.err()).isZero();
    assertThat(reviewer("sync").code()).isZero();
  }

  /**
   * A seized server serves a well-formed case event signed by a key that is no reviewer's: sync
   * caches it (history shows it, refused) but does not count it as a new case event, and says
   * there is one that does not verify (before, it was counted as new).
   */
  @Test
  void sync_doesNotCountAnEventThatDoesNotVerifyAsNew_andSaysSo() throws Exception {
    String idA = serveOneReport(report("original"));
    org.testigo.crypto.sign.SigningPrivateKey stranger = org.testigo.crypto.sign.SigningPrivateKey.generate(RANDOM);
    byte[] content = new byte[200];
    RANDOM.nextBytes(content);
    org.testigo.crypto.event.SignedCaseEvent event = org.testigo.crypto.event.SignedCaseEvent.sign(stranger,
        org.testigo.crypto.event.CaseId.fromHex(idA), 1, List.of(), java.time.Instant.now(), content);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    String page = "{\"items\":[{\"seq\":1,\"eventId\":\"" + event.eventId().hex() + "\",\"caseId\":\"" + idA
        + "\",\"author\":\"" + stranger.publicKey().fingerprint().hex() + "\",\"receivedAt\":\""
        + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"event\":\""
        + b64.encodeToString(event.encoded()) + "\",\"content\":\"" + b64.encodeToString(content)
        + "\"}],\"next\":1,\"more\":false}";
    server.routes.put("/api/v1/reviewer/events", ex -> HostileServer.send(ex, page.getBytes(StandardCharsets.UTF_8)));

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 new submission(s)").contains("0 new case event(s) (and 1 that do not verify");
    assertThat(reviewer("list").out()).contains(idA.substring(0, 12)).contains("new");
  }

  @Test
  void sync_neverReplacesACachedEnvelopeByAnotherOfTheSameId() throws Exception {
    byte[] a = report("original");
    String idA = id();
    byte[] first = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, idA, a), a)), false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, first));
    assertThat(reviewer("sync").code()).isZero();
    byte[] forged = report("falsificado");
    byte[] second = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(2, idA, forged), forged)),
        false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, second));

    CliResult r = reviewer("sync");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("lists submission " + idA + " with another SHA-256 than the copy cached here");
    assertThat(r.out()).contains("0 new submission(s)").contains("1 invalid item(s)");
    assertThat(Files.readAllBytes(submissions().resolve(idA + ".tgenv"))).isEqualTo(a);
    assertThat(reviewer("show", idA).out()).contains("original");
  }

  /**
   * A seized server lists one valid entry at seq 2^63-1: every later sync, even against an
   * honest server, would start after it and see nothing. {@code sync --rescan} reads the feed
   * from the start again, keeps what is cached, and brings in what the cursor had skipped.
   */
  @Test
  void sync_rescanRecoversFromACursorPushedToTheEndByAHostileServer() throws Exception {
    byte[] a = report("primero");
    String idA = id();
    byte[] poisoned = HostileServer.batch(List.of(
        new HostileServer.Item(HostileServer.entry(Long.MAX_VALUE, idA, a), a)), false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> HostileServer.send(ex, poisoned));
    assertThat(reviewer("sync").code()).isZero();
    byte[] b = report("segundo");
    String idB = id();
    byte[] honest = HostileServer.batch(List.of(new HostileServer.Item(HostileServer.entry(1, idA, a), a),
        new HostileServer.Item(HostileServer.entry(2, idB, b), b)), false);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> {
      String q = ex.getRequestURI().getRawQuery();
      HostileServer.send(ex, q != null && q.startsWith("after=0&") ? honest : HostileServer.batch(List.of(), false));
    });
    CliResult stuck = reviewer("sync");
    assertThat(stuck.out()).contains("0 new submission(s)");
    assertThat(cached()).doesNotContain(idB + ".tgenv");

    CliResult r = reviewer("sync", "--rescan");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 new submission(s), 1 already cached");
    assertThat(cached()).contains(idA + ".tgenv", idB + ".tgenv");
    assertThat(reviewer("show", idB).out()).contains("segundo");
  }

  @Test
  void sync_givesUpOnABodyThatStopsArrivingAndKeepsTheCacheAsItWas() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    byte[] head = "TGBATCH1".getBytes(StandardCharsets.US_ASCII);
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> {
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write(head);
      ex.getResponseBody().flush();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    System.setProperty("testigo.reviewer.idleSeconds", "1");
    try {
      CliResult r = reviewer("sync");
      assertThat(r.code()).as(r.err()).isEqualTo(7);
      assertThat(r.err()).contains("the server sent nothing for 1 s while sending the answer to"
          + " /api/v1/reviewer/submissions/envelopes");
      assertThat(cached()).isEmpty();
      assertThat(state()).doesNotContain("submissionsCursor");
    } finally {
      System.clearProperty("testigo.reviewer.idleSeconds");
      release.countDown();
    }
  }
}

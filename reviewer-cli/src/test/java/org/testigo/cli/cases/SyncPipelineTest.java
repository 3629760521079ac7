package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * {@code sync} opens the envelopes of each checkpointed page while it downloads the next
 * ({@link IndexPreOpener}, issue #22): the index it leaves equals one rebuilt from the cache,
 * and {@link ReportIndex#current(Path, LocalCache, String, ServerRegistry.Server, ReviewerIdentity,
 * PrintWriter, Map)} takes a pre-opened entry only while the files it was opened from are
 * unchanged.
 */
class SyncPipelineTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  @TempDir Path home;
  HostileServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new HostileServer();
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(MARIA,
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    CliResult add = CliResult.run("server", "add", server.url(), "--root", root().hex(), "--home", home.toString());
    assertThat(add.code()).as(add.err()).isZero();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  static org.testigo.crypto.Fingerprint root() {
    return KeyManifest.rootFingerprint(TestKeys.goldenRoot().publicKey());
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

  static byte[] seal(byte[] payload, String context, String recipient) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), out, List.of(TestKeys.recipient(recipient).publicKey()), context,
        RANDOM);
    return out.toByteArray();
  }

  static byte[] report(String what, String recipient) throws Exception {
    return seal(new Payloads().part("questionnaire", null, ("{\"version\":1,\"language\":\"es\",\"what\":[\"" + what
        + "\"],\"who\":[\"inm\"],\"where\":{\"state\":\"CHP\"},\"narrative\":\"caso\",\"wants\":[\"reply\"]}")
        .getBytes(StandardCharsets.UTF_8)).part("file", "foto.jpg", new byte[300]).finish(),
        Envelope.CONTEXT_REPORT, recipient);
  }

  static byte[] followUp(String text) throws Exception {
    return seal(new Payloads().part("message", null, ("{\"version\":1,\"language\":\"es\",\"message\":\"" + text + "\"}")
        .getBytes(StandardCharsets.UTF_8)).finish(), Envelope.CONTEXT_FOLLOW_UP, "maria");
  }

  /** Serves {@code items} as the batch feed, honouring {@code after} and {@code limit}; counts the pages served. */
  void serve(List<HostileServer.Item> items, AtomicInteger pages) {
    server.routes.put("/api/v1/reviewer/submissions/envelopes", ex -> {
      long after = 0;
      int limit = 100;
      for (String kv : ex.getRequestURI().getQuery().split("&")) {
        String[] p = kv.split("=");
        if (p[0].equals("after")) {
          after = Long.parseLong(p[1]);
        } else if (p[0].equals("limit")) {
          limit = Integer.parseInt(p[1]);
        }
      }
      long from = after;
      List<HostileServer.Item> rest = items.stream().filter(i -> i.entry().get("seq").asLong() > from).toList();
      pages.incrementAndGet();
      HostileServer.send(ex, HostileServer.batch(rest.subList(0, Math.min(limit, rest.size())), rest.size() > limit));
    });
  }

  ServerRegistry.Server registered() {
    return new ServerRegistry.Server("default", URI.create(server.url()), root());
  }

  ReportIndex index(Map<String, ReportIndex.Entry> preOpened, PrintWriter err) throws Exception {
    return ReportIndex.current(home, LocalCache.open(home, "default"), "default", registered(), MARIA, err, preOpened);
  }

  Path indexFile() {
    return home.resolve("index/default")
        .resolve(MARIA.encryptionKey().publicKey().fingerprint().hex().substring(0, 32) + ReportIndex.SUFFIX);
  }

  @Test
  void pipelinedSync_leavesTheIndexAFullRebuildGives() throws Exception {
    List<HostileServer.Item> items = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    long seq = 1;
    for (int i = 0; i < 14; i++) {
      String r = id();
      reports.add(r);
      byte[] env = report(i % 2 == 0 ? "extortion" : "robbery", "maria");
      items.add(new HostileServer.Item(HostileServer.entry(seq++, r, env), env));
    }
    for (int i = 0; i < 5; i++) {
      byte[] env = followUp("seguimiento " + i);
      ObjectNode e = HostileServer.entry(seq++, id(), env).put("context", "follow-up").put("caseId", reports.get(i));
      items.add(new HostileServer.Item(e, env));
    }
    String malformed = id();
    byte[] bad = seal(new Payloads().part("questionnaire", null, "{\"version\":2}".getBytes(StandardCharsets.UTF_8))
        .finish(), Envelope.CONTEXT_REPORT, "maria");
    items.add(new HostileServer.Item(HostileServer.entry(seq++, malformed, bad), bad));
    String notOurs = id();
    byte[] pedro = report("extortion", "pedro");
    items.add(new HostileServer.Item(HostileServer.entry(seq++, notOurs, pedro), pedro));
    AtomicInteger pages = new AtomicInteger();
    serve(items, pages);

    CliResult r = reviewer("sync", "--page-size", "3");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("21 new submission(s)").contains("report index: 21 envelope(s) opened");
    assertThat(pages.get()).as("pages of 3").isEqualTo(7);
    StringWriter err = new StringWriter();
    ReportIndex synced = index(Map.of(), new PrintWriter(err, true));
    assertThat(synced.lastOpened).as("sync left the index current").isZero();
    Files.delete(indexFile());
    ReportIndex rebuilt = index(Map.of(), new PrintWriter(err, true));
    assertThat(rebuilt.lastOpened).isEqualTo(21);
    assertThat(synced.content()).isEqualTo(rebuilt.content());
    assertThat(err.toString()).doesNotContain("rebuilding");
    assertThat(rebuilt.count(ReportIndex.Kind.REPORT)).isEqualTo(14);
    assertThat(rebuilt.count(ReportIndex.Kind.FOLLOW_UP)).isEqualTo(5);
    assertThat(rebuilt.entries.get(malformed).kind()).isEqualTo(ReportIndex.Kind.MALFORMED);
    assertThat(rebuilt.entries.get(notOurs).kind()).isEqualTo(ReportIndex.Kind.UNREADABLE);
    assertThat(rebuilt.entries.get(reports.get(1)).what()).containsExactly("robbery");

    CliResult again = reviewer("sync", "--page-size", "3");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("0 new submission(s)").contains("report index: 0 envelope(s) opened");
  }

  /** Stores one report the way sync does, and pre-opens it as sync does after a checkpoint. */
  Map<String, ReportIndex.Entry> storeAndPreOpen(String id, byte[] envelope) throws Exception {
    LocalCache cache = LocalCache.open(home, "default");
    assertThat(cache.storeEnvelope(LocalCache.Submission.parse(HostileServer.entry(1, id, envelope)),
        new ByteArrayInputStream(envelope))).isTrue();
    try (IndexPreOpener opener = new IndexPreOpener(cache, MARIA, 2, 4)) {
      opener.open(List.of(id));
      Map<String, ReportIndex.Entry> pre = opener.finish();
      assertThat(pre).containsOnlyKeys(id);
      assertThat(pre.get(id).what()).containsExactly("extortion");
      return pre;
    }
  }

  @Test
  void index_takesAPreOpenedEntryWhileItsFilesAreUnchanged() throws Exception {
    String a = id();
    Map<String, ReportIndex.Entry> pre = storeAndPreOpen(a, report("extortion", "maria"));
    ReportIndex.Entry e = pre.get(a);
    // an entry no opening gives, with the files' stamp: the index must take it as it is
    ReportIndex.Entry marked = new ReportIndex.Entry(e.id(), e.seq(), e.context(), e.caseId(), e.receivedDay(),
        e.size(), e.hasMailbox(), e.stamp(), e.kind(), e.problem(), e.language(), List.of("marked"), e.who(),
        e.state(), e.minors(), e.wantsReply(), e.files());

    ReportIndex index = index(Map.of(a, marked), new PrintWriter(new StringWriter(), true));

    assertThat(index.lastOpened).isEqualTo(1);
    assertThat(index.entries.get(a).what()).containsExactly("marked");
  }

  @Test
  void index_opensAgainAnEnvelopeThatChangedAfterItWasPreOpened() throws Exception {
    String a = id();
    Map<String, ReportIndex.Entry> pre = storeAndPreOpen(a, report("extortion", "maria"));
    Path envelope = home.resolve("cache/default/submissions/" + a + ".tgenv");
    FileTime before = Files.getLastModifiedTime(envelope);
    byte[] replaced = report("robbery", "maria");
    Files.write(envelope, replaced);
    // the same stamp but for the time would be a coarse clock's doing; make the change visible either way
    Files.setLastModifiedTime(envelope, FileTime.fromMillis(before.toMillis() + 5_000));
    assertThat(ReportIndex.stamp(home.resolve("cache/default/submissions"), a)).isNotEqualTo(pre.get(a).stamp());

    ReportIndex index = index(pre, new PrintWriter(new StringWriter(), true));

    assertThat(index.lastOpened).isEqualTo(1);
    assertThat(index.entries.get(a).what()).as("opened again, not taken from before the change")
        .containsExactly("robbery");
    assertThat(index.entries.get(a).stamp()).isEqualTo(ReportIndex.stamp(home.resolve("cache/default/submissions"), a));
  }

  @Test
  void index_opensWhatThePreOpenerLeftOutOrNeverSaw() throws Exception {
    String a = id();
    Map<String, ReportIndex.Entry> pre = storeAndPreOpen(a, report("extortion", "maria"));
    String b = id();
    byte[] other = report("robbery", "maria");
    LocalCache.open(home, "default").storeEnvelope(LocalCache.Submission.parse(HostileServer.entry(2, b, other)),
        new ByteArrayInputStream(other));

    ReportIndex index = index(pre, new PrintWriter(new StringWriter(), true));

    assertThat(index.lastOpened).isEqualTo(2);
    assertThat(index.entries.get(b).what()).containsExactly("robbery");
    Files.delete(indexFile());
    assertThat(index(Map.of(), new PrintWriter(new StringWriter(), true)).content()).isEqualTo(index.content());
  }
}

package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * The report index (docs/spec/reviewer-api-and-batches.md §8) over real files: rebuilt when deleted or corrupted,
 * no plaintext in the reviewer's home, and an index updated incrementally in any order of
 * arrival equal to one built from scratch.
 */
class ReportIndexTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();
  static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  static final String MARKER = "MRK" + HexFormat.of().formatHex(RANDOM.generateSeed(10));
  @TempDir Path home;

  @BeforeEach
  void setUp() throws Exception {
    Keystore.write(home.resolve("maria.keystore"), Keystore.encrypt(MARIA,
        Passphrase.of("correct horse battery".toCharArray()), KeystoreParams.TEST, RANDOM), false);
    Files.writeString(home.resolve("pass"), "correct horse battery\n");
    CliResult add = CliResult.run("server", "add", "http://127.0.0.1:9", "--root", root().hex(), "--home",
        home.toString());
    assertThat(add.code()).as(add.err()).isZero();
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

  static byte[] report(String narrative, String what) throws Exception {
    return HostileServer.sealToMaria(new Payloads().part("questionnaire", null,
        ("{\"version\":1,\"language\":\"es\",\"what\":[\"" + what + "\"],\"who\":[\"inm\"],\"where\":{\"state\":\"CHP\"},"
            + "\"narrative\":\"" + narrative + "\",\"wants\":[\"reply\"]}").getBytes(StandardCharsets.UTF_8))
        .part("file", "foto.jpg", ("JPEGDATA " + MARKER).getBytes(StandardCharsets.US_ASCII)).finish());
  }

  /** The files of one cached submission: name to bytes. */
  static Map<String, byte[]> submission(long seq, String id, String caseId, byte[] envelope) throws Exception {
    ObjectNode entry = HostileServer.entry(seq, id, envelope);
    if (!caseId.equals(id)) {
      entry.put("context", "follow-up").put("caseId", caseId);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("submissions/" + id + ".tgenv", envelope);
    files.put("submissions/" + id + ".json", JSON.writeValueAsBytes(entry));
    return files;
  }

  Path cache() {
    return home.resolve("cache/default");
  }

  void put(Map<String, byte[]> files) throws Exception {
    for (var f : files.entrySet()) {
      Path p = cache().resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, f.getValue());
    }
  }

  Path indexFile() throws Exception {
    try (Stream<Path> s = Files.list(home.resolve("index/default"))) {
      List<Path> l = s.filter(p -> p.toString().endsWith(".tgidx")).toList();
      assertThat(l).hasSize(1);
      return l.get(0);
    }
  }

  @Test
  void index_isRebuiltWhenDeletedCorruptedOrTruncated() throws Exception {
    LocalCache.open(home, "default");
    String a = id();
    String b = id();
    put(submission(1, a, a, report("uno", "extortion")));
    put(submission(2, b, b, report("dos", "robbery")));
    CliResult first = reviewer("list");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("2 report(s)").contains(a.substring(0, 12)).contains("robbery");
    Path index = indexFile();

    Files.delete(index);
    CliResult afterDelete = reviewer("list");
    assertThat(afterDelete.code()).as(afterDelete.err()).isZero();
    assertThat(afterDelete.out()).contains("2 report(s)");
    assertThat(Files.exists(index)).isTrue();

    byte[] good = Files.readAllBytes(index);
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    Files.write(index, flipped);
    CliResult afterFlip = reviewer("list", "--category", "robbery");
    assertThat(afterFlip.code()).as(afterFlip.err()).isZero();
    assertThat(afterFlip.err()).contains("does not verify under your key").contains("rebuilding it from the cache");
    assertThat(afterFlip.out()).contains("1 report(s)").contains(b.substring(0, 12));
    assertThat(Files.readAllBytes(index)).isNotEqualTo(flipped);

    Files.write(index, java.util.Arrays.copyOf(Files.readAllBytes(index), 60));
    CliResult afterCut = reviewer("list");
    assertThat(afterCut.code()).as(afterCut.err()).isZero();
    assertThat(afterCut.err()).contains("rebuilding it from the cache");
    assertThat(afterCut.out()).contains("2 report(s)");
    CliResult quiet = reviewer("list");
    assertThat(quiet.err()).doesNotContain("rebuilding");
  }

  @Test
  void index_seesEnvelopesAddedOrRemovedAfterItWasWritten() throws Exception {
    LocalCache.open(home, "default");
    String a = id();
    put(submission(1, a, a, report("uno", "extortion")));
    assertThat(reviewer("list").out()).contains("1 report(s)");
    String b = id();
    put(submission(2, b, b, report("dos", "kidnapping")));
    assertThat(reviewer("list").out()).contains("2 report(s)").contains("kidnapping");
    Files.delete(cache().resolve("submissions/" + a + ".tgenv"));
    assertThat(reviewer("list").out()).contains("1 report(s)").doesNotContain(a.substring(0, 12));
  }

  @Test
  void listShowAndFiles_leaveNoPlaintextInTheReviewerHomeIndexIncluded() throws Exception {
    LocalCache.open(home, "default");
    String a = id();
    put(submission(1, a, a, report("Nos pidieron dinero " + MARKER, "extortion")));
    assertThat(reviewer("list").code()).isZero();
    CliResult show = reviewer("show", a);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains(MARKER).contains("foto.jpg");
    Path out = Files.createTempDirectory("testigo-index-files-");
    CliResult files = reviewer("files", a, "--out", out.toString());
    assertThat(files.code()).as(files.err()).isZero();
    assertThat(Files.readString(out.resolve("foto.jpg"))).isEqualTo("JPEGDATA " + MARKER);
    assertThat(Files.size(indexFile())).isGreaterThan(0);
    try (Stream<Path> shards = Files.list(shardDirectory())) {
      assertThat(shards.toList()).as("the index's shards are scanned too").isNotEmpty();
    }
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString())
            .doesNotContain(MARKER).doesNotContain("foto.jpg");
      }
    }
  }

  /** Events of a case, built at a fixed time by maria under the golden chain. */
  static List<Map<String, byte[]>> events(CaseId caseId, long firstSeq, List<CaseAction> actions) throws Exception {
    KeyManifest latest = TestKeys.goldenChain().get(1).manifest();
    List<SignedCaseEvent> known = new ArrayList<>();
    List<Map<String, byte[]>> out = new ArrayList<>();
    Instant t = Instant.parse("2026-03-03T10:00:00Z");
    long seq = firstSeq;
    for (CaseAction a : actions) {
      t = t.plusSeconds(60);
      CaseEvents.Built b = new CaseEvents(Clock.fixed(t, ZoneOffset.UTC), RANDOM).build(MARIA, latest, caseId,
          List.copyOf(known), a);
      known.add(b.event());
      ObjectNode item = JSON.createObjectNode().put("seq", seq).put("eventId", b.event().eventId().hex())
          .put("caseId", caseId.hex()).put("author", MARIA.signingKey().publicKey().fingerprint().hex())
          .put("receivedAt", t.toString())
          .put("event", Base64.getEncoder().encodeToString(b.event().encoded()))
          .put("content", Base64.getEncoder().encodeToString(b.sealedContent()));
      out.add(Map.of("events/" + seq + ".json", JSON.writeValueAsBytes(item)));
      seq++;
    }
    return out;
  }

  ReportIndex index(PrintWriter err) throws Exception {
    ServerRegistry.Server server = new ServerRegistry.Server("default", URI.create("http://127.0.0.1:9"), root());
    return ReportIndex.current(home, LocalCache.open(home, "default"), "default", server, MARIA, err);
  }

  @Test
  void incrementalUpdate_equalsAFullRebuildWhateverTheOrderOfArrival() throws Exception {
    List<Map<String, byte[]>> items = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    long seq = 1;
    long eventSeq = 1;
    for (int i = 0; i < 4; i++) {
      String r = id();
      reports.add(r);
      items.add(submission(seq++, r, r, report("caso " + i, i % 2 == 0 ? "extortion" : "robbery")));
      List<CaseAction> actions = switch (i) {
        case 0 -> List.of(new CaseAction.Acknowledge(), new CaseAction.Assign("maria"),
            new CaseAction.Label("inm", true), new CaseAction.SetPriority(Priority.HIGH));
        case 1 -> List.of(new CaseAction.Acknowledge(), new CaseAction.SetStatus(Status.INVESTIGATING));
        case 2 -> List.of(new CaseAction.Close(Outcome.SPAM));
        default -> List.of();
      };
      List<Map<String, byte[]>> ev = events(CaseId.fromHex(r), eventSeq, actions);
      eventSeq += ev.size();
      items.addAll(ev);
    }
    items.add(submission(seq++, id(), reports.get(0), HostileServer.sealToMaria(new Payloads().part("message", null,
        "{\"version\":1,\"language\":\"es\",\"message\":\"otra cosa\"}".getBytes(StandardCharsets.UTF_8)).finish())));
    String bad = id();
    items.add(submission(seq++, bad, bad, HostileServer.sealToMaria(new Payloads().part("questionnaire", null,
        "{\"version\":2}".getBytes(StandardCharsets.UTF_8)).finish())));
    Files.createDirectories(cache());
    Files.writeString(cache().resolve("manifest-chain.txt"), HostileServer.MANIFEST);

    Random random = new Random(20_260_303L);
    for (int round = 0; round < 6; round++) {
      for (String sub : List.of("submissions", "events")) {
        Path d = cache().resolve(sub);
        if (Files.exists(d)) {
          try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
              Files.delete(p);
            }
          }
        }
      }
      Files.deleteIfExists(home.resolve("index/default").resolve(indexName()));
      List<Map<String, byte[]>> order = new ArrayList<>(items);
      Collections.shuffle(order, random);
      StringWriter err = new StringWriter();
      int i = 0;
      while (i < order.size()) {
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n && i < order.size(); k++, i++) {
          put(order.get(i));
        }
        index(new PrintWriter(err, true));
      }
      List<Object> incremental = index(new PrintWriter(err, true)).content();
      Files.delete(home.resolve("index/default").resolve(indexName()));
      ReportIndex full = index(new PrintWriter(err, true));
      assertThat(incremental).as("round " + round).isEqualTo(full.content());
      assertThat(err.toString()).doesNotContain("rebuilding");
      assertThat(full.entries).hasSize(reports.size() + 2);
      assertThat(full.entries.get(bad).kind()).isEqualTo(ReportIndex.Kind.MALFORMED);
      assertThat(full.cases.get(reports.get(0)).assignee()).isEqualTo("maria");
      assertThat(full.cases.get(reports.get(0)).labels()).containsExactly("inm");
      assertThat(full.cases.get(reports.get(1)).status()).isEqualTo(Status.INVESTIGATING);
      assertThat(full.cases.get(reports.get(2)).outcome()).isEqualTo(Outcome.SPAM);
      assertThat(full.followUpCounts().get(reports.get(0))).isEqualTo(1);
      assertThat(full.refusedEvents()).isZero();
      assertPartialLoadsAnswerAsTheFullIndex(full);
    }
  }

  /** For every id and 6-character prefix: what {@code show} reads (head and a case's shards) answers as the whole index. */
  void assertPartialLoadsAnswerAsTheFullIndex(ReportIndex full) throws Exception {
    ServerRegistry.Server server = new ServerRegistry.Server("default", URI.create("http://127.0.0.1:9"), root());
    StringWriter err = new StringWriter();
    settle();
    index(new PrintWriter(err, true));
    for (ReportIndex.Entry e : full.entries.values()) {
      for (String typed : List.of(e.id(), e.id().substring(0, 6))) {
        ReportIndex part = ReportIndex.forCase(home, LocalCache.open(home, "default"), "default", server, MARIA, typed,
            new PrintWriter(err, true));
        assertThat(part.isPartial()).as("read from the case's shards only").isTrue();
        ReportIndex.Entry hit = part.find(typed).orElseThrow();
        assertThat(hit).isEqualTo(full.find(typed).orElseThrow());
        String caseId = hit.caseId();
        assertThat(part.followUps(caseId)).isEqualTo(full.followUps(caseId));
        assertThat(part.followUpDays(caseId)).containsExactlyInAnyOrderElementsOf(full.followUpDays(caseId));
        assertThat(part.eventSeqs(caseId)).isEqualTo(full.eventSeqs(caseId));
        assertThat(part.cases.get(caseId)).isEqualTo(full.cases.get(caseId));
        assertThat(part.entries.get(caseId)).isEqualTo(full.entries.get(caseId));
        assertThat(part.entries.size()).isLessThanOrEqualTo(full.entries.size());
      }
    }
    assertThat(err.toString()).doesNotContain("rebuilding");
  }

  /**
   * Dates the cache's directories a minute back: an index written within 2 s of a change to
   * them does not trust its own scan (ReportIndex.RACY_NANOS), so the next command would scan
   * again and read every shard.
   */
  void settle() throws Exception {
    for (String sub : List.of("submissions", "events")) {
      Path d = cache().resolve(sub);
      if (Files.isDirectory(d)) {
        Files.setLastModifiedTime(d, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
  }

  /** An id whose shard (first byte) is {@code shard}. */
  static String idInShard(int shard) {
    return String.format("%02x", shard) + id().substring(2);
  }

  Path shardDirectory() {
    return home.resolve("index/default").resolve(indexName().replace(ReportIndex.SUFFIX, ".shards"));
  }

  @Test
  void showAndFiles_readOnlyTheShardsOfTheirCase() throws Exception {
    LocalCache.open(home, "default");
    String a = idInShard(0x11);
    String b = idInShard(0x22);
    String c = idInShard(0x33);
    String f = idInShard(0x44);
    put(submission(1, a, a, report("uno " + MARKER, "extortion")));
    put(submission(2, b, b, report("dos", "robbery")));
    put(submission(3, c, c, report("tres", "kidnapping")));
    put(submission(4, f, a, HostileServer.sealToMaria(new Payloads().part("message", null,
        "{\"version\":1,\"language\":\"es\",\"message\":\"otra cosa\"}".getBytes(StandardCharsets.UTF_8)).finish(),
        org.testigo.crypto.envelope.Envelope.CONTEXT_FOLLOW_UP)));
    settle();
    CliResult first = reviewer("list");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("3 report(s)");
    try (Stream<Path> s = Files.list(shardDirectory())) {
      List<Path> shards = s.toList();
      assertThat(shards).hasSize(4);
      for (Path p : shards) {
        if (!p.getFileName().toString().startsWith("11-") && !p.getFileName().toString().startsWith("44-")) {
          Files.delete(p);
        }
      }
    }
    for (String typed : List.of(a, a.substring(0, 8), f.substring(0, 8))) {
      CliResult show = reviewer("show", typed, "--lang", "en");
      assertThat(show.code()).as(show.err()).isZero();
      assertThat(show.out()).contains("uno " + MARKER).contains("otra cosa");
      assertThat(show.err()).doesNotContain("rebuilding");
    }
    Path out = Files.createTempDirectory("testigo-index-shards-");
    CliResult files = reviewer("files", a, "--out", out.toString());
    assertThat(files.code()).as(files.err()).isZero();
    assertThat(Files.readString(out.resolve("foto.jpg"))).isEqualTo("JPEGDATA " + MARKER);
    CliResult list = reviewer("list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.err()).contains("could not be read (NoSuchFileException").contains("rebuilding it from the cache");
    assertThat(list.out()).contains("3 report(s)").contains(b.substring(0, 12)).contains(c.substring(0, 12));
    assertThat(reviewer("list").err()).doesNotContain("rebuilding");
  }

  @Test
  void indexFilesThatAreNotFiles_orHuge_areRefusedWithoutCrashOrHang_andAFullDiskDoesNotStopReading()
      throws Exception {
    LocalCache.open(home, "default");
    String a = idInShard(0x10);
    put(submission(1, a, a, report("uno", "extortion")));
    assertThat(reviewer("list").out()).contains("1 report(s)");
    Path head = indexFile();

    // The head as an endless device, then as a 2 GiB sparse file: refused by type and size, rebuilt.
    Files.delete(head);
    Files.createSymbolicLink(head, Path.of("/dev/zero"));
    CliResult zero = reviewer("list");
    assertThat(zero.code()).as(zero.err()).isZero();
    assertThat(zero.err()).contains("not a regular file").contains("rebuilding it from the cache");
    assertThat(Files.isSymbolicLink(head)).isFalse();
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(head.toFile(), "rw")) {
      f.setLength(2L << 30);
    }
    CliResult huge = reviewer("list");
    assertThat(huge.code()).as(huge.err()).isZero();
    assertThat(huge.err()).contains("larger than this tool writes").contains("rebuilding it from the cache");
    assertThat(Files.size(head)).isLessThan(1 << 20);

    // A shard that is a FIFO would block a reader for ever: refused by type.
    Path shard;
    try (Stream<Path> s = Files.list(shardDirectory())) {
      shard = s.toList().get(0);
    }
    Files.delete(shard);
    Process mkfifo = new ProcessBuilder("mkfifo", shard.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    CliResult fifo = reviewer("show", a);
    assertThat(fifo.code()).as(fifo.err()).isZero();
    assertThat(fifo.err()).contains("not a regular file");
    assertThat(fifo.out()).contains("uno");

    // The shard directory replaced by a link elsewhere: nothing is written through it.
    Path elsewhere = Files.createTempDirectory("testigo-index-elsewhere-");
    try (Stream<Path> s = Files.list(shardDirectory())) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(shardDirectory());
    Files.createSymbolicLink(shardDirectory(), elsewhere);
    CliResult linked = reviewer("list");
    assertThat(linked.code()).as(linked.err()).isZero();
    assertThat(linked.out()).contains("1 report(s)");
    assertThat(linked.err()).contains("could not be saved").contains("symbolic link");
    try (Stream<Path> s = Files.list(elsewhere)) {
      assertThat(s.toList()).isEmpty();
    }
    Files.delete(shardDirectory());
    assertThat(reviewer("list").out()).contains("1 report(s)");

    // The shard directory replaced by a file: the index cannot be saved, the command still lists.
    try (Stream<Path> s = Files.list(shardDirectory())) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(shardDirectory());
    Files.writeString(shardDirectory(), "not a directory");
    String b = idInShard(0x20);
    put(submission(2, b, b, report("dos", "robbery")));
    CliResult full = reviewer("list");
    assertThat(full.code()).as(full.err()).isZero();
    assertThat(full.out()).contains("2 report(s)").contains(b.substring(0, 12));
    assertThat(full.err()).contains("could not be saved");
  }

  @Test
  void aShardFromAnotherWrite_isDetectedNotTrusted_andTheIndexRebuilt() throws Exception {
    LocalCache.open(home, "default");
    String a = idInShard(0x5a);
    put(submission(1, a, a, report("uno", "extortion")));
    assertThat(reviewer("list").out()).contains("1 report(s)");
    Path old;
    try (Stream<Path> s = Files.list(shardDirectory())) {
      old = s.toList().get(0);
    }
    byte[] oldBytes = Files.readAllBytes(old);
    String b = idInShard(0x5a);
    put(submission(2, b, b, report("dos", "robbery")));
    assertThat(reviewer("list").out()).contains("2 report(s)");
    Path current;
    try (Stream<Path> s = Files.list(shardDirectory())) {
      current = s.toList().get(0);
    }
    assertThat(current).isNotEqualTo(old);
    // The older shard is sealed under the same key and purpose: only the generation tells it apart.
    Files.write(current, oldBytes);
    CliResult list = reviewer("show", b);
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.err()).contains("does not belong to its head").contains("rebuilding it from the cache");
    assertThat(list.out()).contains("dos");
    CliResult again = reviewer("list");
    assertThat(again.out()).contains("2 report(s)");
    assertThat(again.err()).doesNotContain("rebuilding");
  }

  static String indexName() {
    return MARIA.encryptionKey().publicKey().fingerprint().hex().substring(0, 32) + ReportIndex.SUFFIX;
  }
}

package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.MerkleVerifier;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.log.LogSequencer;
import org.testigo.server.log.LogSigningKey;
import org.testigo.server.log.TreeHeadSigner;

/** The transparency log against H2 and the real MariaDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransparencyLogTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T10:00:00Z"), ZoneOffset.UTC);
  private final SecureRandom random = new SecureRandom();
  @TempDir static Path temp;
  private LogSigningKey key;
  private List<SignedManifest> chain;

  @BeforeAll
  void demoOrganisation() throws Exception {
    Path dir = temp.resolve("org");
    DemoOrganisation.createIfAbsent(dir, dir.resolve("m.txt"), dir.resolve("fp"), dir.resolve("secret"),
        dir.resolve("log-key"), org.testigo.crypto.identity.KeystoreParams.TEST, random, Clock.systemUTC());
    chain = SignedManifest.parseArmored(Files.readString(dir.resolve("m.txt")));
    KeyManifest m = ManifestChain.verify(chain,
        org.testigo.crypto.Fingerprint.fromHex(Files.readString(dir.resolve("fp")).strip()));
    key = LogSigningKey.load(dir.resolve("log-key")).requireListedIn(m);
  }

  private final List<TestDatabase> opened = new ArrayList<>();

  Stream<TestDatabase> databases() {
    TestDatabase h2 = TestDatabase.h2(temp.resolve("h2-" + opened.size()));
    TestDatabase maria = TestDatabase.mariadb();
    opened.add(h2);
    opened.add(maria);
    return Stream.of(h2, maria);
  }

  @AfterAll
  void close() throws Exception {
    for (TestDatabase db : opened) {
      db.close();
    }
  }

  private byte[] hash(int i) {
    byte[] h = new byte[32];
    random.nextBytes(h);
    h[0] = (byte) i;
    return h;
  }

  private LogLeaf leaf(int i) {
    return LogLeaf.of(LogLeaf.EntryType.SUBMISSION, CLOCK.instant(), hash(i));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void append_isUndoneWhenTheStoringTransactionRollsBack(TestDatabase db) throws Exception {
    TransparencyLog log = new TransparencyLog(db.jdbi());
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, log);
    StoredEnvelope first = store.store("report", Optional.empty(), out -> out.write(new byte[100]));
    assertThat(first.sequenced()).as("indices are given after the commit").isFalse();
    assertThat(log.size()).isZero();
    assertThat(log.sequence()).isEqualTo(1);
    assertThat(log.indexOfEnvelope(first.id())).contains(0L);
    assertThatThrownBy(() -> store.store("report", Optional.empty(), out -> {
      out.write(new byte[5000]);
      throw new java.io.IOException("the source went away");
    })).isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> {
      log.append(leaf(1), h);
      throw new IllegalStateException("rolled back after the append");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(log.sequence()).as("a rolled-back store leaves no leaf, pending or sequenced").isZero();
    assertThat(db.count("log_pending")).isZero();
    assertThat(log.size()).isEqualTo(1);
    assertThat(log.leaves(0, 10)).hasSize(1);
    StoredEnvelope second = store.store("follow-up", Optional.empty(), out -> out.write(new byte[10]));
    assertThat(log.indexOfEnvelope(second.id())).as("sequenced on demand; no index was used up")
        .contains(1L);
    LogLeaf stored = LogLeaf.parse(log.leaves(1, 2).get(0));
    assertThat(stored.type()).isEqualTo(LogLeaf.EntryType.SUBMISSION);
    assertThat(stored.day()).isEqualTo(java.time.LocalDate.of(2025, 3, 4));
    assertThat(stored.objectHash()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[10]));
    assertThatThrownBy(() -> store.store("case-event", Optional.empty(), out -> out.write(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> db.jdbi().useHandle(h -> log.append(leaf(9), h)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside the storing transaction");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void treeHeads_signTheRootAndEveryInclusionAndConsistencyProofVerifies(TestDatabase db) {
    TransparencyLog log = new TransparencyLog(db.jdbi());
    SigningPublicKey pub = key.publicKey();
    List<byte[]> leafHashes = new ArrayList<>();
    List<SignedTreeHead> heads = new ArrayList<>();
    long t0 = System.currentTimeMillis() + 1_000; // after the manifest was issued
    heads.add(log.signTreeHead(key, t0));
    for (int batch = 1; batch <= 6; batch++) {
      for (int i = 0; i < batch * 3 - 1; i++) {
        LogLeaf l = leaf(leafHashes.size());
        db.jdbi().useTransaction(h -> log.append(l, h));
        leafHashes.add(l.leafHash());
      }
      heads.add(log.signTreeHead(key, t0 + batch));
    }
    assertThat(heads.get(0).treeSize()).isZero();
    for (SignedTreeHead h : heads) {
      assertThat(h.verify(pub)).isTrue();
      assertThat(h.rootHash()).isEqualTo(MerkleTree.root(LeafHashSource.of(leafHashes), h.treeSize()));
      assertThat(log.treeHead(h.treeSize())).contains(h);
    }
    assertThat(log.latestTreeHead()).contains(heads.get(heads.size() - 1));
    SignedTreeHead last = heads.get(heads.size() - 1);
    for (int i = 0; i < leafHashes.size(); i++) {
      TransparencyLog.InclusionProof p = log.inclusionProof(leafHashes.get(i), last.treeSize()).orElseThrow();
      assertThat(p.leafIndex()).isEqualTo(i);
      assertThat(MerkleVerifier.verifyInclusion(i, last.treeSize(), leafHashes.get(i), p.path(), last.rootHash()))
          .isTrue();
    }
    for (int k = 2; k < heads.size(); k++) {
      SignedTreeHead a = heads.get(k - 1);
      SignedTreeHead b = heads.get(k);
      List<byte[]> proof = log.consistencyProof(a.treeSize(), b.treeSize()).orElseThrow();
      assertThat(MerkleVerifier.verifyConsistency(a.treeSize(), b.treeSize(), a.rootHash(), b.rootHash(), proof))
          .isTrue();
    }
    assertThat(log.consistencyProof(0, 3)).isEmpty();
    assertThat(log.consistencyProof(3, last.treeSize() + 1)).isEmpty();
    assertThat(log.inclusionProof(hash(0), last.treeSize())).isEmpty();
    FilingProof fp = log.filingProof(4, Optional.empty(), pub).orElseThrow();
    assertThat(fp.leafIndex()).isEqualTo(4);
    org.assertj.core.api.Assertions.assertThatCode(() -> fp.verify(chain, chainRoot())).doesNotThrowAnyException();
    assertThat(log.filingProof(last.treeSize(), Optional.empty(), pub)).as("not yet in a signed head").isEmpty();
  }

  private org.testigo.crypto.Fingerprint chainRoot() {
    return KeyManifest.rootFingerprint(chain.get(0).manifest().rootKey());
  }

  /** One storing transaction of the race below: when it began and when its commit returned. */
  private record Stored(byte[] leafHash, long startNanos, long committedNanos) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void sequence_givesDenseGapFreeCommitOrderedIndicesToConcurrentStoresWhileSequencersRace(TestDatabase db)
      throws Exception {
    TransparencyLog[] instances = {new TransparencyLog(db.jdbi()), new TransparencyLog(db.jdbi()),
        new TransparencyLog(db.jdbi())};
    TransparencyLog log = instances[0];
    int writers = 6;
    int perWriter = 25;
    List<Stored> committed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<byte[]> rolledBack = java.util.Collections.synchronizedList(new ArrayList<>());
    List<List<String>> snapshots = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(writers + instances.length + 1);
    try {
      List<Future<?>> writerTasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        TransparencyLog mine = instances[w % instances.length];
        writerTasks.add(pool.submit(() -> {
          for (int k = 0; k < perWriter; k++) {
            LogLeaf l = leaf(k);
            boolean rollBack = k % 5 == 4;
            long start = System.nanoTime();
            try {
              db.jdbi().useTransaction(h -> {
                mine.append(l, h);
                if (rollBack) {
                  throw new IllegalStateException("rolled back after the append");
                }
              });
              committed.add(new Stored(l.leafHash(), start, System.nanoTime()));
            } catch (IllegalStateException expected) {
              rolledBack.add(l.leafHash());
            }
          }
          return null;
        }));
      }
      List<Future<?>> others = new ArrayList<>();
      for (TransparencyLog instance : instances) {
        others.add(pool.submit(() -> {
          while (writing.get()) {
            instance.sequence();
            Thread.sleep(2);
          }
          return null;
        }));
      }
      others.add(pool.submit(() -> {
        while (writing.get()) {
          snapshots.add(hexHashes(log.leaves(0, log.size())));
          Thread.sleep(5);
        }
        return null;
      }));
      for (Future<?> f : writerTasks) {
        f.get();
      }
      writing.set(false);
      for (Future<?> f : others) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    log.sequence();

    List<String> all = hexHashes(log.leaves(0, log.size() + 10));
    assertThat(log.size()).as("dense: the size counts every committed leaf").isEqualTo(committed.size());
    assertThat(all).as("gap-free, each committed leaf exactly once").hasSize(committed.size()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(committed.stream().map(s -> hex(s.leafHash())).toList());
    assertThat(all).as("no rolled-back leaf").doesNotContainAnyElementsOf(rolledBack.stream().map(this::hex).toList());
    assertThat(db.count("log_pending")).isZero();
    for (List<String> earlier : snapshots) {
      assertThat(all.subList(0, earlier.size())).as("the log only grows at its end").isEqualTo(earlier);
    }
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      index.put(all.get(i), i);
    }
    for (Stored a : committed) {
      for (Stored b : committed) {
        if (a.committedNanos() < b.startNanos()) {
          assertThat(index.get(hex(a.leafHash()))).as("a leaf committed before another store began comes first")
              .isLessThan(index.get(hex(b.leafHash())));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void sequence_givesIndicesToLeavesLeftPendingByAnInstanceThatDied(TestDatabase db) throws Exception {
    TransparencyLog died = new TransparencyLog(db.jdbi());
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, died);
    List<StoredEnvelope> stored = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stored.add(store.store("report", Optional.empty(), out -> out.write(new byte[300])));
    }
    // The instance is gone before any sequencing: its committed leaves wait in log_pending.
    assertThat(db.count("log_pending")).isEqualTo(3);
    assertThat(died.size()).isZero();
    Optional<Long> insideTransaction = db.jdbi().withHandle(h -> died.indexOfEnvelope(stored.get(0).id(), h));
    assertThat(insideTransaction)
        .as("inside a transaction a pending leaf has no index yet").isEmpty();

    TransparencyLog restarted = new TransparencyLog(db.jdbi());
    LogSequencer sequencer = new LogSequencer(restarted, Duration.ofHours(1));
    sequencer.start();
    sequencer.stop();
    assertThat(restarted.size()).as("sequenced when the next instance starts").isEqualTo(3);
    assertThat(db.count("log_pending")).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(restarted.indexOfEnvelope(stored.get(i).id())).contains((long) i);
    }
    assertThat(restarted.sequence()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void logManifests_logsEachManifestOnceWhenInstancesStartTogetherWithLeavesPending(TestDatabase db)
      throws Exception {
    TransparencyLog first = new TransparencyLog(db.jdbi());
    for (int i = 0; i < 5; i++) {
      LogLeaf l = leaf(i);
      db.jdbi().useTransaction(h -> first.append(l, h));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> added = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TransparencyLog instance = new TransparencyLog(db.jdbi());
      added.add(pool.submit(() -> instance.logManifests(chain, CLOCK.instant())));
    }
    int total = 0;
    for (Future<Integer> f : added) {
      total += f.get();
    }
    pool.shutdown();
    first.sequence();
    assertThat(total).isEqualTo(chain.size());
    long manifests = first.leaves(0, first.size()).stream().map(TransparencyLogTest::parse)
        .filter(l -> l.type() == LogLeaf.EntryType.MANIFEST).count();
    assertThat(manifests).isEqualTo(chain.size());
    assertThat(first.size()).isEqualTo(5 + chain.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void latestReport_countsAReportWhoseLeafIsPendingAsTheLast(TestDatabase db) throws Exception {
    TransparencyLog log = new TransparencyLog(db.jdbi());
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, log);
    assertThat(store.latestReport()).isEmpty();
    StoredEnvelope first = store.store("report", Optional.empty(), out -> out.write(new byte[50]));
    log.sequence();
    StoredEnvelope second = store.store("report", Optional.empty(), out -> out.write(new byte[60]));
    assertThat(store.latestReport().orElseThrow().id()).as("pending, after every sequenced report")
        .isEqualTo(second.id());
    store.store("follow-up", Optional.empty(), out -> out.write(new byte[70]));
    log.sequence();
    assertThat(store.latestReport().orElseThrow().id()).isEqualTo(second.id());
    assertThat(log.indexOfEnvelope(first.id())).contains(0L);
    assertThat(log.indexOfEnvelope(second.id())).contains(1L);
  }

  private List<String> hexHashes(List<byte[]> encodedLeaves) {
    return encodedLeaves.stream().map(b -> hex(parse(b).leafHash())).toList();
  }

  private String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void logManifests_logsEachManifestOnce(TestDatabase db) {
    TransparencyLog log = new TransparencyLog(db.jdbi());
    assertThat(log.logManifests(chain, CLOCK.instant())).isEqualTo(chain.size());
    assertThat(log.logManifests(chain, CLOCK.instant())).isZero();
    LogLeaf l = parse(log.leaves(0, 1).get(0));
    assertThat(l.type()).isEqualTo(LogLeaf.EntryType.MANIFEST);
    assertThat(l.objectHash()).isEqualTo(chain.get(0).hash().toBytes());
  }

  private static LogLeaf parse(byte[] b) {
    try {
      return LogLeaf.parse(b);
    } catch (org.testigo.crypto.CryptoException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void leafCache_rootEqualsTheRfcRootAtEverySize() {
    LeafHashCache cache = new LeafHashCache();
    List<byte[]> hashes = new ArrayList<>();
    for (int n = 0; n <= 70; n++) {
      assertThat(cache.root()).as("size " + n).isEqualTo(MerkleTree.root(LeafHashSource.of(hashes), n));
      byte[] h = leaf(n).leafHash();
      hashes.add(h);
      cache.append(h);
    }
  }

  @Test
  void signer_signsOnIntervalBoundariesAndOnlyWhenTheLogGrewOrTheHeadIsOld() {
    TestDatabase db = TestDatabase.h2(temp.resolve("signer"));
    opened.add(db);
    TransparencyLog log = new TransparencyLog(db.jdbi());
    Clock at = Clock.fixed(Instant.parse("2025-03-04T10:59:59.500Z"), ZoneOffset.UTC);
    TreeHeadSigner signer = new TreeHeadSigner(log, key, at, Duration.ofHours(1), Duration.ofHours(24));
    long boundary = signer.currentBoundary();
    assertThat(Instant.ofEpochMilli(boundary)).isEqualTo(Instant.parse("2025-03-04T10:00:00Z"));
    SignedTreeHead first = signer.signIfDue(boundary);
    assertThat(first.timestampMillis()).isEqualTo(boundary);
    assertThat(signer.signIfDue(boundary + 3_600_000)).as("unchanged log, fresh head").isEqualTo(first);
    db.jdbi().useTransaction(h -> log.append(leaf(1), h));
    SignedTreeHead grown = signer.signIfDue(boundary + 3_600_000);
    assertThat(grown.treeSize()).isEqualTo(1);
    assertThat(grown.timestampMillis()).isEqualTo(boundary + 3_600_000);
    SignedTreeHead refreshed = signer.signIfDue(boundary + 25 * 3_600_000L);
    assertThat(refreshed.treeSize()).isEqualTo(1);
    assertThat(refreshed.timestampMillis()).isEqualTo(boundary + 25 * 3_600_000L);
  }

  @Test
  void logKey_isRefusedWhenReadableByOthersOfTheWrongLengthOrNotTheManifestsLogKey() throws Exception {
    Path f = temp.resolve("bad-key");
    Files.write(f, new byte[32]);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> LogSigningKey.load(f)).hasMessageContaining("0600");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    LogSigningKey other = LogSigningKey.load(f);
    assertThatThrownBy(() -> other.requireListedIn(chain.get(0).manifest()))
        .isInstanceOf(LogSigningKey.LogKeyException.class).hasMessageContaining("refusing to start");
    Files.write(f, new byte[31]);
    assertThatThrownBy(() -> LogSigningKey.load(f)).hasMessageContaining("32-byte");
    assertThatThrownBy(() -> LogSigningKey.load(temp.resolve("absent"))).hasMessageContaining("does not exist");
    assertThat(key.toString()).doesNotContain(java.util.HexFormat.of().formatHex(Files.readAllBytes(temp.resolve("org/log-key"))));
  }
}

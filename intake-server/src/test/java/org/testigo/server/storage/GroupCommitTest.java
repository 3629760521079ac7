package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.SizeBuckets;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.domain.SubmissionIdConflictException;

/**
 * Group commit against the real MariaDB and H2: batches form under concurrency and store
 * every envelope byte for byte with its leaf; ids that exist, duplicates within a batch and a
 * batch that fails for one envelope's fault fall back to storing alone; a full queue is a
 * 503; stopping hands back what waits. Each test makes its own store on a shared database.
 */
class GroupCommitTest extends BothDatabases {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
  private static final int CHUNK = 4096;
  private final SecureRandom random = new SecureRandom();

  /** The group commit of the store made last by {@link #store}. */
  private GroupCommit groupCommit;

  /** A store whose write path is a group commit with these sizes (in {@link #groupCommit}). */
  private EnvelopeStore store(TestDatabase db, int writers, int maxQueued) {
    GroupCommit.Settings settings = new GroupCommit.Settings(writers, 64, 8 << 20, 1 << 20, maxQueued);
    TransactionRunner transactions = TransactionRunner.singleAttempt(db.jdbi());
    TransparencyLog log = new TransparencyLog(db.jdbi());
    groupCommit = new GroupCommit(transactions, log, CHUNK, settings, 7, new TransactionWriter(transactions, log, CHUNK));
    return new EnvelopeStore(transactions, CHUNK, 4 << 20, CLOCK, new SecureRandom(), log, groupCommit);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] read(EnvelopeStore store, EnvelopeId id) throws Exception {
    EnvelopeRecord r = store.find(id).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.copyTo(r, out);
    return out.toByteArray();
  }

  private static long count(TestDatabase db, String sql, byte[] id) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).bind(0, id).mapTo(Long.class).one());
  }

  private GroupCommit.Entry entry(EnvelopeId id, byte[] bytes, Optional<EnvelopeStore.MailboxLink> link)
      throws Exception {
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
    int chunks = bytes.length == 0 ? 1 : (bytes.length + CHUNK - 1) / CHUNK;
    return new GroupCommit.Entry(id, "report", LocalDate.now(CLOCK), SizeBuckets.padme(bytes.length), bytes,
        chunks, sha, link, LogLeaf.of(LogLeaf.EntryType.SUBMISSION, CLOCK.instant(), sha));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void concurrentStoresShareBatchesAndReadBackByteForByte(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 1, 256);
    GroupCommit group = groupCommit;
    group.start();
    long leavesBefore = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM log_pending")
        .mapTo(Long.class).one()) + new TransparencyLog(db.jdbi()).size();
    int threads = 16;
    int each = 12;
    Map<EnvelopeId, byte[]> written = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            // sizes across chunk boundaries, including empty and exactly one chunk
            int size = switch ((thread + i) % 5) {
              case 0 -> 0;
              case 1 -> CHUNK;
              case 2 -> 3 * CHUNK + 17;
              case 3 -> 10_000;
              default -> 1;
            };
            byte[] data = bytes(size);
            EnvelopeStore.Stored s = store.store(store.randomId(), "report", Optional.empty(), out -> out.write(data));
            assertThat(s.alreadyStored()).isFalse();
            written.put(s.envelope().id(), data);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      group.stop();
    }
    assertThat(written).hasSize(threads * each);
    for (Map.Entry<EnvelopeId, byte[]> e : written.entrySet()) {
      assertThat(read(store, e.getKey())).isEqualTo(e.getValue());
      EnvelopeRecord r = store.find(e.getKey()).orElseThrow();
      assertThat(r.sizeBucket()).isEqualTo(SizeBuckets.padme(e.getValue().length));
      assertThat(r.chunkCount()).isEqualTo(e.getValue().length == 0 ? 1 : (e.getValue().length + CHUNK - 1) / CHUNK);
    }
    assertThat(group.batchedEnvelopes()).isEqualTo(threads * each);
    assertThat(group.handedBack()).isZero();
    assertThat(group.batches()).as("16 concurrent writers and one group-commit thread make batches")
        .isLessThan(threads * each);
    // The admin port's timers: one queue wait per envelope, one duration per batch.
    assertThat(group.queueTime().getCount()).isEqualTo(threads * each);
    assertThat(group.batchTime().getCount()).isEqualTo(group.batches());
    assertThat(group.batchTime().getSnapshot().getMax()).isPositive();
    TransparencyLog log = new TransparencyLog(db.jdbi());
    log.sequence();
    assertThat(log.size() - leavesBefore).isEqualTo(threads * each);
    for (EnvelopeId id : written.keySet()) {
      assertThat(log.indexOfEnvelope(id)).isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aResentIdIsAnsweredFromTheStoredRowAndOtherBytesConflict(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 2, 256);
    groupCommit.start();
    try {
      EnvelopeId id = store.randomId();
      byte[] data = bytes(5000);
      assertThat(store.store(id, "report", Optional.empty(), out -> out.write(data)).alreadyStored()).isFalse();
      EnvelopeStore.Stored again = store.store(id, "report", Optional.empty(), out -> out.write(data));
      assertThat(again.alreadyStored()).isTrue();
      assertThat(again.envelope().id()).isEqualTo(id);
      assertThatThrownBy(() -> store.store(id, "report", Optional.empty(), out -> out.write(bytes(5000))))
          .isInstanceOf(SubmissionIdConflictException.class);
      assertThat(read(store, id)).isEqualTo(data);
      assertThat(groupCommit.handedBack()).isEqualTo(2);
      assertThat(count(db, "SELECT COUNT(*) FROM log_pending WHERE envelope_id = ?", id.toBytes())
          + count(db, "SELECT COUNT(*) FROM log_leaves WHERE envelope_id = ?", id.toBytes())).isEqualTo(1);
    } finally {
      groupCommit.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aOneChunkEnvelopeIsStoredInItsRowAndALargerOneInChunks(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 0, 16);
    EnvelopeId small = store.randomId();
    EnvelopeId empty = store.randomId();
    EnvelopeId large = store.randomId();
    byte[] s = bytes(CHUNK);
    byte[] l = bytes(2 * CHUNK + 1);
    List<GroupCommit.Entry> batch = List.of(entry(small, s, Optional.empty()), entry(empty, new byte[0], Optional.empty()),
        entry(large, l, Optional.empty()));
    groupCommit.commit(batch);
    for (GroupCommit.Entry e : batch) {
      assertThat(e.stored.get()).isTrue();
    }
    assertThat(count(db, "SELECT COUNT(*) FROM envelope_chunks WHERE envelope_id = ?", small.toBytes())).isZero();
    assertThat(count(db, "SELECT COUNT(*) FROM envelopes WHERE id = ? AND inline_data IS NOT NULL", small.toBytes()))
        .isEqualTo(1);
    assertThat(count(db, "SELECT COUNT(*) FROM envelope_chunks WHERE envelope_id = ?", large.toBytes())).isEqualTo(3);
    assertThat(count(db, "SELECT COUNT(*) FROM envelopes WHERE id = ? AND inline_data IS NULL", large.toBytes()))
        .isEqualTo(1);
    assertThat(read(store, small)).isEqualTo(s);
    assertThat(read(store, empty)).isEmpty();
    assertThat(read(store, large)).isEqualTo(l);
    assertThat(store.readHead(store.find(small).orElseThrow(), 10)).isEqualTo(java.util.Arrays.copyOf(s, 10));
    List<byte[]> parts = db.jdbi().withHandle(h -> h.createQuery("SELECT data FROM "
        + org.testigo.server.storage.EnvelopeDao.PARTS + " p WHERE envelope_id = ? ORDER BY idx")
        .bind(0, small.toBytes()).mapTo(byte[].class).list());
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0)).isEqualTo(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aResendInsideABatchIsHandedBackAndTheOthersStillCommitTogether(TestDatabase db) throws Exception {
    // The batch inserts without reading first; the resend's id fails that insert, and the
    // batch runs once more, reading which ids have a row.
    EnvelopeStore store = store(db, 0, 16);
    EnvelopeId resent = store.randomId();
    byte[] data = bytes(2000);
    store.store(resent, "report", Optional.empty(), out -> out.write(data));
    EnvelopeId fresh1 = store.randomId();
    EnvelopeId fresh2 = store.randomId();
    byte[] d1 = bytes(300);
    byte[] d2 = bytes(9000);
    List<GroupCommit.Entry> batch = List.of(entry(fresh1, d1, Optional.empty()), entry(resent, data, Optional.empty()),
        entry(fresh2, d2, Optional.empty()));
    groupCommit.commit(batch);
    assertThat(batch.get(0).stored.get()).isTrue();
    assertThat(batch.get(1).stored.get()).as("handed back, to be answered from the stored row").isFalse();
    assertThat(batch.get(2).stored.get()).isTrue();
    assertThat(groupCommit.batches()).isEqualTo(1);
    assertThat(groupCommit.batchedEnvelopes()).isEqualTo(2);
    assertThat(groupCommit.handedBack()).isEqualTo(1);
    assertThat(read(store, fresh1)).isEqualTo(d1);
    assertThat(read(store, fresh2)).isEqualTo(d2);
    assertThat(read(store, resent)).isEqualTo(data);
    for (EnvelopeId id : List.of(fresh1, fresh2, resent)) {
      assertThat(count(db, "SELECT COUNT(*) FROM log_pending WHERE envelope_id = ?", id.toBytes())
          + count(db, "SELECT COUNT(*) FROM log_leaves WHERE envelope_id = ?", id.toBytes())).as("one leaf").isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aDuplicateIdInsideOneBatchHandsTheWholeBatchBackAndStoresNothing(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 0, 16);
    EnvelopeId twice = store.randomId();
    EnvelopeId other = store.randomId();
    byte[] data = bytes(700);
    List<GroupCommit.Entry> batch = List.of(entry(twice, data, Optional.empty()),
        entry(other, bytes(900), Optional.empty()), entry(twice, data, Optional.empty()));
    groupCommit.commit(batch);
    for (GroupCommit.Entry e : batch) {
      assertThat(e.stored.get()).as("handed back to be stored alone").isFalse();
    }
    assertThat(store.find(twice)).isEmpty();
    assertThat(store.find(other)).isEmpty();
    assertThat(count(db, "SELECT COUNT(*) FROM log_pending WHERE envelope_id = ?", twice.toBytes())).isZero();
    // stored alone, as the requests then do: one stores, the resend finds it
    assertThat(store.store(twice, "report", Optional.empty(), out -> out.write(data)).alreadyStored()).isFalse();
    assertThat(store.store(twice, "report", Optional.empty(), out -> out.write(data)).alreadyStored()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void oneEnvelopesFaultHandsTheBatchBackAndTheOthersStoreAlone(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 0, 16);
    MailboxId missing = MailboxId.fromBytes(bytes(32));
    EnvelopeId good1 = store.randomId();
    EnvelopeId bad = store.randomId();
    EnvelopeId good2 = store.randomId();
    List<GroupCommit.Entry> batch = List.of(entry(good1, bytes(100), Optional.empty()),
        entry(bad, bytes(100), Optional.of(EnvelopeStore.MailboxLink.existing(missing, MailboxStore.KIND_REPORT))),
        entry(good2, bytes(100), Optional.empty()));
    groupCommit.commit(batch);
    for (GroupCommit.Entry e : batch) {
      assertThat(e.stored.get()).isFalse();
    }
    for (EnvelopeId id : List.of(good1, bad, good2)) {
      assertThat(store.find(id)).as("the failed batch stored nothing").isEmpty();
    }
    assertThat(groupCommit.handedBack()).isEqualTo(3);
    store.store(good1, "report", Optional.empty(), out -> out.write(1));
    assertThatThrownBy(() -> store.store(bad, "report",
        Optional.of(EnvelopeStore.MailboxLink.existing(missing, MailboxStore.KIND_REPORT)), out -> out.write(1)))
        .isNotInstanceOf(StorageUnavailableException.class);
    store.store(good2, "report", Optional.empty(), out -> out.write(1));
    assertThat(store.find(good1)).isPresent();
    assertThat(store.find(bad)).isEmpty();
    assertThat(store.find(good2)).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void batchesLinkToMailboxesAndCreateThem(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 0, 16);
    MailboxStore mailboxes = new MailboxStore(db.jdbi(), CLOCK);
    MailboxId created = MailboxId.fromBytes(bytes(32));
    var replyKey = org.testigo.crypto.key.RecipientPrivateKey.generate(random).publicKey();
    EnvelopeId first = store.randomId();
    EnvelopeId second = store.randomId();
    List<GroupCommit.Entry> batch = List.of(
        entry(first, bytes(64), Optional.of(new EnvelopeStore.MailboxLink(created, MailboxStore.KIND_REPORT, replyKey))),
        entry(second, bytes(64), Optional.of(EnvelopeStore.MailboxLink.existing(created, MailboxStore.KIND_FOLLOW_UP))));
    groupCommit.commit(batch);
    assertThat(batch.get(0).stored.get()).isTrue();
    assertThat(batch.get(1).stored.get()).isTrue();
    assertThat(mailboxes.replyKey(created)).isPresent();
    assertThat(count(db, "SELECT COUNT(*) FROM mailbox_envelopes WHERE mailbox_id = ?", created.toBytes()))
        .isEqualTo(2);
  }

  @Test
  void aFullQueueAnswersBusyAtOnceAndEverythingQueuedCommitsWhenTheDatabaseReturns() throws Exception {
    // MariaDB only: a table lock held by another session stalls the writer's batch.
    EnvelopeStore store = store(mariadb, 1, 2);
    GroupCommit group = groupCommit;
    group.start();
    String url = TestDatabase.MARIADB_SERVER + mariadb.mariadbName() + "?user=root";
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Connection locker = DriverManager.getConnection(url); Statement s = locker.createStatement()) {
      s.execute("LOCK TABLES envelopes WRITE");
      List<Future<EnvelopeStore.Stored>> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // one taken by the stalled writer, two fill the queue
        waiting.add(pool.submit(() -> store.store(store.randomId(), "report", Optional.empty(), out -> out.write(7))));
        waitUntil(() -> group.queued() + group.inFlight() >= waiting.size());
      }
      assertThatThrownBy(() -> store.store(store.randomId(), "report", Optional.empty(), out -> out.write(7)))
          .isInstanceOf(ServiceBusyException.class)
          .satisfies(e -> assertThat(((ServiceBusyException) e).retryAfterSeconds()).isEqualTo(7));
      s.execute("UNLOCK TABLES");
      for (Future<EnvelopeStore.Stored> f : waiting) {
        assertThat(store.find(f.get(1, TimeUnit.MINUTES).envelope().id())).isPresent();
      }
    } finally {
      pool.shutdownNow();
      group.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void afterStopEnvelopesAreStoredAlone(TestDatabase db) throws Exception {
    EnvelopeStore store = store(db, 1, 16);
    groupCommit.start();
    groupCommit.stop();
    byte[] data = bytes(321);
    EnvelopeStore.Stored s = store.store(store.randomId(), "report", Optional.empty(), out -> out.write(data));
    assertThat(read(store, s.envelope().id())).isEqualTo(data);
    assertThat(groupCommit.batches()).isZero();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.sleep(10);
    }
  }
}

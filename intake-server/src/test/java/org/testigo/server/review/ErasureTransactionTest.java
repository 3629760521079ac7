package org.testigo.server.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.storage.BothDatabases;
import org.testigo.server.storage.CaseEventDao;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.MailboxStore;
import org.testigo.server.storage.TestDatabase;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransparencyLog;

/**
 * The erasure transaction itself (docs/spec/retention-and-erasure.md §3.3) on H2 (the demo's
 * database, one account) and on MariaDB: a case with a report, a follow-up and a reply in its
 * mailbox, a chunked and an inline envelope, two events; a second case in the same database
 * stays untouched. The signatures and the rules are checked before this transaction (by
 * ErasureApiAppTest through the API); here any signer will do.
 */
class ErasureTransactionTest extends BothDatabases {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T10:00:00Z"), ZoneOffset.UTC);
  private final SecureRandom random = new SecureRandom();

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A case: report (chunked), follow-up and reply (one chunk each) in a new mailbox, two events. */
  private record Case(List<EnvelopeRecord> objects, EventId recordEvent, EventId otherEvent, MailboxId mailbox) {}

  private Case newCase(TestDatabase db, EnvelopeStore store) throws Exception {
    MailboxId mailbox = MailboxId.fromBytes(bytes(32));
    byte[] reportBytes = bytes(4096 * 2 + 5);
    StoredEnvelope report = store.store("report", Optional.of(new EnvelopeStore.MailboxLink(mailbox,
        MailboxStore.KIND_REPORT, RecipientPrivateKey.generate(random).publicKey())), out -> out.write(reportBytes));
    StoredEnvelope followUp = store.store("follow-up", Optional.of(EnvelopeStore.MailboxLink.existing(mailbox,
        MailboxStore.KIND_FOLLOW_UP)), out -> out.write(bytes(300)));
    StoredEnvelope reply = store.store("reply", Optional.of(EnvelopeStore.MailboxLink.reply(mailbox, report.id())),
        out -> out.write(bytes(200)));
    List<EnvelopeRecord> objects = new ArrayList<>();
    for (StoredEnvelope e : List.of(report, followUp, reply)) {
      objects.add(store.find(e.id()).orElseThrow());
    }
    EventId record = EventId.fromBytes(bytes(32));
    EventId other = EventId.fromBytes(bytes(32));
    db.jdbi().useHandle(h -> {
      CaseEventDao dao = h.attach(CaseEventDao.class);
      dao.insert(other.toBytes(), report.id().toBytes(), bytes(32), 1, 10, 50, bytes(10), bytes(50));
      dao.insert(record.toBytes(), report.id().toBytes(), bytes(32), 2, 10, 60, bytes(10), bytes(60));
    });
    return new Case(objects, record, other, mailbox);
  }

  private static ErasureDecision decision(Case c, List<byte[]> hashes) {
    return ErasureDecision.sign(new ErasureDecision.Body(CaseId.fromBytes(c.objects().get(0).id().toBytes()),
        ErasureDecision.Reason.OTHER, ErasureDecision.Basis.EARLY, CLOCK.instant(), null, c.recordEvent(), hashes),
        SigningPrivateKey.generate(new SecureRandom()));
  }

  private static Map<String, Long> counts(TestDatabase db) {
    Map<String, Long> m = new TreeMap<>();
    for (String t : List.of("envelopes", "envelope_chunks", "mailboxes", "mailbox_envelopes", "reviewer_feed",
        "case_events", "erasures", "log_pending", "log_leaves")) {
      m.put(t, db.count(t));
    }
    m.put("content", db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(LENGTH(content)), 0) FROM case_events")
        .mapTo(Long.class).one()));
    m.put("linked leaves", db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(envelope_id) FROM log_pending")
        .mapTo(Long.class).one()));
    return m;
  }

  /** A store on one transaction each, and one that streams whatever passes 1 KiB, on one log. */
  private record Stores(TransactionRunner transactions, TransparencyLog log, EnvelopeStore store,
      EnvelopeStore streaming) {}

  private Stores stores(TestDatabase db) {
    TransactionRunner transactions = TransactionRunner.singleAttempt(db.jdbi());
    TransparencyLog log = new TransparencyLog(db.jdbi());
    return new Stores(transactions, log, new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, log),
        new EnvelopeStore(transactions, 4096, 1024, CLOCK, random, log));
  }

  /** Waits, inside a store's writer, until the test lets it go on (the erasure has run meanwhile). */
  private static void waitFor(java.util.concurrent.CountDownLatch go) throws java.io.IOException {
    try {
      if (!go.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("the erasure did not finish");
      }
    } catch (InterruptedException e) {
      throw new java.io.InterruptedIOException();
    }
  }

  private static ErasureService.Applied erase(TestDatabase db, ErasureDecision d) {
    TransparencyLog log = new TransparencyLog(db.jdbi());
    return TransactionRunner.singleAttempt(db.jdbi()).inTransaction(TransactionRunner.Idempotence.IDEMPOTENT,
        TransactionIsolationLevel.READ_COMMITTED, h -> ErasureService.erase(h, d, CLOCK.instant(), log));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void erase_deletesTheCaseOnly_logsOnce_andIsIdempotent(TestDatabase db) throws Exception {
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, new TransparencyLog(db.jdbi()));
    Case erased = newCase(db, store);
    Case kept = newCase(db, store);
    Map<String, Long> before = counts(db);
    ErasureDecision d = decision(erased, erased.objects().stream().map(EnvelopeRecord::sha256).toList());

    ErasureService.Applied applied = erase(db, d);
    assertThat(applied.created()).isTrue();
    assertThat(applied.answer().erasedObjects()).isEqualTo(3);
    Map<String, Long> after = counts(db);
    assertThat(after.get("envelopes")).isEqualTo(before.get("envelopes") - 3);
    long chunks = erased.objects().stream().mapToLong(EnvelopeRecord::chunkCount).sum();
    assertThat(chunks).isGreaterThan(3); // the report has several
    assertThat(after.get("envelope_chunks")).isEqualTo(before.get("envelope_chunks") - chunks);
    assertThat(after.get("mailboxes")).isEqualTo(before.get("mailboxes") - 1);
    assertThat(after.get("mailbox_envelopes")).isEqualTo(before.get("mailbox_envelopes") - 3);
    assertThat(after.get("case_events")).isEqualTo(before.get("case_events"));
    assertThat(after.get("content")).isEqualTo(before.get("content") - 50); // the other event, emptied
    assertThat(after.get("erasures")).isEqualTo(1);
    assertThat(after.get("log_pending")).isEqualTo(before.get("log_pending") + 1);
    assertThat(after.get("linked leaves")).isEqualTo(before.get("linked leaves") - 3);
    for (EnvelopeRecord o : erased.objects()) {
      assertThat(store.find(o.id())).isEmpty();
    }
    for (EnvelopeRecord o : kept.objects()) {
      assertThat(store.find(o.id())).isPresent();
    }
    List<byte[]> leaves = db.jdbi().withHandle(h -> h.createQuery("SELECT leaf FROM log_pending WHERE entry_type = 7")
        .mapTo(byte[].class).list());
    assertThat(leaves).hasSize(1);
    assertThat(LogLeaf.parse(leaves.get(0)).objectHash()).isEqualTo(d.hash());

    ErasureService.Applied again = erase(db, d);
    assertThat(again.created()).isFalse();
    assertThat(again.answer()).isEqualTo(applied.answer());
    assertThat(counts(db)).isEqualTo(after);
    // the sequencer moves the erasure leaf like any other
    new TransparencyLog(db.jdbi()).sequence();
    assertThat(db.count("log_pending")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void erase_withTheWrongObjects_namesThemAndChangesNothing(TestDatabase db) throws Exception {
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, new TransparencyLog(db.jdbi()));
    Case c = newCase(db, store);
    Case other = newCase(db, store);
    Map<String, Long> before = counts(db);
    List<byte[]> withoutReply = List.of(c.objects().get(0).sha256(), c.objects().get(1).sha256());
    assertThatThrownBy(() -> erase(db, decision(c, withoutReply)))
        .isInstanceOfSatisfying(ErasureService.MismatchException.class, e -> {
          assertThat(e.missing()).containsExactly(java.util.HexFormat.of().formatHex(c.objects().get(2).sha256()));
          assertThat(e.unlisted()).isEmpty();
        });
    List<byte[]> plusOther = new ArrayList<>(c.objects().stream().map(EnvelopeRecord::sha256).toList());
    plusOther.add(other.objects().get(0).sha256());
    assertThatThrownBy(() -> erase(db, decision(c, plusOther)))
        .isInstanceOfSatisfying(ErasureService.MismatchException.class, e -> assertThat(e.unlisted()).hasSize(1));
    assertThat(counts(db)).isEqualTo(before);
  }

  /**
   * A reply that arrives while its case is erased (found by an outside attack: it was stored
   * after the erasure, under a case no erasure could name any more, and the source read it):
   * its link is written under the mailbox's lock after checking again that the report is
   * stored, so it is refused and nothing is stored. A follow-up with the same receipt then
   * joins the receipt's other report.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aReplyArrivingWhileItsCaseIsErased_isRefused_andTheReceiptsOtherCaseGoesOn(TestDatabase db) throws Exception {
    EnvelopeStore store = new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, new TransparencyLog(db.jdbi()));
    Case erased = newCase(db, store);
    StoredEnvelope second = store.store("report", Optional.of(EnvelopeStore.MailboxLink.existing(erased.mailbox(),
        MailboxStore.KIND_REPORT)), out -> out.write(bytes(500)));
    java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<StoredEnvelope> reply = pool.submit(() -> store.store("reply",
          Optional.of(EnvelopeStore.MailboxLink.reply(erased.mailbox(), erased.objects().get(0).id())), out -> {
            writing.countDown();
            waitFor(go);
            out.write(bytes(200));
          }));
      assertThat(writing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      erase(db, decision(erased, erased.objects().stream().map(EnvelopeRecord::sha256).toList()));
      Map<String, Long> afterErasure = counts(db);
      go.countDown();
      assertThatThrownBy(() -> reply.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(EnvelopeStore.CaseGoneException.class);
      assertThat(counts(db)).as("nothing of the reply stored").isEqualTo(afterErasure);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.find(second.id())).isPresent();
    StoredEnvelope followUp = store.store("follow-up", Optional.of(EnvelopeStore.MailboxLink.existing(
        erased.mailbox(), MailboxStore.KIND_FOLLOW_UP)), out -> out.write(bytes(300)));
    byte[] caseOfFollowUp = db.jdbi().withHandle(h -> h.createQuery("SELECT case_id FROM mailbox_envelopes"
        + " WHERE envelope_id = :id").bind("id", followUp.id().toBytes()).mapTo(byte[].class).one());
    assertThat(caseOfFollowUp).isEqualTo(second.id().toBytes());
    assertThatThrownBy(() -> store.store("reply", Optional.of(EnvelopeStore.MailboxLink.reply(erased.mailbox(),
        erased.objects().get(0).id())), out -> out.write(bytes(200))))
        .isInstanceOf(EnvelopeStore.CaseGoneException.class);
  }

  /**
   * An erased case's id stays taken (found by an outside attack: a report sent under an erased
   * case's id, which its sender chose, was stored and served, and its case answered 410 to every
   * event and erasure). It is refused on every write path: one transaction, streamed beyond the
   * replay buffer, and a group commit, whose other envelopes of the batch are still stored.
   * Nothing is stored for it. (Follow-ups and replies get fresh random ids: no client names them.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aReportUnderAnErasedCasesId_isRefusedOnEveryWritePath(TestDatabase db) throws Exception {
    Stores stores = stores(db);
    TransactionRunner transactions = stores.transactions();
    TransparencyLog log = stores.log();
    EnvelopeStore store = stores.store();
    EnvelopeStore streaming = stores.streaming();
    org.testigo.server.storage.GroupCommit group = new org.testigo.server.storage.GroupCommit(transactions, log,
        4096, new org.testigo.server.storage.GroupCommit.Settings(1, 64, 8 << 20, 1 << 20, 64), 7,
        new org.testigo.server.storage.TransactionWriter(transactions, log, 4096));
    group.start();
    try {
      EnvelopeStore grouped = new EnvelopeStore(transactions, 4096, 4 << 20, CLOCK, random, log, group);
      Case erased = newCase(db, store);
      erase(db, decision(erased, erased.objects().stream().map(EnvelopeRecord::sha256).toList()));
      org.testigo.api.EnvelopeId caseId = erased.objects().get(0).id();
      for (EnvelopeStore s : List.of(store, streaming, grouped)) {
        Map<String, Long> before = counts(db);
        MailboxId mailbox = MailboxId.fromBytes(bytes(32));
        assertThatThrownBy(() -> s.store(caseId, "report", Optional.of(new EnvelopeStore.MailboxLink(mailbox,
            MailboxStore.KIND_REPORT, RecipientPrivateKey.generate(random).publicKey())),
            out -> out.write(bytes(3000))))
            .isInstanceOf(org.testigo.server.domain.SubmissionIdConflictException.class);
        assertThat(counts(db)).as("nothing stored under an erased case's id").isEqualTo(before);
        assertThat(store.find(caseId)).isEmpty();
      }
      // a batch with the erased id and fresh ones: the fresh ones are stored, the erased one refused
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        java.util.concurrent.Future<?> hostile = pool.submit(() -> grouped.store(caseId, "report",
            Optional.empty(), out -> out.write(bytes(100))));
        List<java.util.concurrent.Future<StoredEnvelope>> fresh = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          fresh.add(pool.submit(() -> grouped.store("report", Optional.empty(), out -> out.write(bytes(100)))));
        }
        assertThatThrownBy(() -> hostile.get(30, java.util.concurrent.TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.testigo.server.domain.SubmissionIdConflictException.class);
        for (java.util.concurrent.Future<StoredEnvelope> f : fresh) {
          assertThat(store.find(f.get(30, java.util.concurrent.TimeUnit.SECONDS).id())).isPresent();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.find(caseId)).isEmpty();
      // the other ids of the erased case were the server's own random ids; they are not refused
      EnvelopeStore.Stored again = store.store(erased.objects().get(1).id(), "report", Optional.empty(),
          out -> out.write(bytes(100)));
      assertThat(again.alreadyStored()).isFalse();
    } finally {
      group.stop();
    }
  }

  /**
   * A slow upload under a stored report's id (a source knows their case's id) holds no lock on
   * that report while it trickles in (an outside attack found its INSERT IGNORE kept the row
   * locked for the whole upload, so the case's erasure waited on it): the erasure goes through
   * meanwhile, and the upload ends refused, nothing stored.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aSlowUploadUnderAStoredReportsId_doesNotHoldUpItsErasure(TestDatabase db) throws Exception {
    Stores stores = stores(db);
    TransactionRunner transactions = stores.transactions();
    TransparencyLog log = stores.log();
    EnvelopeStore store = stores.store();
    EnvelopeStore streaming = stores.streaming();
    Case c = newCase(db, store);
    org.testigo.api.EnvelopeId caseId = c.objects().get(0).id();
    java.util.concurrent.CountDownLatch past = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<EnvelopeStore.Stored> upload = pool.submit(() -> streaming.store(caseId, "report",
          Optional.empty(), out -> {
            out.write(bytes(3000)); // past the replay buffer: the store has met the stored row
            past.countDown();
            waitFor(go);
            out.write(bytes(100));
          }));
      assertThat(past.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      long started = System.nanoTime();
      erase(db, decision(c, c.objects().stream().map(EnvelopeRecord::sha256).toList()));
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("the erasure waited on the upload")
          .isLessThan(java.time.Duration.ofSeconds(20));
      Map<String, Long> afterErasure = counts(db);
      go.countDown();
      assertThatThrownBy(() -> upload.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(org.testigo.server.domain.SubmissionIdConflictException.class);
      assertThat(counts(db)).isEqualTo(afterErasure);
      assertThat(store.find(caseId)).isEmpty();
    } finally {
      go.countDown();
      pool.shutdownNow();
    }
  }
}

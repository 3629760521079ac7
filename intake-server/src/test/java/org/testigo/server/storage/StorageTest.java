package org.testigo.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.SizeBuckets;
import org.testigo.server.domain.StoredEnvelope;

/** Envelope and mailbox storage against the real MariaDB and against H2, same tests. */
class StorageTest extends BothDatabases {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T23:59:58Z"), ZoneOffset.UTC);
  private final SecureRandom random = new SecureRandom();

  private EnvelopeStore envelopes(TestDatabase db) {
    return new EnvelopeStore(db.jdbi(), 4096, CLOCK, random, new TransparencyLog(db.jdbi()));
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void store_splitsIntoChunksAndReadsBackIdenticalBytes(TestDatabase db) throws Exception {
    EnvelopeStore store = envelopes(db);
    byte[] data = randomBytes(4096 * 3 + 17);
    StoredEnvelope stored = store.store("report", Optional.empty(), out -> {
      for (int off = 0; off < data.length; off += 1000) {
        out.write(data, off, Math.min(1000, data.length - off));
      }
    });
    assertThat(stored.chunkCount()).isEqualTo(4);
    EnvelopeRecord record = store.find(stored.id()).orElseThrow();
    assertThat(record.context()).isEqualTo("report");
    assertThat(record.receivedDay()).isEqualTo(LocalDate.of(2025, 3, 4));
    assertThat(record.sizeBucket()).isEqualTo(SizeBuckets.padme(data.length)).isGreaterThanOrEqualTo(data.length);
    assertThat(record.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    store.copyTo(record, back);
    assertThat(back.toByteArray()).isEqualTo(data);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void store_rollsBackEverythingWhenTheWriterFails(TestDatabase db) {
    EnvelopeStore store = envelopes(db);
    long envelopesBefore = db.count("envelopes");
    long chunksBefore = db.count("envelope_chunks");
    long mailboxesBefore = db.count("mailboxes");
    assertThatThrownBy(() -> store.store("report", Optional.of(new EnvelopeStore.MailboxLink(
        MailboxId.fromBytes(randomBytes(32)), MailboxStore.KIND_REPORT,
        RecipientPrivateKey.generate(random).publicKey())), out -> {
      out.write(randomBytes(9000));
      throw new IOException("truncated upload");
    })).isInstanceOf(IOException.class);
    assertThat(db.count("mailboxes")).isEqualTo(mailboxesBefore);
    assertThatThrownBy(() -> store.store("report", Optional.empty(), out -> {
      out.write(randomBytes(4096 * 2 + 5));
      throw new IOException("sender went away");
    })).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.store("report", Optional.empty(), out -> {
      out.write(randomBytes(5000));
      throw new InvalidInputException("error.envelope");
    })).isInstanceOf(InvalidInputException.class);
    assertThat(db.count("envelopes")).isEqualTo(envelopesBefore);
    assertThat(db.count("envelope_chunks")).isEqualTo(chunksBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void store_keepsEmptyEnvelopeAsOneEmptyChunk(TestDatabase db) throws Exception {
    EnvelopeStore store = envelopes(db);
    StoredEnvelope stored = store.store("report", Optional.empty(), out -> { });
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    store.copyTo(store.find(stored.id()).orElseThrow(), back);
    assertThat(back.size()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void find_returnsEmptyForUnknownId(TestDatabase db) {
    assertThat(envelopes(db).find(EnvelopeId.random(random))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void mailbox_registerIsIdempotentAndRefusesADifferentKey(TestDatabase db) {
    MailboxStore mailboxes = new MailboxStore(db.jdbi(), CLOCK);
    MailboxId id = MailboxId.fromBytes(randomBytes(32));
    RecipientPublicKey key = RecipientPrivateKey.generate(random).publicKey();
    RecipientPublicKey other = RecipientPrivateKey.generate(random).publicKey();
    assertThat(mailboxes.register(id, key)).isEqualTo(MailboxStore.Registration.CREATED);
    assertThat(mailboxes.register(id, key)).isEqualTo(MailboxStore.Registration.ALREADY_PRESENT);
    assertThat(mailboxes.register(id, other)).isEqualTo(MailboxStore.Registration.CONFLICT);
    assertThat(mailboxes.replyKey(id)).contains(key);
    assertThat(mailboxes.replyKey(MailboxId.fromBytes(randomBytes(32)))).isEmpty();
  }

  /**
   * The same receipt registered by several requests at once (a double tap, a retry while the
   * first is in flight): exactly one is CREATED, the others ALREADY_PRESENT or, for another
   * key, CONFLICT; none fails on the unique key.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void mailbox_concurrentRegistrationsOfOneIdNeverFail(TestDatabase db) throws Exception {
    MailboxStore mailboxes = new MailboxStore(db.jdbi(), CLOCK);
    RecipientPublicKey key = RecipientPrivateKey.generate(random).publicKey();
    RecipientPublicKey other = RecipientPrivateKey.generate(random).publicKey();
    int threads = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 60; round++) {
        MailboxId id = MailboxId.fromBytes(randomBytes(32));
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<MailboxStore.Registration>> answers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          RecipientPublicKey mine = t == threads - 1 ? other : key;
          answers.add(pool.submit(() -> {
            start.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return mailboxes.register(id, mine);
          }));
        }
        List<MailboxStore.Registration> got = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<MailboxStore.Registration> f : answers) {
          got.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertThat(got).as("round " + round).filteredOn(r -> r == MailboxStore.Registration.CREATED).hasSize(1);
        RecipientPublicKey winner = mailboxes.replyKey(id).orElseThrow();
        for (int t = 0; t < threads; t++) {
          RecipientPublicKey mine = t == threads - 1 ? other : key;
          if (got.get(t) != MailboxStore.Registration.CREATED) {
            assertThat(got.get(t)).isEqualTo(mine.equals(winner) ? MailboxStore.Registration.ALREADY_PRESENT
                : MailboxStore.Registration.CONFLICT);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void mailbox_listsLinkedEnvelopesByKind(TestDatabase db) throws Exception {
    MailboxStore mailboxes = new MailboxStore(db.jdbi(), CLOCK);
    EnvelopeStore store = envelopes(db);
    MailboxId id = MailboxId.fromBytes(randomBytes(32));
    RecipientPublicKey replyKey = RecipientPrivateKey.generate(random).publicKey();
    long mailboxesBefore = db.count("mailboxes");
    StoredEnvelope report = store.store("report",
        Optional.of(new EnvelopeStore.MailboxLink(id, MailboxStore.KIND_REPORT, replyKey)), out -> out.write(1));
    assertThat(db.count("mailboxes")).isEqualTo(mailboxesBefore + 1);
    assertThat(mailboxes.replyKey(id)).contains(replyKey);
    StoredEnvelope reply = store.store("reply",
        Optional.of(EnvelopeStore.MailboxLink.reply(id, report.id())), out -> out.write(2));
    assertThat(mailboxes.envelopes(id, MailboxStore.KIND_REPLY)).containsExactly(reply.id());
    assertThat(mailboxes.envelopes(id, MailboxStore.KIND_REPORT)).containsExactly(report.id());
    assertThat(mailboxes.envelopes(MailboxId.fromBytes(randomBytes(32)), MailboxStore.KIND_REPLY)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void schema_hasNoColumnForAddressesAgentsOrTimestamps(TestDatabase db) {
    var columns = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT LOWER(column_name) FROM information_schema.columns WHERE LOWER(table_name) IN"
            + " ('envelopes','envelope_chunks','mailboxes','mailbox_envelopes')"
            + (db.isMariadb() ? " AND table_schema = DATABASE()" : ""))
        .mapTo(String.class).list());
    assertThat(columns).isNotEmpty()
        .noneMatch(c -> c.contains("ip") && !c.contains("ipt") || c.contains("agent")
            || c.contains("time") || c.contains("addr"));
    var types = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT LOWER(data_type) FROM information_schema.columns WHERE LOWER(table_name) IN"
            + " ('envelopes','envelope_chunks','mailboxes','mailbox_envelopes')"
            + (db.isMariadb() ? " AND table_schema = DATABASE()" : ""))
        .mapTo(String.class).list());
    assertThat(types).noneMatch(t -> t.contains("time"));
  }
}

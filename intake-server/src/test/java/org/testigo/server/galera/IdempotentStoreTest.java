package org.testigo.server.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.domain.SubmissionIdConflictException;
import org.testigo.server.storage.BothDatabases;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.TestDatabase;
import org.testigo.server.storage.TransactionRunner.Idempotence;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransparencyLog;

/**
 * The Galera retry rules (docs/decisions/0007-galera-multi-master.md) on H2 and the real MariaDB: which failures
 * run a transaction again, and a store by id that a retry or a re-sending client can repeat
 * without a duplicate.
 */
class IdempotentStoreTest extends BothDatabases {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T10:00:00Z"), ZoneOffset.UTC);
  private final SecureRandom random = new SecureRandom();

  private static JdbiException failure(String state, int code) {
    return new JdbiException("simulated", new SQLException("simulated", state, code)) {};
  }

  private TransactionRunner runner(TestDatabase db, int attempts) {
    return new TransactionRunner(db.jdbi(), attempts, Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void certificationConflict_isRetriedEvenForWorkThatIsNotIdempotent() {
    AtomicInteger runs = new AtomicInteger();
    int result = runner(h2, 5).inTransaction(Idempotence.NOT_IDEMPOTENT, h -> {
      if (runs.incrementAndGet() < 3) {
        throw failure("40001", 1213);
      }
      return 7;
    });
    assertThat(result).isEqualTo(7);
    assertThat(runs).hasValue(3);
  }

  @Test
  void connectionLoss_isRetriedOnlyForIdempotentWork() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> runner(h2, 5).inTransaction(Idempotence.NOT_IDEMPOTENT, h -> {
      runs.incrementAndGet();
      throw failure("08000", 0);
    })).isInstanceOf(StorageUnavailableException.class);
    assertThat(runs).as("unknown outcome, not idempotent: one run").hasValue(1);

    runs.set(0);
    int result = runner(h2, 5).inTransaction(Idempotence.IDEMPOTENT, h -> {
      if (runs.incrementAndGet() == 1) {
        throw failure("08S01", 1047); // WSREP has not yet prepared node for application use
      }
      return 1;
    });
    assertThat(result).isEqualTo(1);
    assertThat(runs).hasValue(2);
  }

  @Test
  void exhaustedAttempts_becomeStorageUnavailable() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> runner(h2, 4).inTransaction(Idempotence.IDEMPOTENT, h -> {
      runs.incrementAndGet();
      throw failure("40001", 1213);
    })).isInstanceOf(StorageUnavailableException.class);
    assertThat(runs).hasValue(4);
  }

  @Test
  void permanentFailure_isNotRetried() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> runner(h2, 4).inTransaction(Idempotence.IDEMPOTENT, h -> {
      runs.incrementAndGet();
      throw failure("23000", 1062);
    })).isInstanceOf(JdbiException.class).isNotInstanceOf(StorageUnavailableException.class);
    assertThat(runs).hasValue(1);
  }

  private EnvelopeStore store(TestDatabase db, int replayBuffer) {
    TransactionRunner r = runner(db, 3);
    return new EnvelopeStore(r, 4096, replayBuffer, CLOCK, random, new TransparencyLog(r));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0}, replay buffer {1}")
  @MethodSource("storesAndBuffers")
  void storeById_twiceWithTheSameBytes_storesOnceAndSaysAlreadyStored(TestDatabase db, int replayBuffer)
      throws Exception {
    EnvelopeStore s = store(db, replayBuffer);
    EnvelopeId id = s.randomId();
    byte[] envelope = bytes(10_000);
    long envelopesBefore = db.count("envelopes");
    long leavesBefore = db.count("log_leaves") + db.count("log_pending");

    EnvelopeStore.Stored first = s.store(id, "report", Optional.empty(), out -> out.write(envelope));
    EnvelopeStore.Stored pendingAgain = s.store(id, "report", Optional.empty(), out -> out.write(envelope));
    new TransparencyLog(runner(db, 3)).sequence();
    EnvelopeStore.Stored again = s.store(id, "report", Optional.empty(), out -> out.write(envelope));

    assertThat(first.alreadyStored()).isFalse();
    assertThat(again.alreadyStored()).isTrue();
    assertThat(again.envelope().id()).isEqualTo(id);
    assertThat(again.envelope().chunkCount()).isEqualTo(first.envelope().chunkCount());
    assertThat(first.envelope().sequenced()).as("a fresh store's leaf is pending").isFalse();
    assertThat(pendingAgain.alreadyStored()).isTrue();
    assertThat(pendingAgain.envelope().sequenced()).isFalse();
    assertThat(again.envelope().logIndex()).isEqualTo(new TransparencyLog(runner(db, 3)).indexOfEnvelope(id).orElseThrow());
    assertThat(db.count("envelopes")).isEqualTo(envelopesBefore + 1);
    assertThat(db.count("log_leaves") + db.count("log_pending")).isEqualTo(leavesBefore + 1);
  }

  @ParameterizedTest(name = "{0}, replay buffer {1}")
  @MethodSource("storesAndBuffers")
  void storeById_withOtherBytes_isRefusedAndChangesNothing(TestDatabase db, int replayBuffer) throws Exception {
    EnvelopeStore s = store(db, replayBuffer);
    EnvelopeId id = s.randomId();
    byte[] envelope = bytes(10_000);
    s.store(id, "report", Optional.empty(), out -> out.write(envelope));
    long chunks = db.count("envelope_chunks");
    byte[] other = envelope.clone();
    other[5000] ^= 1;

    assertThatThrownBy(() -> s.store(id, "report", Optional.empty(), out -> out.write(other)))
        .isInstanceOf(SubmissionIdConflictException.class);
    assertThat(db.count("envelope_chunks")).isEqualTo(chunks);
    assertThat(s.find(id).orElseThrow().sha256()).isEqualTo(TestHashes.sha256(envelope));
  }

  Stream<org.junit.jupiter.params.provider.Arguments> storesAndBuffers() {
    // 0: every envelope streams in one attempt; 1 MiB: spooled and retried.
    return databases().flatMap(db -> Stream.of(org.junit.jupiter.params.provider.Arguments.of(db, 0),
        org.junit.jupiter.params.provider.Arguments.of(db, 1 << 20)));
  }

  /** SHA-256 for comparisons. */
  static final class TestHashes {
    static byte[] sha256(byte[] b) throws Exception {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    }
  }
}

package org.testigo.server.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.Submission;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.storage.BothDatabases;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.GroupCommit;
import org.testigo.server.storage.MailboxStore;
import org.testigo.server.storage.RewrapDao;
import org.testigo.server.storage.TestDatabase;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransactionWriter;
import org.testigo.server.storage.TransparencyLog;

/**
 * {@link ReviewerService#batch} on H2 and on the real MariaDB, which reads a page's envelopes
 * a group at a time: a page that mixes every way an envelope is stored (inline in its row by
 * the group commit, one chunk row, many chunks, more than one frame, larger than a whole query
 * group) and served (rewrapped once, twice) is byte for byte the batch that the feed page and
 * a per-envelope {@link ReviewerService#copyTo} make, written here by an encoder of the test's
 * own (docs/spec/reviewer-api-and-batches.md §4); so is every smaller page, with its
 * {@code more}. A listed envelope that is not stored, or lacks a chunk, fails the batch.
 */
class EnvelopeBatchPageTest extends BothDatabases {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  private static final int CHUNK = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final List<RecipientPublicKey> recipients = List.of(RecipientPrivateKey.generate(random).publicKey());

  /** The database's two write paths and the service that serves what they stored. */
  private final class Fixture implements AutoCloseable {
    final TestDatabase db;
    final GroupCommit group;
    final EnvelopeStore grouped;
    final EnvelopeStore alone;
    final ReviewerService service;

    Fixture(TestDatabase db) {
      this.db = db;
      TransactionRunner transactions = TransactionRunner.singleAttempt(db.jdbi());
      TransparencyLog log = new TransparencyLog(db.jdbi());
      group = new GroupCommit(transactions, log, CHUNK, new GroupCommit.Settings(1, 64, 8 << 20, 1 << 20, 16), 7,
          new TransactionWriter(transactions, log, CHUNK));
      group.start();
      grouped = new EnvelopeStore(transactions, CHUNK, 4 << 20, CLOCK, random, log, group);
      alone = new EnvelopeStore(transactions, CHUNK, 4 << 20, CLOCK, random, log,
          new TransactionWriter(transactions, log, CHUNK));
      service = new ReviewerService(transactions, alone, new MailboxStore(db.jdbi(), CLOCK), 64 << 20);
    }

    /** The cursor after every submission listed now. */
    long end() {
      long after = 0;
      for (Page<Submission> p = service.submissions(after, 500); ; p = service.submissions(after, 500)) {
        after = p.next();
        if (!p.more()) {
          return after;
        }
      }
    }

    byte[] sealed(int plainBytes, String context) throws IOException {
      byte[] plain = new byte[plainBytes];
      random.nextBytes(plain);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Envelope.seal(new ByteArrayInputStream(plain), out, recipients, context, random);
      return out.toByteArray();
    }

    /**
     * Stores an envelope and has the feed list it: one at a time, so the feed's order is the
     * order of storing (the sequencer orders what it finds together by day and random id).
     */
    StoredEnvelope store(EnvelopeStore store, byte[] envelope, String context,
        Optional<EnvelopeStore.MailboxLink> link) throws IOException {
      StoredEnvelope stored = store.store(context, link, out -> out.write(envelope));
      end();
      return stored;
    }

    /** Stores a rewrap of {@code id} to {@code header} (any bytes: serving never parses it). */
    byte[] rewrap(EnvelopeId id, byte[] payload, int generation, byte[] header) throws Exception {
      MessageDigest served = MessageDigest.getInstance("SHA-256");
      served.update(header);
      served.update(payload);
      byte[] servedSha = served.digest();
      db.jdbi().useHandle(h -> {
        long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM envelope_rewraps").mapTo(Long.class).one();
        h.attach(RewrapDao.class).insert(seq, id.toBytes(), generation, header, sha256(header), new byte[32],
            servedSha, randomBytes(32), randomBytes(32), LocalDate.now(CLOCK));
      });
      return concat(header, payload);
    }

    long count(String sql, EnvelopeId id) {
      return db.jdbi().withHandle(h -> h.createQuery(sql).bind(0, id.toBytes()).mapTo(Long.class).one());
    }

    @Override
    public void close() throws InterruptedException {
      group.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void batch_ofAPageMixingInlineChunkedAndRewrappedEnvelopes_isThePageWithEachEnvelopeAsCopyToServesIt(
      TestDatabase db) throws Exception {
    try (Fixture f = new Fixture(db)) {
      long start = f.end();
      List<byte[]> served = new ArrayList<>();

      byte[] inline = f.sealed(1000, Envelope.CONTEXT_REPORT);
      EnvelopeId inlineId = f.store(f.grouped, inline, Envelope.CONTEXT_REPORT, Optional.empty()).id();
      served.add(inline);
      byte[] chunked = f.sealed(3 * CHUNK + 17, Envelope.CONTEXT_REPORT);
      EnvelopeId chunkedId = f.store(f.grouped, chunked, Envelope.CONTEXT_REPORT, Optional.empty()).id();
      served.add(chunked);
      byte[] oneChunkRow = f.sealed(500, Envelope.CONTEXT_REPORT);
      EnvelopeId oneChunkRowId = f.store(f.alone, oneChunkRow, Envelope.CONTEXT_REPORT, Optional.empty()).id();
      served.add(oneChunkRow);
      byte[] frames = f.sealed(150_000, Envelope.CONTEXT_REPORT); // three frames of a batch
      f.store(f.grouped, frames, Envelope.CONTEXT_REPORT, Optional.empty());
      served.add(frames);

      MailboxId mailbox = MailboxId.fromBytes(randomBytes(32));
      byte[] report = f.sealed(700, Envelope.CONTEXT_REPORT);
      EnvelopeId reportId = f.store(f.grouped, report, Envelope.CONTEXT_REPORT, Optional.of(new EnvelopeStore.MailboxLink(
          mailbox, MailboxStore.KIND_REPORT, RecipientPrivateKey.generate(random).publicKey()))).id();
      f.store(f.grouped, f.sealed(300, Envelope.CONTEXT_REPLY), Envelope.CONTEXT_REPLY, Optional.of(
          EnvelopeStore.MailboxLink.reply(mailbox, reportId))); // not in the feed
      byte[] followUp = f.sealed(600, Envelope.CONTEXT_FOLLOW_UP);
      f.store(f.grouped, followUp, Envelope.CONTEXT_FOLLOW_UP, Optional.of(
          EnvelopeStore.MailboxLink.existing(mailbox, MailboxStore.KIND_FOLLOW_UP)));

      byte[] larger = f.sealed((int) ReviewerService.GROUP_BYTES + 50_000, Envelope.CONTEXT_REPORT);
      f.store(f.alone, larger, Envelope.CONTEXT_REPORT, Optional.empty()); // a query group of its own
      byte[] rewrappedChunked = f.sealed(9000, Envelope.CONTEXT_REPORT);
      EnvelopeId rewrappedChunkedId = f.store(f.alone, rewrappedChunked, Envelope.CONTEXT_REPORT,
          Optional.empty()).id();
      byte[] after = f.sealed(2000, Envelope.CONTEXT_REPORT);
      f.store(f.grouped, after, Envelope.CONTEXT_REPORT, Optional.empty());

      // The layouts this test is about are the ones stored.
      assertThat(f.count("SELECT COUNT(*) FROM envelopes WHERE id = ? AND inline_data IS NOT NULL", inlineId)).isOne();
      assertThat(f.count("SELECT COUNT(*) FROM envelope_chunks WHERE envelope_id = ?", chunkedId)).isGreaterThan(1);
      assertThat(f.count("SELECT COUNT(*) FROM envelope_chunks WHERE envelope_id = ?", oneChunkRowId)).isOne();
      assertThat(f.count("SELECT COUNT(*) FROM envelopes WHERE id = ? AND inline_data IS NULL", oneChunkRowId)).isOne();

      // Rewraps: the inline report once, the chunked one twice (the newest is served).
      int reportHeader = headerLength(report);
      byte[] reportServed = f.rewrap(reportId, Arrays.copyOfRange(report, reportHeader, report.length), 1,
          randomBytes(reportHeader + 64));
      int chunkedHeader = headerLength(rewrappedChunked);
      byte[] payload = Arrays.copyOfRange(rewrappedChunked, chunkedHeader, rewrappedChunked.length);
      f.rewrap(rewrappedChunkedId, payload, 1, randomBytes(chunkedHeader));
      byte[] rewrappedServed = f.rewrap(rewrappedChunkedId, payload, 2, randomBytes(chunkedHeader + 128));
      served.addAll(List.of(reportServed, followUp, larger, rewrappedServed, after));

      Page<Submission> all = f.service.submissions(start, 500);
      assertThat(all.items()).hasSize(served.size());
      assertThat(all.items().get(4).rewraps()).isEqualTo(1);
      assertThat(all.items().get(7).rewraps()).isEqualTo(2);
      byte[] whole = batch(f.service, start, 500);
      assertThat(whole).isEqualTo(expected(f.service, start, 500));
      assertThat(envelopes(whole)).containsExactlyElementsOf(served);

      for (int limit : List.of(1, 3, 7)) {
        long cursor = start;
        boolean more = true;
        while (more) {
          Page<Submission> page = f.service.submissions(cursor, limit);
          byte[] b = batch(f.service, cursor, limit);
          assertThat(b).as("limit %d after %d", limit, cursor).isEqualTo(expected(f.service, cursor, limit));
          assertThat(b[b.length - 1]).as("more").isEqualTo((byte) (page.more() ? 1 : 0));
          more = page.more();
          cursor = page.next();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void batch_failsWhenAListedEnvelopeIsNotStored(TestDatabase db) throws Exception {
    try (Fixture f = new Fixture(db)) {
      long start = f.end();
      f.store(f.grouped, f.sealed(100, Envelope.CONTEXT_REPORT), Envelope.CONTEXT_REPORT, Optional.empty());
      EnvelopeId gone = f.store(f.grouped, f.sealed(100, Envelope.CONTEXT_REPORT), Envelope.CONTEXT_REPORT,
          Optional.empty()).id();
      assertThat(f.service.submissions(start, 500).items()).hasSize(2);
      db.jdbi().useHandle(h -> h.createUpdate("UPDATE envelopes SET state = 'receiving' WHERE id = ?")
          .bind(0, gone.toBytes()).execute());

      assertThatThrownBy(() -> batch(f.service, start, 500)).isInstanceOf(IOException.class)
          .hasMessage("a listed envelope is missing");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void batch_failsWhenAListedEnvelopeLacksAChunk(TestDatabase db) throws Exception {
    try (Fixture f = new Fixture(db)) {
      long start = f.end();
      EnvelopeId cut = f.store(f.grouped, f.sealed(2 * CHUNK, Envelope.CONTEXT_REPORT), Envelope.CONTEXT_REPORT,
          Optional.empty()).id();
      f.service.submissions(start, 500);
      db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM envelope_chunks WHERE envelope_id = ? AND idx = 1")
          .bind(0, cut.toBytes()).execute());

      assertThatThrownBy(() -> batch(f.service, start, 500)).isInstanceOf(IOException.class)
          .hasMessage("a stored envelope is missing a chunk");
    }
  }

  private static byte[] batch(ReviewerService service, long after, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service.batch(after, limit, out);
    return out.toByteArray();
  }

  /**
   * The batch of the page as the spec writes it, each envelope as {@link ReviewerService#copyTo}
   * serves it alone: "TGBATCH1"; per item 0x01, u16 n, the item's JSON, frames of at most 64 KiB
   * each after its u32 length, u32 0; then 0x00 and the {@code more} byte.
   */
  private static byte[] expected(ReviewerService service, long after, int limit) throws IOException {
    Page<Submission> page = service.submissions(after, limit);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write("TGBATCH1".getBytes(StandardCharsets.US_ASCII));
    for (Submission s : page.items()) {
      byte[] json = JSON.writeValueAsBytes(s);
      out.writeByte(1);
      out.writeShort(json.length);
      out.write(json);
      EnvelopeRecord record = service.envelope(EnvelopeId.parse(s.id())).orElseThrow();
      ByteArrayOutputStream envelope = new ByteArrayOutputStream();
      service.copyTo(record, envelope);
      byte[] e = envelope.toByteArray();
      for (int off = 0; off < e.length; off += 64 * 1024) {
        int n = Math.min(64 * 1024, e.length - off);
        out.writeInt(n);
        out.write(e, off, n);
      }
      out.writeInt(0);
    }
    out.writeByte(0);
    out.writeByte(page.more() ? 1 : 0);
    return bytes.toByteArray();
  }

  /** The envelopes of a batch, its frames joined. */
  private static List<byte[]> envelopes(byte[] batch) throws IOException {
    java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(batch));
    in.readNBytes(8);
    List<byte[]> envelopes = new ArrayList<>();
    while (in.read() == 1) {
      in.readNBytes(in.readUnsignedShort());
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      for (int n = in.readInt(); n != 0; n = in.readInt()) {
        e.write(in.readNBytes(n));
      }
      envelopes.add(e.toByteArray());
    }
    return envelopes;
  }

  private static int headerLength(byte[] envelope) throws Exception {
    return Math.toIntExact(Envelope.inspectHeader(new ByteArrayInputStream(envelope)).headerLength());
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}

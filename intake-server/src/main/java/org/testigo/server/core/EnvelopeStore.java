package org.testigo.server.core;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.db.EnvelopeDao;
import org.testigo.server.db.EnvelopeRecord;
import org.testigo.server.db.MailboxDao;
import org.testigo.server.log.TransparencyLog;

/**
 * Stores envelopes as a row plus chunks of at most {@code chunkBytes}, streamed: only one
 * chunk is ever held in memory. Storing runs in one transaction, so an envelope is visible
 * (and may be acknowledged) only once it is complete and committed; any exception while
 * writing rolls everything back.
 *
 * <p>Every stored envelope is a leaf of the transparency log, appended in the storing
 * transaction: an acknowledged envelope is always in the log.
 *
 * <p>What it records: a random id, the context, the day of arrival (UTC), the Padmé-rounded
 * size, the chunk count and a SHA-256 of the bytes. Nothing about the sender.
 */
public final class EnvelopeStore {
  /** Writes the envelope's bytes into the given stream; must not close it. */
  @FunctionalInterface
  public interface EnvelopeWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * An optional link of the new envelope to a mailbox (report, follow-up or reply). With a
   * non-null {@code createWithReplyKey} the mailbox is created in the same transaction.
   */
  public record MailboxLink(MailboxId mailbox, String kind, RecipientPublicKey createWithReplyKey) {
    public static MailboxLink existing(MailboxId mailbox, String kind) {
      return new MailboxLink(mailbox, kind, null);
    }
  }

  private static final byte[] NO_HASH = new byte[32];
  private final Jdbi jdbi;
  private final int chunkBytes;
  private final Clock clock;
  private final SecureRandom random;
  private final TransparencyLog log;

  public EnvelopeStore(Jdbi jdbi, int chunkBytes, Clock clock, SecureRandom random, TransparencyLog log) {
    this.jdbi = jdbi;
    this.chunkBytes = chunkBytes;
    this.clock = clock;
    this.random = random;
    this.log = log;
  }

  /**
   * Streams an envelope into the database, appends its transparency-log leaf (SHA-256 of the
   * envelope; a submission for reports and follow-ups, a reply for replies) in the same
   * transaction, and commits; returns only after the commit.
   *
   * @throws IllegalArgumentException for a context the log has no entry type for
   */
  public StoredEnvelope store(String context, Optional<MailboxLink> link, EnvelopeWriter writer)
      throws IOException {
    LogLeaf.EntryType entryType = TransparencyLog.entryTypeOf(context);
    EnvelopeId id = EnvelopeId.random(random);
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    try {
      return jdbi.inTransaction(handle -> {
        EnvelopeDao dao = handle.attach(EnvelopeDao.class);
        dao.begin(id.toBytes(), context, day, NO_HASH);
        ChunkOutputStream out = new ChunkOutputStream(dao, id.toBytes(), chunkBytes);
        writer.writeTo(out);
        out.finishChunks();
        long bucket = SizeBuckets.padme(out.total());
        byte[] sha256 = out.sha256();
        if (dao.finish(id.toBytes(), bucket, out.chunks(), sha256) != 1) {
          throw new IllegalStateException("envelope row vanished during store");
        }
        if (link.isPresent()) {
          MailboxLink l = link.get();
          MailboxDao mailboxes = handle.attach(MailboxDao.class);
          if (l.createWithReplyKey() != null) {
            mailboxes.insert(l.mailbox().toBytes(), l.createWithReplyKey().toBytes(), day);
          }
          mailboxes.link(id.toBytes(), l.mailbox().toBytes(), l.kind());
        }
        long logIndex = log.appendEnvelope(LogLeaf.of(entryType, now, sha256), id, handle);
        return new StoredEnvelope(id, day, bucket, out.chunks(), logIndex);
      });
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  public Optional<EnvelopeRecord> find(EnvelopeId id) {
    try {
      return jdbi.withExtension(EnvelopeDao.class, dao -> dao.find(id.toBytes()))
          .filter(r -> EnvelopeDao.STATE_STORED.equals(r.state()));
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** Stored envelopes received on or after {@code from}, by day. */
  public java.util.List<EnvelopeRecord> storedSince(LocalDate from) {
    try {
      return jdbi.withExtension(EnvelopeDao.class, dao -> dao.storedSince(from));
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /** Streams a stored envelope's bytes to {@code out}, one chunk at a time. */
  public void copyTo(EnvelopeRecord record, OutputStream out) throws IOException {
    byte[] id = record.id().toBytes();
    try (Handle handle = jdbi.open()) {
      EnvelopeDao dao = handle.attach(EnvelopeDao.class);
      for (int i = 0; i < record.chunkCount(); i++) {
        byte[] chunk = dao.chunk(id, i)
            .orElseThrow(() -> new IllegalStateException("stored envelope is missing a chunk"));
        out.write(chunk);
      }
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
  }

  /**
   * The first bytes of a stored envelope, at most {@code maxBytes} (enough for its header),
   * read chunk by chunk.
   */
  public byte[] readHead(EnvelopeRecord record, int maxBytes) {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    byte[] id = record.id().toBytes();
    try (Handle handle = jdbi.open()) {
      EnvelopeDao dao = handle.attach(EnvelopeDao.class);
      for (int i = 0; i < record.chunkCount() && head.size() < maxBytes; i++) {
        byte[] chunk = dao.chunk(id, i)
            .orElseThrow(() -> new IllegalStateException("stored envelope is missing a chunk"));
        head.write(chunk, 0, Math.min(chunk.length, maxBytes - head.size()));
      }
    } catch (JdbiException e) {
      throw Storage.translate(e);
    }
    return head.toByteArray();
  }

  /** Buffers one chunk and inserts it when full; hashes everything written. */
  private static final class ChunkOutputStream extends OutputStream {
    private final EnvelopeDao dao;
    private final byte[] id;
    private final byte[] buffer;
    private final MessageDigest digest;
    private int fill;
    private int chunks;
    private long total;

    ChunkOutputStream(EnvelopeDao dao, byte[] id, int chunkBytes) {
      this.dao = dao;
      this.id = id;
      this.buffer = new byte[chunkBytes];
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
      total += len;
      while (len > 0) {
        int n = Math.min(len, buffer.length - fill);
        System.arraycopy(b, off, buffer, fill, n);
        fill += n;
        off += n;
        len -= n;
        if (fill == buffer.length) {
          emit();
        }
      }
    }

    private void emit() {
      dao.insertChunk(id, chunks++, fill == buffer.length ? buffer : Arrays.copyOf(buffer, fill));
      fill = 0;
    }

    void finishChunks() {
      if (fill > 0 || chunks == 0) {
        emit();
      }
    }

    int chunks() {
      return chunks;
    }

    long total() {
      return total;
    }

    byte[] sha256() {
      return digest.digest();
    }
  }
}

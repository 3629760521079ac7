package org.testigo.server.storage;

import org.testigo.api.EnvelopeId;


/**
 * One transaction per envelope: the row, its chunks, its mailbox link and its pending log leaf,
 * retried whole by the {@link TransactionRunner} (the envelope is in memory, so every attempt
 * writes the same bytes). The write path when the group commit is off, and the one a group
 * commit hands an envelope back to.
 */
public final class TransactionWriter implements ReportWriter {
  private final TransactionRunner transactions;
  private final TransparencyLog log;
  private final int chunkBytes;

  public TransactionWriter(TransactionRunner transactions, TransparencyLog log, int chunkBytes) {
    this.transactions = transactions;
    this.log = log;
    this.chunkBytes = chunkBytes;
  }

  @Override
  public EnvelopeStore.Stored write(HeldEnvelope e) {
    EnvelopeId id = e.id();
    byte[] bytes = e.bytes();
    return transactions.inTransaction(TransactionRunner.Idempotence.IDEMPOTENT, handle -> {
      EnvelopeWrites dao = handle.attach(EnvelopeWrites.class);
      if (dao.insertStoredIfAbsent(id.toBytes(), e.context(), e.day(), e.sizeBucket(), e.chunkCount(),
          e.sha256()) == 0) {
        return EnvelopeStore.existing(handle, log, id, e.context(), e.sha256());
      }
      EnvelopeStore.ChunkOutputStream out = new EnvelopeStore.ChunkOutputStream(dao, id.toBytes(), chunkBytes);
      out.write(bytes, 0, bytes.length);
      out.finishChunks();
      if (out.chunks() != e.chunkCount()) {
        throw new IllegalStateException("chunk count differs from the one stored");
      }
      return EnvelopeStore.linkAndLog(handle, log, id, e.context(), e.link(), e.day(), e.sizeBucket(),
          e.chunkCount(), e.sha256());
    });
  }
}

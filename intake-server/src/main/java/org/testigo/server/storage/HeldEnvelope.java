package org.testigo.server.storage;

import java.time.LocalDate;
import java.util.Optional;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * An envelope held whole in memory, with what its row and its log leaf record: the input of a
 * {@link ReportWriter}.
 */
public record HeldEnvelope(EnvelopeId id, String context, LocalDate day, long sizeBucket, byte[] bytes,
    int chunkCount, byte[] sha256, Optional<EnvelopeStore.MailboxLink> link) {
  /** Its transparency-log leaf. */
  public LogLeaf leaf() {
    return TransparencyLog.envelopeLeaf(context, day, sha256);
  }
}

package org.testigo.server.domain;

import java.time.LocalDate;
import org.testigo.api.EnvelopeId;

/**
 * What a committed store returns: the public id, the coarse facts kept about it, and the
 * index of its transparency-log leaf if that leaf was already sequenced, else
 * {@link #NOT_SEQUENCED}. A fresh store is always {@link #NOT_SEQUENCED}: its leaf gets an
 * index a moment after the commit (docs/spec/merkle-log-and-proofs.md §6.1); ask
 * {@link org.testigo.server.storage.TransparencyLog#indexOfEnvelope(EnvelopeId)}, which sequences
 * on demand.
 */
public record StoredEnvelope(EnvelopeId id, LocalDate receivedDay, long sizeBucket, int chunkCount,
    long logIndex) {
  /** The {@code logIndex} of an envelope whose leaf is still pending. */
  public static final long NOT_SEQUENCED = -1;

  /** Whether {@code logIndex} is known. */
  public boolean sequenced() {
    return logIndex >= 0;
  }
}

package org.testigo.server.core;

import java.time.LocalDate;

/**
 * What a committed store returns: the public id, the coarse facts kept about it, and the
 * index of its transparency-log leaf.
 */
public record StoredEnvelope(EnvelopeId id, LocalDate receivedDay, long sizeBucket, int chunkCount,
    long logIndex) {}

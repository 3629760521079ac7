package org.testigo.server.core;

import java.time.LocalDate;

/** What a committed store returns: the public id and the coarse facts kept about it. */
public record StoredEnvelope(EnvelopeId id, LocalDate receivedDay, long sizeBucket, int chunkCount) {}

package org.testigo.server.domain;

import java.time.LocalDate;

/** One stored envelope's metadata: everything the server knows about it. */
public record EnvelopeRecord(EnvelopeId id, String context, LocalDate receivedDay,
    long sizeBucket, int chunkCount, byte[] sha256, String state) {}

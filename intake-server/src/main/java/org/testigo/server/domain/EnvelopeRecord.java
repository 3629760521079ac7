package org.testigo.server.domain;

import java.time.LocalDate;
import org.testigo.api.EnvelopeId;

/** One stored envelope's metadata: everything the server knows about it. */
public record EnvelopeRecord(EnvelopeId id, String context, LocalDate receivedDay,
    long sizeBucket, int chunkCount, byte[] sha256, String state) {}

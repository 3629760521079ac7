package org.testigo.server.domain;

import org.testigo.api.progress.SourceProgress;

/** A progress record a reviewer published to the source, opened for the status page, and its day. */
public record PublishedProgress(String receivedDay, SourceProgress progress) {}

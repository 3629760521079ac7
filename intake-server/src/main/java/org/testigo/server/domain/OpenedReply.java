package org.testigo.server.domain;

import java.util.List;

/** A reply opened for the source: its text and the names of attached files. */
public record OpenedReply(String receivedDay, String text, List<String> attachments) {}

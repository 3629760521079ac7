package org.testigo.server.domain.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Follow-up message v1: what a source adds to an existing case, sealed as part {@code message}. */
@JsonPropertyOrder({"version", "language", "message"})
public record FollowUp(int version, String language, String message) {
  public static final int VERSION = 1;
}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One entry of {@code GET /api/v1/audit/case-events}: its feed position and the SignedCaseEvent
 * v1 encoding in hex (the server's {@code AuditFeedResource.CaseEventJson}).
 */
@JsonPropertyOrder({"seq", "event"})
public record AuditCaseEvent(
    @JsonProperty("seq") long seq,
    @JsonProperty("event") String event) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/reviewer/cases/{id}/events} (201 new, 200 already stored):
 * the event's feed position and its id (64 hex).
 */
@JsonPropertyOrder({"seq", "eventId"})
public record EventPosted(
    @JsonProperty("seq") long seq,
    @JsonProperty("eventId") String eventId) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/reviewer/challenges} (201): the audit feed position and the
 * challenge id.
 */
@JsonPropertyOrder({"seq", "challengeId"})
public record ChallengeAnswered(
    @JsonProperty("seq") long seq,
    @JsonProperty("challengeId") String challengeId) {}

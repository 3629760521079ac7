package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One entry of {@code GET /api/v1/audit/challenges}: PossessionChallenge v1 and ChallengeAnswer v1
 * encodings in hex (the server's {@code AuditFeedResource.ChallengeJson}).
 */
@JsonPropertyOrder({"seq", "challenge", "answer"})
public record AuditChallenge(
    @JsonProperty("seq") long seq,
    @JsonProperty("challenge") String challenge,
    @JsonProperty("answer") String answer) {}

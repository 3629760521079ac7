package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One entry of {@code GET /api/v1/reviewer/erasures}: the feed position, the erased case's id
 * (32 hex) and the decision's encoding (standard base64).
 */
@JsonPropertyOrder({"seq", "caseId", "decision"})
public record ErasureItem(
    @JsonProperty("seq") long seq,
    @JsonProperty("caseId") String caseId,
    @JsonProperty("decision") String decision) {}

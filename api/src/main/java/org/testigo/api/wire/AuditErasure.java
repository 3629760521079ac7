package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One entry of {@code GET /api/v1/audit/erasures}: the feed position and the erasure
 * decision's encoding (standard base64), which names its case itself.
 */
@JsonPropertyOrder({"seq", "decision"})
public record AuditErasure(
    @JsonProperty("seq") long seq,
    @JsonProperty("decision") String decision) {}

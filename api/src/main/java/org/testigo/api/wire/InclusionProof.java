package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code GET /api/v1/log/proof/inclusion?leaf=HEX&size=N} (the server's {@code InclusionJson}).
 */
@JsonPropertyOrder({"leafIndex", "treeSize", "auditPath"})
public record InclusionProof(
    @JsonProperty("leafIndex") long leafIndex,
    @JsonProperty("treeSize") long treeSize,
    @JsonProperty("auditPath") List<String> auditPath) {}

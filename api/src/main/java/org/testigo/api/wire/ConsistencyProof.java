package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code GET /api/v1/log/proof/consistency?from=A&to=B} (the server's {@code ConsistencyJson}).
 */
@JsonPropertyOrder({"from", "to", "proof"})
public record ConsistencyProof(
    @JsonProperty("from") long from,
    @JsonProperty("to") long to,
    @JsonProperty("proof") List<String> proof) {}

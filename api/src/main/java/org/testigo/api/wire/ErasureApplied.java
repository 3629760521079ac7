package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/reviewer/erasures}: 201 erased now, 200 the same decision
 * was applied before (nothing changed). {@code decision} is the decision hash (64 hex), the
 * object hash of its {@code erasure} log leaf.
 */
@JsonPropertyOrder({"seq", "decision", "erasedObjects"})
public record ErasureApplied(
    @JsonProperty("seq") long seq,
    @JsonProperty("decision") String decision,
    @JsonProperty("erasedObjects") int erasedObjects) {}

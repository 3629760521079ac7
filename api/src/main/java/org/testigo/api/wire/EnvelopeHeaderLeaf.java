package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code GET /api/v1/log/leaves/{index}/envelope-header}: the envelope header of a submission
 * leaf, in hex (the server's {@code EnvelopeHeaderJson}).
 */
@JsonPropertyOrder({"leafIndex", "header"})
public record EnvelopeHeaderLeaf(
    @JsonProperty("leafIndex") long leafIndex,
    @JsonProperty("header") String header) {}

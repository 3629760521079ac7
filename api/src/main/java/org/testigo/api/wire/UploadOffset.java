package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code PUT /api/v1/uploads/{id}?offset=N}: the offset after the piece (a 409
 * answers {@link OffsetConflict}).
 */
@JsonPropertyOrder({"offset"})
public record UploadOffset(
    @JsonProperty("offset") long offset) {}

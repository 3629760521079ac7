package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code GET /api/v1/uploads/{id}}.
 */
@JsonPropertyOrder({"offset", "committed"})
public record UploadStatus(
    @JsonProperty("offset") long offset,
    @JsonProperty("committed") boolean committed) {}

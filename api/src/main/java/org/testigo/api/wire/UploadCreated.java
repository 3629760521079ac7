package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/uploads} (201): the upload's id (32 lowercase hex), the offset
 * (0), the largest envelope and the largest piece the server takes.
 */
@JsonPropertyOrder({"id", "offset", "maxBytes", "maxPieceBytes"})
public record UploadCreated(
    @JsonProperty("id") String id,
    @JsonProperty("offset") long offset,
    @JsonProperty("maxBytes") long maxBytes,
    @JsonProperty("maxPieceBytes") int maxPieceBytes) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The 409 of {@code PUT /api/v1/uploads/{id}?offset=N}: the offset the server has.
 */
@JsonPropertyOrder({"code", "offset"})
public record OffsetConflict(
    @JsonProperty("code") int code,
    @JsonProperty("offset") long offset) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/reviewer/rewraps/{id}} (201 new, 200 the same header again;
 * the server's {@code RewrapService.Stored}).
 */
@JsonPropertyOrder({"seq", "id", "generation", "headerSha256", "sha256", "created"})
public record RewrapStored(
    @JsonProperty("seq") long seq,
    @JsonProperty("id") String id,
    @JsonProperty("generation") int generation,
    @JsonProperty("headerSha256") String headerSha256,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("created") boolean created) {}

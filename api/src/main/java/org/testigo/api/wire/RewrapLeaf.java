package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code GET /api/v1/log/leaves/{index}/rewrap}: the object of a rewrap leaf (the server's
 * {@code RewrapService.PublicRecord}), hashes and header in hex.
 */
@JsonPropertyOrder({"leafIndex", "envelopeSha256", "previousHeaderSha256", "header"})
public record RewrapLeaf(
    @JsonProperty("leafIndex") long leafIndex,
    @JsonProperty("envelopeSha256") String envelopeSha256,
    @JsonProperty("previousHeaderSha256") String previousHeaderSha256,
    @JsonProperty("header") String header) {}

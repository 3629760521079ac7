package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A signed tree head ({@code GET /api/v1/log/sth}, {@code /sth/{size}}; the server's
 * {@code LogResource.TreeHeadJson}): {@code encoded} is the 113-byte SignedTreeHead v1 in hex.
 */
@JsonPropertyOrder({"version", "treeSize", "timestampMillis", "rootHash", "signature", "encoded"})
public record TreeHead(
    @JsonProperty("version") int version,
    @JsonProperty("treeSize") long treeSize,
    @JsonProperty("timestampMillis") long timestampMillis,
    @JsonProperty("rootHash") String rootHash,
    @JsonProperty("signature") String signature,
    @JsonProperty("encoded") String encoded) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code GET /api/v1/log/leaves?start=S&end=E}: leaves {@code start <= index < end}, each the
 * 38-byte LogLeaf v1 in hex (the server's {@code LeavesJson}).
 */
@JsonPropertyOrder({"start", "end", "leaves"})
public record Leaves(
    @JsonProperty("start") long start,
    @JsonProperty("end") long end,
    @JsonProperty("leaves") List<String> leaves) {}

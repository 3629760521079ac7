package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The 409 of {@code POST /api/v1/reviewer/erasures} when the decision's object hashes are not
 * exactly the case's stored envelopes: {@code missing} are stored but not listed, {@code
 * unlisted} are listed but not stored (64 hex each, ascending). {@code code} and {@code message}
 * as in every {@link ErrorMessage}; {@code error} repeats the message.
 */
@JsonPropertyOrder({"code", "message", "error", "missing", "unlisted"})
public record ErasureMismatch(
    @JsonProperty("code") int code,
    @JsonProperty("message") String message,
    @JsonProperty("error") String error,
    @JsonProperty("missing") List<String> missing,
    @JsonProperty("unlisted") List<String> unlisted) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of an error answer, as Dropwizard's {@code io.dropwizard.jersey.errors.ErrorMessage}
 * writes it: the status code, a fixed message (never anything of the request), and details only
 * when there are any. Also the 409 of {@code POST /api/v1/mailboxes} and the 404 of an unknown
 * upload.
 */
@JsonPropertyOrder({"code", "message", "details"})
public record ErrorMessage(
    @JsonProperty("code") int code,
    @JsonProperty("message") String message,
    @JsonProperty("details") @JsonInclude(JsonInclude.Include.NON_NULL) String details) {
  public ErrorMessage(int code, String message) {
    this(code, message, null);
  }
}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /api/v1/mailboxes}: {@link #CREATED} (201) or {@link #EXISTS} (200).
 */
@JsonPropertyOrder({"status"})
public record MailboxStatus(
    @JsonProperty("status") String status) {
  public static final String CREATED = "created";
  public static final String EXISTS = "exists";
}

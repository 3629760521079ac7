package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code POST /api/v1/mailboxes} (the server's {@code MailboxesResource.Registration}):
 * base64url of the 32-byte lookup key and of the 1,216-byte X-Wing reply key.
 */
@JsonPropertyOrder({"lookupKey", "replyPublicKey"})
public record MailboxRegistration(
    @JsonProperty("lookupKey") String lookupKey,
    @JsonProperty("replyPublicKey") String replyPublicKey) {}

package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code GET /api/v1/reviewer/submissions/{id}/reply-key}: the report's mailbox
 * reply key (base64url without padding of the 1,216-byte X-Wing public key) and its fingerprint
 * (hex).
 */
@JsonPropertyOrder({"replyPublicKey", "fingerprint"})
public record ReplyKey(
    @JsonProperty("replyPublicKey") String replyPublicKey,
    @JsonProperty("fingerprint") String fingerprint) {}

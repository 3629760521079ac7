package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import org.testigo.crypto.event.SignedCaseEvent;

/**
 * One entry of {@code GET /api/v1/reviewer/events} (the server's {@code CaseEventService.Listed}):
 * feed position, event id (64 hex), case id (32 hex), author (the signing key's fingerprint, 64
 * hex), when the server received it (ISO-8601 instant), the SignedCaseEvent v1 encoding and the
 * sealed content (both standard base64).
 */
@JsonPropertyOrder({"seq", "eventId", "caseId", "author", "receivedAt", "event", "content"})
public record CaseEventItem(
    @JsonProperty("seq") long seq,
    @JsonProperty("eventId") String eventId,
    @JsonProperty("caseId") String caseId,
    @JsonProperty("author") String author,
    @JsonProperty("receivedAt") String receivedAt,
    @JsonProperty("event") String event,
    @JsonProperty("content") String content) {
  /**
   * The entry with every field checked, as the reviewer tool checks it before caching anything:
   * {@code seq} a positive integer, {@code eventId} and {@code author} 64 lowercase hex,
   * {@code caseId} 32, {@code receivedAt} an ISO-8601 instant (of at most 40 characters; kept in
   * {@link java.time.Instant#toString()} form), {@code event} standard base64 of at most
   * {@link SignedCaseEvent#MAX_ENCODED_LENGTH} bytes, {@code content} of at most
   * {@code maxContentBytes}.
   *
   * @throws WireFields.InvalidEntryException naming the first field that is wrong
   */
  public static CaseEventItem parse(JsonNode item, int maxContentBytes) throws WireFields.InvalidEntryException {
    long seq = WireFields.positiveLong(item, "seq");
    String eventId = WireFields.hex(item, "eventId", 64);
    String caseId = WireFields.hex(item, "caseId", 32);
    String author = WireFields.hex(item, "author", 64);
    String receivedAt = WireFields.instant(item, "receivedAt").toString();
    WireFields.base64(item, "event", SignedCaseEvent.MAX_ENCODED_LENGTH);
    WireFields.base64(item, "content", maxContentBytes);
    return new CaseEventItem(seq, eventId, caseId, author, receivedAt, item.get("event").asText(),
        item.get("content").asText());
  }
}

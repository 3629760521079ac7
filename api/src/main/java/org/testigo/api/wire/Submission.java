package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import org.testigo.crypto.envelope.Envelope;

/**
 * One entry of the submissions feed ({@code GET /api/v1/reviewer/submissions} and each entry of
 * an envelope batch v1; the server's {@code ReviewerService.Submission}). {@code caseId} is the
 * report it belongs to (its own id for a report); {@code currentSha256} is the SHA-256 of the
 * envelope as served now (after rewraps), {@code rewraps} how many there were.
 */
@JsonPropertyOrder({"seq", "id", "context", "receivedDay", "size", "sha256", "hasMailbox", "caseId",
    "currentSha256", "rewraps"})
public record Submission(
    @JsonProperty("seq") long seq,
    @JsonProperty("id") String id,
    @JsonProperty("context") String context,
    @JsonProperty("receivedDay") String receivedDay,
    @JsonProperty("size") long size,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("hasMailbox") boolean hasMailbox,
    @JsonProperty("caseId") String caseId,
    @JsonProperty("currentSha256") String currentSha256,
    @JsonProperty("rewraps") int rewraps) {
  /**
   * The entry with every field checked (docs/spec/reviewer-api-and-batches.md §7.3), as the reviewer tool checks it
   * before caching anything: {@code seq} a positive integer, {@code id}/{@code caseId} 32
   * lowercase hex (a report is its own case), {@code context} report or follow-up,
   * {@code receivedDay} a real day, {@code size} a positive integer, {@code sha256} (and
   * {@code currentSha256} if present, else it is {@code sha256}) 64 lowercase hex,
   * {@code hasMailbox} a boolean (false if absent), {@code rewraps} 0..1,000,000 (0 if absent).
   * JSON types must be the right ones: "5" is not a number.
   *
   * @throws WireFields.InvalidEntryException naming the first field that is wrong
   */
  public static Submission parse(JsonNode n) throws WireFields.InvalidEntryException {
    if (n == null || !n.isObject()) {
      throw new WireFields.InvalidEntryException("entry");
    }
    long seq = WireFields.positiveLong(n, "seq");
    String id = WireFields.hex(n, "id", 32);
    String context = WireFields.oneOf(n, "context", Envelope.CONTEXT_REPORT, Envelope.CONTEXT_FOLLOW_UP);
    String day = WireFields.day(n, "receivedDay").toString();
    long size = WireFields.positiveLong(n, "size");
    String sha = WireFields.hex(n, "sha256", 64);
    boolean mailbox = WireFields.bool(n, "hasMailbox", false);
    String caseId = WireFields.hex(n, "caseId", 32);
    if (Envelope.CONTEXT_REPORT.equals(context) && !caseId.equals(id)) {
      throw new WireFields.InvalidEntryException("caseId");
    }
    String current = n.has("currentSha256") ? WireFields.hex(n, "currentSha256", 64) : sha;
    int rewraps = WireFields.intIn(n, "rewraps", 0, 1_000_000, 0);
    return new Submission(seq, id, context, day, size, sha, mailbox, caseId, current, rewraps);
  }
}

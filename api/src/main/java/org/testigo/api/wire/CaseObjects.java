package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The answer of {@code GET /api/v1/reviewer/cases/{id}/objects}: every stored envelope of the
 * case (report, follow-ups, replies) ordered by SHA-256, the hashes an erasure decision must
 * list (docs/spec/retention-and-erasure.md §3.1).
 */
@JsonPropertyOrder({"caseId", "objects"})
public record CaseObjects(
    @JsonProperty("caseId") String caseId,
    @JsonProperty("objects") List<CaseObject> objects) {

  /** One stored envelope: its SHA-256 (64 hex, as stored, without any rewrap), context and day. */
  @JsonPropertyOrder({"sha256", "context", "receivedDay"})
  public record CaseObject(
      @JsonProperty("sha256") String sha256,
      @JsonProperty("context") String context,
      @JsonProperty("receivedDay") String receivedDay) {}
}

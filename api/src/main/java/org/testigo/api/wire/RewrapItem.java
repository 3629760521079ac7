package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code GET /api/v1/reviewer/rewraps} (the server's {@code RewrapService.Listed}):
 * the new generation of a stored envelope's header, the hashes to check it by, the day and the
 * signer's fingerprint.
 */
@JsonPropertyOrder({"seq", "id", "generation", "headerSha256", "sha256", "receivedDay", "signer"})
public record RewrapItem(
    @JsonProperty("seq") long seq,
    @JsonProperty("id") String id,
    @JsonProperty("generation") int generation,
    @JsonProperty("headerSha256") String headerSha256,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("receivedDay") String receivedDay,
    @JsonProperty("signer") String signer) {
  /**
   * The fields the reviewer tool relies on, each checked: {@code seq} a positive integer,
   * {@code id} 32 lowercase hex, {@code generation} 1..1,000,000, {@code headerSha256} and
   * {@code sha256} 64 lowercase hex. {@code receivedDay} and {@code signer} are taken as sent
   * (text, or null).
   *
   * @throws WireFields.InvalidEntryException naming the first field that is wrong
   */
  public static RewrapItem parse(JsonNode item) throws WireFields.InvalidEntryException {
    long seq = WireFields.positiveLong(item, "seq");
    String id = WireFields.hex(item, "id", 32);
    int generation = WireFields.intIn(item, "generation", 1, 1_000_000, 0);
    if (generation == 0) {
      throw new WireFields.InvalidEntryException("generation");
    }
    String headerSha = WireFields.hex(item, "headerSha256", 64);
    String sha = WireFields.hex(item, "sha256", 64);
    return new RewrapItem(seq, id, generation, headerSha, sha, text(item, "receivedDay"), text(item, "signer"));
  }

  private static String text(JsonNode item, String field) {
    JsonNode n = item.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }
}

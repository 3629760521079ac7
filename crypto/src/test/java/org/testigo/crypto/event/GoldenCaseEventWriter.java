package org.testigo.crypto.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Writes {@code golden/case-event-v1.json} once. Not a test: run by hand with the test
 * classpath, then commit. Never regenerate for v1. Every input is fixed, and Ed25519 is
 * deterministic, so {@link SignedCaseEventTest#golden_isReproducedByteForByteFromItsInputs}
 * also re-derives it.
 */
public final class GoldenCaseEventWriter {
  static final String CASE_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String CONTENT = "golden sealed content v1 (stand-in for an envelope)";
  static final Instant CREATED = Instant.parse("2026-03-02T10:15:00Z");
  static final long LAMPORT = 3;

  static List<EventId> parents() {
    return List.of(EventId.fromBytes(TestKeys.seed("golden-parent-b")),
        EventId.fromBytes(TestKeys.seed("golden-parent-a")));
  }

  static SigningPrivateKey author() {
    return TestKeys.signing("maria");
  }

  static SignedCaseEvent build() {
    return SignedCaseEvent.sign(author(), CaseId.fromHex(CASE_ID), LAMPORT, parents(), CREATED,
        CONTENT.getBytes(StandardCharsets.US_ASCII));
  }

  public static void main(String[] args) throws Exception {
    HexFormat hex = HexFormat.of();
    SignedCaseEvent e = build();
    StringBuilder parents = new StringBuilder();
    for (EventId p : e.parents()) {
      parents.append(parents.length() == 0 ? "" : ", ").append('"').append(p.hex()).append('"');
    }
    String json = "{\n"
        + "  \"description\": \"SignedCaseEvent v1 golden: author = Ed25519 seed SHA-256('signing:maria') (TestKeys), content = SHA-256 of the ASCII string below (a stand-in; the reviewer-cli golden carries a real sealed envelope). Never regenerate.\",\n"
        + "  \"author_public_key_hex\": \"" + hex.formatHex(e.author().toBytes()) + "\",\n"
        + "  \"case_id_hex\": \"" + e.caseId().hex() + "\",\n"
        + "  \"lamport\": " + e.lamport() + ",\n"
        + "  \"created_at\": " + e.createdAt().getEpochSecond() + ",\n"
        + "  \"parents_hex\": [" + parents + "],\n"
        + "  \"content_ascii\": \"" + CONTENT + "\",\n"
        + "  \"content_sha256_hex\": \"" + hex.formatHex(e.contentSha256()) + "\",\n"
        + "  \"body_hex\": \"" + hex.formatHex(e.body()) + "\",\n"
        + "  \"event_id_hex\": \"" + e.eventId().hex() + "\",\n"
        + "  \"signature_hex\": \"" + hex.formatHex(e.signature()) + "\",\n"
        + "  \"encoded_hex\": \"" + hex.formatHex(e.encoded()) + "\"\n"
        + "}\n";
    Files.writeString(Path.of(args[0]).resolve("case-event-v1.json"), json);
  }
}

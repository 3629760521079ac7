package org.testigo.crypto.challenge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * Writes {@code golden/challenge-v1.json} once. Not a test: run by hand with the test
 * classpath, then commit. Never regenerate for v1. The challenge's envelope is randomised,
 * so the file keeps the challenge as issued; the answer is deterministic (Ed25519 over fixed
 * inputs) and {@link ChallengeFormatsTest} re-derives it byte for byte.
 */
public final class GoldenChallengeWriter {
  static final Instant ISSUED = Instant.parse("2026-04-01T09:00:00Z");
  static final Instant ANSWERED = Instant.parse("2026-04-02T17:30:00Z");

  static ReviewerIdentity reviewer() {
    return TestKeys.identity("maria");
  }

  public static void main(String[] args) throws Exception {
    HexFormat hex = HexFormat.of();
    ReviewerIdentity maria = reviewer();
    PossessionChallenge c = PossessionChallenge.issue(maria.signingKey().publicKey(),
        maria.encryptionKey().publicKey(), ISSUED, new SecureRandom());
    byte[] nonce = c.openNonce(maria.encryptionKey());
    ChallengeAnswer a = ChallengeAnswer.sign(c, nonce, maria.signingKey(), ANSWERED);
    String json = "{\n"
        + "  \"comment\": \"PossessionChallenge v1 to test reviewer maria (TestKeys.identity(\\\"maria\\\")) and its"
        + " ChallengeAnswer v1; SECURITY.md §19\",\n"
        + "  \"challenge_hex\": \"" + hex.formatHex(c.encoded()) + "\",\n"
        + "  \"challenge_id_hex\": \"" + c.idHex() + "\",\n"
        + "  \"challenge_sha256_hex\": \"" + hex.formatHex(c.hash()) + "\",\n"
        + "  \"reviewer_signing_key_hex\": \"" + hex.formatHex(c.reviewerKey().toBytes()) + "\",\n"
        + "  \"recipient_fingerprint_hex\": \"" + c.recipient().hex() + "\",\n"
        + "  \"issued_at\": " + ISSUED.getEpochSecond() + ",\n"
        + "  \"commitment_hex\": \"" + hex.formatHex(c.commitment()) + "\",\n"
        + "  \"nonce_hex\": \"" + hex.formatHex(nonce) + "\",\n"
        + "  \"answered_at\": " + ANSWERED.getEpochSecond() + ",\n"
        + "  \"answer_hex\": \"" + hex.formatHex(a.encoded()) + "\",\n"
        + "  \"answer_sha256_hex\": \"" + hex.formatHex(a.hash()) + "\"\n"
        + "}\n";
    Files.writeString(Path.of(args[0]), json, StandardCharsets.UTF_8);
  }
}

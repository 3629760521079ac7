package org.testigo.crypto.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.sign.SignatureDomain;

class ChallengeFormatsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  private static final ReviewerIdentity LUIS = TestKeys.identity("luis");

  private static JsonNode golden() throws Exception {
    try (InputStream in = ChallengeFormatsTest.class.getResourceAsStream("/golden/challenge-v1.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] hex(JsonNode g, String field) {
    return HEX.parseHex(g.get(field).asText());
  }

  @Test
  void golden_challengeParsesOpensWithTheReviewerKeyAndKeepsItsFields() throws Exception {
    JsonNode g = golden();
    PossessionChallenge c = PossessionChallenge.parse(hex(g, "challenge_hex"));
    assertThat(c.idHex()).isEqualTo(g.get("challenge_id_hex").asText());
    assertThat(c.reviewerKey().toBytes()).isEqualTo(hex(g, "reviewer_signing_key_hex"));
    assertThat(c.reviewerKey()).isEqualTo(MARIA.signingKey().publicKey());
    assertThat(c.recipient().hex()).isEqualTo(g.get("recipient_fingerprint_hex").asText());
    assertThat(c.recipient()).isEqualTo(MARIA.encryptionKey().publicKey().fingerprint());
    assertThat(c.issuedAt().getEpochSecond()).isEqualTo(g.get("issued_at").asLong());
    assertThat(c.commitment()).isEqualTo(hex(g, "commitment_hex"));
    assertThat(c.hash()).isEqualTo(hex(g, "challenge_sha256_hex"));
    assertThat(c.encoded()).isEqualTo(hex(g, "challenge_hex"));
    byte[] nonce = c.openNonce(MARIA.encryptionKey());
    assertThat(nonce).isEqualTo(hex(g, "nonce_hex"));
    assertThat(PossessionChallenge.commitment(nonce)).isEqualTo(c.commitment());
  }

  @Test
  void golden_answerIsReproducedByteForByteAndVerifies() throws Exception {
    JsonNode g = golden();
    PossessionChallenge c = PossessionChallenge.parse(hex(g, "challenge_hex"));
    ChallengeAnswer a = ChallengeAnswer.sign(c, hex(g, "nonce_hex"), MARIA.signingKey(),
        Instant.ofEpochSecond(g.get("answered_at").asLong()));
    assertThat(a.encoded()).isEqualTo(hex(g, "answer_hex"));
    assertThat(a.hash()).isEqualTo(hex(g, "answer_sha256_hex"));
    ChallengeAnswer parsed = ChallengeAnswer.parse(hex(g, "answer_hex"));
    assertThat(parsed.verifies(c)).isTrue();
    assertThat(parsed.challengeId()).isEqualTo(c.id());
    assertThat(parsed.nonce()).isEqualTo(hex(g, "nonce_hex"));
    assertThat(parsed.answeredAt()).isEqualTo(GoldenChallengeWriter.ANSWERED);
    assertThat(parsed.encoded()).hasSize(ChallengeAnswer.LENGTH).hasSize(185);
  }

  @Test
  void answer_signatureIsDomainSeparatedUnderChallengeV1() throws Exception {
    JsonNode g = golden();
    byte[] answer = hex(g, "answer_hex");
    byte[] body = Arrays.copyOf(answer, ChallengeAnswer.BODY_LENGTH);
    byte[] sig = Arrays.copyOfRange(answer, ChallengeAnswer.BODY_LENGTH, answer.length);
    assertThat(MARIA.signingKey().publicKey().verify(SignatureDomain.CHALLENGE, body, sig)).isTrue();
    assertThat(MARIA.signingKey().publicKey().verify(SignatureDomain.CASE_EVENT, body, sig)).isFalse();
    assertThat(MARIA.signingKey().publicKey().verify(SignatureDomain.HTTP_REQUEST, body, sig)).isFalse();
  }

  @Test
  void openNonce_failsWithAnotherReviewersKey() throws Exception {
    PossessionChallenge c = PossessionChallenge.parse(hex(golden(), "challenge_hex"));
    assertThatThrownBy(() -> c.openNonce(LUIS.encryptionKey())).isInstanceOf(CryptoException.class);
  }

  @Test
  void sign_refusesAWrongNonceOrAnotherReviewersKey() throws Exception {
    JsonNode g = golden();
    PossessionChallenge c = PossessionChallenge.parse(hex(g, "challenge_hex"));
    byte[] wrong = hex(g, "nonce_hex");
    wrong[0] ^= 1;
    assertThatThrownBy(() -> ChallengeAnswer.sign(c, wrong, MARIA.signingKey(), Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChallengeAnswer.sign(c, hex(g, "nonce_hex"), LUIS.signingKey(), Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_challengeFailsOnEveryTamperedHeaderByteTruncationAndExtension() throws Exception {
    byte[] good = hex(golden(), "challenge_hex");
    // version, key, fingerprint, length, envelope header: each change is caught by parse
    int[] positions = {0, 17, 17 + 31, 49, 49 + 31, 121, 122, 123, 124, 130};
    for (int p : positions) {
      byte[] bad = good.clone();
      bad[p] ^= 0x01;
      assertThatThrownBy(() -> PossessionChallenge.parse(bad)).as("byte %d", p).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> PossessionChallenge.parse(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> PossessionChallenge.parse(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> PossessionChallenge.parse(new byte[0])).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> PossessionChallenge.parse(null)).isInstanceOf(CryptoException.class);
  }

  @Test
  void everyTamperedChallengeByte_isRefusedByParseOpenOrTheAnswer() throws Exception {
    JsonNode g = golden();
    byte[] good = hex(g, "challenge_hex");
    ChallengeAnswer answer = ChallengeAnswer.parse(hex(g, "answer_hex"));
    for (int p = 0; p < good.length; p++) {
      byte[] bad = good.clone();
      bad[p] ^= 0x20;
      boolean refused;
      try {
        PossessionChallenge c = PossessionChallenge.parse(bad);
        refused = !answer.verifies(c);
        try {
          c.openNonce(MARIA.encryptionKey());
        } catch (CryptoException e) {
          refused = true;
        }
      } catch (CryptoException e) {
        refused = true;
      }
      assertThat(refused).as("byte %d", p).isTrue();
    }
  }

  @Test
  void everyTamperedAnswerByte_failsToParseOrToVerify() throws Exception {
    JsonNode g = golden();
    PossessionChallenge c = PossessionChallenge.parse(hex(g, "challenge_hex"));
    byte[] good = hex(g, "answer_hex");
    for (int p = 0; p < good.length; p++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] bad = good.clone();
        bad[p] ^= bit;
        boolean ok;
        try {
          ok = ChallengeAnswer.parse(bad).verifies(c);
        } catch (CryptoException e) {
          ok = false;
        }
        assertThat(ok).as("byte %d bit %x", p, bit).isFalse();
      }
    }
  }

  @Test
  void answer_toAnotherChallengeOfTheSameReviewerDoesNotVerify() throws Exception {
    JsonNode g = golden();
    ChallengeAnswer a = ChallengeAnswer.parse(hex(g, "answer_hex"));
    PossessionChallenge other = PossessionChallenge.issue(MARIA.signingKey().publicKey(),
        MARIA.encryptionKey().publicKey(), Instant.now(), RANDOM);
    assertThat(a.verifies(other)).isFalse();
    assertThat(a.verifies(null)).isFalse();
  }

  @Test
  void garbage_neverParsesAndNeverThrowsAnythingElse() {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[r.nextInt(400)];
      r.nextBytes(b);
      if (b.length > 0 && r.nextBoolean()) {
        b[0] = 1;
      }
      assertThatThrownBy(() -> PossessionChallenge.parse(b)).isInstanceOf(CryptoException.class);
      if (b.length != ChallengeAnswer.LENGTH) {
        assertThatThrownBy(() -> ChallengeAnswer.parse(b)).isInstanceOf(CryptoException.class);
      }
    }
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[ChallengeAnswer.LENGTH];
      r.nextBytes(b);
      b[0] = 1;
      try {
        ChallengeAnswer.parse(b);
      } catch (CryptoException e) {
        // an invalid key point or time: refused, as expected
      }
    }
  }

  @Test
  void issue_sealsToExactlyOneRecipientUnderTheChallengeContextAndRoundTrips() throws Exception {
    PossessionChallenge c = PossessionChallenge.issue(LUIS.signingKey().publicKey(),
        LUIS.encryptionKey().publicKey(), Instant.parse("2026-05-01T00:00:00Z"), RANDOM);
    PossessionChallenge parsed = PossessionChallenge.parse(c.encoded());
    assertThat(Envelope.inspectHeader(new java.io.ByteArrayInputStream(parsed.envelope())).recipients())
        .containsExactly(LUIS.encryptionKey().publicKey().fingerprint());
    byte[] nonce = parsed.openNonce(LUIS.encryptionKey());
    ChallengeAnswer a = ChallengeAnswer.sign(parsed, nonce, LUIS.signingKey(), Instant.parse("2026-05-02T00:00:00Z"));
    assertThat(ChallengeAnswer.parse(a.encoded()).verifies(c)).isTrue();
    assertThat(Envelope.CONTEXT_CHALLENGE).matches("[a-z0-9-]{1,64}");
  }
}

package org.testigo.server.review;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.jdbi.v3.core.Jdbi;
import org.testigo.api.wire.ChallengeAnswered;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.challenge.ChallengeAnswer;
import org.testigo.crypto.challenge.PossessionChallenge;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.storage.ChallengeDao;
import org.testigo.server.storage.TransparencyLog;

/**
 * Answers to possession challenges (docs/spec/merkle-log-and-proofs.md §5.1). The body of a post is
 * {@code u16 n || PossessionChallenge v1 (n bytes) || ChallengeAnswer v1}. Accepted only if
 * the challenge names the reviewer who signed the request and is sealed to that reviewer's
 * X-Wing key in the current manifest, the answer verifies against it (nonce matches the
 * commitment, signature under {@code challenge-v1}), and neither time claim is more than
 * {@link #MAX_CLAIM_SKEW} in the future (the answer's also not further in the past). A
 * verified answer is stored with its challenge and logged as a {@code CHALLENGE} leaf (object
 * hash: SHA-256 of the ChallengeAnswer v1 encoding) in the same transaction. A second answer
 * to the same challenge id, the same or another, is refused and changes nothing.
 *
 * <p>The server sees the challenge for the first time with its answer, so it never learns a
 * nonce before the answer reveals it.
 */
public final class ChallengeService {
  public static final Duration MAX_CLAIM_SKEW = Duration.ofMinutes(10);
  /** Largest body: length prefix, the largest challenge, an answer. */
  public static final int MAX_BODY_BYTES = 2 + 1 + 16 + 32 + 32 + 8 + 32 + 2 + PossessionChallenge.MAX_ENVELOPE_LENGTH
      + ChallengeAnswer.LENGTH;

  /** The challenge id was answered before: nothing was stored. */
  public static final class AlreadyAnsweredException extends RuntimeException {
    public AlreadyAnsweredException() {
      super("this challenge was answered before", null, false, false);
    }
  }

  private final Jdbi jdbi;
  private final TransparencyLog log;
  private final Clock clock;

  public ChallengeService(Jdbi jdbi, TransparencyLog log, Clock clock) {
    this.jdbi = jdbi;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Verifies and stores an answer.
   *
   * @throws InvalidInputException if anything does not verify
   * @throws AlreadyAnsweredException if this challenge id has an answer already
   */
  public ChallengeAnswered answer(ReviewerPrincipal principal, VerifiedBody body) throws IOException {
    byte[] all = body.readNBytes(MAX_BODY_BYTES + 1);
    if (all.length > MAX_BODY_BYTES) {
      throw new PayloadTooLargeException();
    }
    body.finish();
    PossessionChallenge challenge;
    ChallengeAnswer answer;
    try {
      LengthPrefixed.Parts parts = LengthPrefixed.split(all);
      challenge = PossessionChallenge.parse(parts.first());
      answer = ChallengeAnswer.parse(parts.second());
    } catch (CryptoException e) {
      throw new InvalidInputException("error.form");
    }
    Instant now = clock.instant();
    if (!challenge.reviewerKey().equals(principal.entry().signingKey())
        || !challenge.recipient().equals(principal.entry().encryptionKey().fingerprint())
        || !answer.verifies(challenge)
        || challenge.issuedAt().isAfter(now.plus(MAX_CLAIM_SKEW))
        || Duration.between(answer.answeredAt(), now).abs().compareTo(MAX_CLAIM_SKEW) > 0) {
      throw new InvalidInputException("error.form");
    }
    byte[] id = challenge.id();
    byte[] challengeBytes = challenge.encoded();
    byte[] answerBytes = answer.encoded();
    byte[] reviewer = principal.signingKeyFingerprint().toBytes();
    Long seq = jdbi.inTransaction(h -> {
      ChallengeDao dao = h.attach(ChallengeDao.class);
      dao.lock();
      if (dao.countId(id) > 0) {
        return null;
      }
      dao.insert(id, reviewer, now.getEpochSecond(), challengeBytes, answerBytes);
      long stored = dao.seqOf(id);
      log.append(LogLeaf.of(LogLeaf.EntryType.CHALLENGE, now, answer.hash()), h);
      return stored;
    });
    if (seq == null) {
      throw new AlreadyAnsweredException();
    }
    return new ChallengeAnswered(seq, HexFormat.of().formatHex(id));
  }
}

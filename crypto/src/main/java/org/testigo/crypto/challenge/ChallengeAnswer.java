package org.testigo.crypto.challenge;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A reviewer's answer to a {@link PossessionChallenge}, format version 1 (185 bytes;
 * docs/spec/merkle-log-and-proofs.md §5.1, "ChallengeAnswer v1"):
 *
 * <pre>
 * body = version (0x01)
 *     || challenge_sha256 (32)     SHA-256 of the PossessionChallenge v1 encoding
 *     || challenge_id (16)
 *     || reviewer_signing_key (32)
 *     || nonce (32)                the opened nonce; its hash is the challenge's commitment
 *     || answered_at (int64 epoch seconds, 0 .. 253402300799)
 * signature = Ed25519(reviewer, "testigo-sig-v1" || 0x00 || "challenge-v1" || 0x00 || body)
 * encoded   = body || signature (64)
 * </pre>
 *
 * <p>Guarantees: {@link #parse} accepts exactly one encoding per answer and throws the generic
 * {@link CryptoException} otherwise. {@link #verifies} is true only if the answer names this
 * challenge (hash and id), its key is the challenge's reviewer key, the nonce matches the
 * commitment, and the signature verifies under that key.
 *
 * <p>WARNING: the nonce is public once answered; an answer is single-use (the server refuses
 * a second answer to the same challenge id) and proves possession only for a challenge whose
 * issuer knows it did not disclose the nonce.
 */
public final class ChallengeAnswer {
  public static final int VERSION = 1;
  public static final int BODY_LENGTH = 1 + 32 + PossessionChallenge.ID_LENGTH + SigningPublicKey.LENGTH
      + PossessionChallenge.NONCE_LENGTH + 8;
  public static final int LENGTH = BODY_LENGTH + SigningPublicKey.SIGNATURE_LENGTH;

  private final byte[] body;
  private final byte[] signature;
  private final byte[] challengeHash;
  private final byte[] challengeId;
  private final SigningPublicKey reviewerKey;
  private final byte[] nonce;
  private final Instant answeredAt;

  private ChallengeAnswer(byte[] body, byte[] signature) {
    this.body = body;
    this.signature = signature;
    ByteBuffer b = ByteBuffer.wrap(body, 1, BODY_LENGTH - 1);
    challengeHash = new byte[32];
    b.get(challengeHash);
    challengeId = new byte[PossessionChallenge.ID_LENGTH];
    b.get(challengeId);
    byte[] key = new byte[SigningPublicKey.LENGTH];
    b.get(key);
    reviewerKey = SigningPublicKey.fromBytes(key);
    nonce = new byte[PossessionChallenge.NONCE_LENGTH];
    b.get(nonce);
    long seconds = b.getLong();
    if (seconds < 0 || seconds > PossessionChallenge.MAX_ISSUED_AT) {
      throw new IllegalArgumentException("answer time out of range");
    }
    answeredAt = Instant.ofEpochSecond(seconds);
  }

  /**
   * Answers {@code challenge} with the nonce opened from it, signed by {@code reviewer}.
   *
   * @throws IllegalArgumentException if the key is not the challenge's reviewer key or the
   *     nonce does not match the commitment
   */
  public static ChallengeAnswer sign(PossessionChallenge challenge, byte[] nonce, SigningPrivateKey reviewer,
      Instant answeredAt) {
    if (!reviewer.publicKey().equals(challenge.reviewerKey()) || !challenge.matchesCommitment(nonce)) {
      throw new IllegalArgumentException("this key or nonce does not answer this challenge");
    }
    byte[] body = ByteBuffer.allocate(BODY_LENGTH).put((byte) VERSION).put(challenge.hash()).put(challenge.id())
        .put(reviewer.publicKey().toBytes()).put(nonce).putLong(answeredAt.getEpochSecond()).array();
    return new ChallengeAnswer(body, reviewer.sign(SignatureDomain.CHALLENGE, body));
  }

  /**
   * Parses the strict v1 encoding (signature not checked: see {@link #verifies}).
   *
   * @throws CryptoException (generic) on any defect
   */
  public static ChallengeAnswer parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length != LENGTH || encoded[0] != VERSION) {
      throw new CryptoException();
    }
    try {
      return new ChallengeAnswer(Arrays.copyOf(encoded, BODY_LENGTH),
          Arrays.copyOfRange(encoded, BODY_LENGTH, LENGTH));
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
  }

  /** True only if this is a valid answer to exactly {@code challenge}. Never throws. */
  public boolean verifies(PossessionChallenge challenge) {
    return challenge != null && MessageDigest.isEqual(challengeHash, challenge.hash())
        && MessageDigest.isEqual(challengeId, challenge.id()) && reviewerKey.equals(challenge.reviewerKey())
        && challenge.matchesCommitment(nonce) && reviewerKey.verify(SignatureDomain.CHALLENGE, body, signature);
  }

  /** SHA-256 of the encoding: the object hash of the answer's CHALLENGE log leaf. */
  public byte[] hash() {
    return PossessionChallenge.sha256().digest(encoded());
  }

  public byte[] encoded() {
    byte[] out = Arrays.copyOf(body, LENGTH);
    System.arraycopy(signature, 0, out, BODY_LENGTH, signature.length);
    return out;
  }

  public byte[] challengeHash() {
    return challengeHash.clone();
  }

  public byte[] challengeId() {
    return challengeId.clone();
  }

  public SigningPublicKey reviewerKey() {
    return reviewerKey;
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  public Instant answeredAt() {
    return answeredAt;
  }

  @Override
  public String toString() {
    return "ChallengeAnswer[v1, challenge=" + java.util.HexFormat.of().formatHex(challengeId) + ", reviewer="
        + reviewerKey.fingerprint().shortForm() + ", answered=" + answeredAt + "]";
  }
}

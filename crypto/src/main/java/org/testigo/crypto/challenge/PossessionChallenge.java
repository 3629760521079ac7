package org.testigo.crypto.challenge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A possession challenge, format version 1: a random nonce that an auditor seals to exactly
 * one reviewer's X-Wing key, so that the reviewer can show they can still open envelopes
 * sealed to it (docs/spec/merkle-log-and-proofs.md §5.1, "PossessionChallenge v1"). The auditor needs no private
 * key; the nonce is not kept anywhere: the challenge carries only its commitment.
 *
 * <pre>
 * version (0x01)
 * || challenge_id (16, random)
 * || reviewer_signing_key (32)     Ed25519 key that must sign the answer
 * || recipient_fingerprint (32)    fingerprint of the X-Wing key the nonce is sealed to
 * || issued_at (int64 epoch seconds, 0 .. 253402300799)
 * || commitment (32)               SHA-256("testigo-challenge-nonce-v1" || 0x00 || nonce)
 * || envelope_length (uint16, 1 .. 8192)
 * || envelope                      envelope v1, context "possession-challenge", exactly one
 *                                  recipient (recipient_fingerprint), plaintext = nonce (32)
 * </pre>
 *
 * <p>Guarantees: {@link #parse} accepts exactly this layout (exact length, valid key point,
 * an envelope header of the right context naming exactly the stated recipient) and throws the
 * generic {@link CryptoException} otherwise. {@link #openNonce} returns the nonce only if the
 * envelope opens with the given key and the nonce matches the commitment.
 *
 * <p>WARNING: anyone can build a challenge for any reviewer, including the reviewer
 * themselves (who then knows the nonce without opening anything). A passed challenge proves
 * possession only to whoever knows they issued it (the auditor's own record of challenge
 * ids); see {@link ChallengeAnswer}.
 */
public final class PossessionChallenge {
  public static final int VERSION = 1;
  public static final int ID_LENGTH = 16;
  public static final int NONCE_LENGTH = 32;
  public static final int MAX_ENVELOPE_LENGTH = 8192;
  public static final long MAX_ISSUED_AT = 253402300799L;
  static final int FIXED_LENGTH = 1 + ID_LENGTH + SigningPublicKey.LENGTH + Fingerprint.LENGTH + 8 + 32 + 2;
  private static final byte[] COMMIT_TAG = "testigo-challenge-nonce-v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] encoded;
  private final byte[] id;
  private final SigningPublicKey reviewerKey;
  private final Fingerprint recipient;
  private final Instant issuedAt;
  private final byte[] commitment;
  private final byte[] envelope;

  private PossessionChallenge(byte[] encoded, byte[] id, SigningPublicKey reviewerKey, Fingerprint recipient,
      Instant issuedAt, byte[] commitment, byte[] envelope) {
    this.encoded = encoded;
    this.id = id;
    this.reviewerKey = reviewerKey;
    this.recipient = recipient;
    this.issuedAt = issuedAt;
    this.commitment = commitment;
    this.envelope = envelope;
  }

  /**
   * Issues a challenge to the reviewer with signing key {@code reviewerKey} and X-Wing key
   * {@code recipientKey}: a fresh random id and nonce; the nonce is sealed and forgotten.
   */
  public static PossessionChallenge issue(SigningPublicKey reviewerKey, RecipientPublicKey recipientKey,
      Instant issuedAt, SecureRandom random) {
    byte[] id = new byte[ID_LENGTH];
    random.nextBytes(id);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    try {
      ByteArrayOutputStream sealed = new ByteArrayOutputStream();
      Envelope.seal(new ByteArrayInputStream(nonce), sealed, List.of(recipientKey), Envelope.CONTEXT_CHALLENGE,
          random);
      return assemble(id, reviewerKey, recipientKey.fingerprint(), issuedAt, commitment(nonce), sealed.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Arrays.fill(nonce, (byte) 0);
    }
  }

  /** Builds the encoding from its parts (for tests and golden files); checks ranges only. */
  static PossessionChallenge assemble(byte[] id, SigningPublicKey reviewerKey, Fingerprint recipient,
      Instant issuedAt, byte[] commitment, byte[] envelope) {
    long seconds = issuedAt.getEpochSecond();
    if (id.length != ID_LENGTH || commitment.length != 32 || seconds < 0 || seconds > MAX_ISSUED_AT
        || envelope.length < 1 || envelope.length > MAX_ENVELOPE_LENGTH) {
      throw new IllegalArgumentException("challenge field out of range");
    }
    byte[] out = ByteBuffer.allocate(FIXED_LENGTH + envelope.length).put((byte) VERSION).put(id)
        .put(reviewerKey.toBytes()).put(recipient.toBytes()).putLong(seconds).put(commitment)
        .putShort((short) envelope.length).put(envelope).array();
    return new PossessionChallenge(out, id.clone(), reviewerKey, recipient, Instant.ofEpochSecond(seconds),
        commitment.clone(), envelope.clone());
  }

  /**
   * Parses the strict v1 encoding, including the envelope header.
   *
   * @throws CryptoException (generic) on any defect
   */
  public static PossessionChallenge parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length < FIXED_LENGTH + 1
        || encoded.length > FIXED_LENGTH + MAX_ENVELOPE_LENGTH || encoded[0] != VERSION) {
      throw new CryptoException();
    }
    ByteBuffer b = ByteBuffer.wrap(encoded, 1, encoded.length - 1);
    byte[] id = new byte[ID_LENGTH];
    b.get(id);
    byte[] key = new byte[SigningPublicKey.LENGTH];
    b.get(key);
    byte[] fp = new byte[Fingerprint.LENGTH];
    b.get(fp);
    long seconds = b.getLong();
    byte[] commitment = new byte[32];
    b.get(commitment);
    int n = b.getShort() & 0xffff;
    if (seconds < 0 || seconds > MAX_ISSUED_AT || n < 1 || n > MAX_ENVELOPE_LENGTH || b.remaining() != n) {
      throw new CryptoException();
    }
    byte[] envelope = new byte[n];
    b.get(envelope);
    SigningPublicKey reviewerKey;
    try {
      reviewerKey = SigningPublicKey.fromBytes(key);
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
    Fingerprint recipient = Fingerprint.fromBytes(fp);
    EnvelopeInfo info;
    try {
      info = Envelope.inspectHeader(new ByteArrayInputStream(envelope));
    } catch (IOException e) {
      throw new CryptoException();
    }
    if (info.version() != Envelope.VERSION || !Envelope.CONTEXT_CHALLENGE.equals(info.context())
        || !info.recipients().equals(List.of(recipient)) || info.headerLength() >= n) {
      throw new CryptoException();
    }
    return new PossessionChallenge(encoded.clone(), id, reviewerKey, recipient, Instant.ofEpochSecond(seconds),
        commitment, envelope);
  }

  /**
   * Opens the sealed nonce with {@code key} (the reviewer's) and returns it if it matches the
   * commitment.
   *
   * @throws CryptoException (generic) if the envelope does not open with this key or the
   *     nonce is not the committed one
   */
  public byte[] openNonce(RecipientPrivateKey key) throws CryptoException {
    byte[] nonce = Envelope.open(envelope, key, Envelope.CONTEXT_CHALLENGE);
    if (!matchesCommitment(nonce)) {
      throw new CryptoException();
    }
    return nonce;
  }

  /** True if {@code nonce} is the nonce this challenge commits to. Constant time. */
  public boolean matchesCommitment(byte[] nonce) {
    return nonce != null && nonce.length == NONCE_LENGTH && MessageDigest.isEqual(commitment, commitment(nonce));
  }

  /** {@code SHA-256("testigo-challenge-nonce-v1" || 0x00 || nonce)}. */
  public static byte[] commitment(byte[] nonce) {
    MessageDigest d = sha256();
    d.update(COMMIT_TAG);
    d.update((byte) 0);
    return d.digest(nonce);
  }

  /** SHA-256 of the encoding; what an answer binds. */
  public byte[] hash() {
    return sha256().digest(encoded);
  }

  public byte[] encoded() {
    return encoded.clone();
  }

  public byte[] id() {
    return id.clone();
  }

  public String idHex() {
    return HexFormat.of().formatHex(id);
  }

  public SigningPublicKey reviewerKey() {
    return reviewerKey;
  }

  public Fingerprint recipient() {
    return recipient;
  }

  public Instant issuedAt() {
    return issuedAt;
  }

  public byte[] commitment() {
    return commitment.clone();
  }

  public byte[] envelope() {
    return envelope.clone();
  }

  @Override
  public String toString() {
    return "PossessionChallenge[v1, id=" + idHex() + ", reviewer=" + reviewerKey.fingerprint().shortForm()
        + ", issued=" + issuedAt + "]";
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

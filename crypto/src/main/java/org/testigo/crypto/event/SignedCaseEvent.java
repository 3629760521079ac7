package org.testigo.crypto.event;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A signed case event, format version 1: the part of a triage action that the server stores
 * and can check without reading it. The content (what was done) is a separate envelope,
 * context {@code case-event}, sealed to the reviewers; this record binds it by hash.
 *
 * <p>Byte layout (all integers big-endian; docs/spec/case-events.md, "SignedCaseEvent v1"):
 *
 * <pre>
 * body   = version (0x01)
 *       || case_id (16)              public id of the report the case is about
 *       || author (32)               Ed25519 public key of the signer
 *       || lamport (uint64, 1 .. 2^63-1)
 *       || created_at (int64 epoch seconds, 0 .. 253402300799)
 *       || content_sha256 (32)       SHA-256 of the sealed content envelope bytes
 *       || parent_count (uint8, 0..16)
 *       || parents (parent_count x 32, strictly ascending, unsigned bytewise)
 * event_id = SHA-256(body)
 * signature = Ed25519(author, "testigo-sig-v1" || 0x00 || "case-event-v1" || 0x00 || body)
 * encoded  = body || signature (64)          length 162 + 32 * parent_count
 * </pre>
 *
 * <p>Guarantees: {@link #parse} accepts exactly one encoding per event (canonical parent
 * order, no duplicates, exact length, valid author point) and throws the generic
 * {@link CryptoException} otherwise. {@link #verify} is true only for a valid signature by
 * the given key, which must also be the embedded author key.
 *
 * <p>WARNING: a parsed event is not trustworthy until {@link #verify} succeeds AND the author
 * is checked against the key manifest in force at {@link #createdAt()}; {@code created_at}
 * is the author's claim, not a server timestamp. Use {@link #matchesContent} before opening
 * the content envelope that travels beside the event.
 */
public final class SignedCaseEvent {
  public static final int VERSION = 1;
  public static final int MAX_PARENTS = 16;
  public static final int SIGNATURE_LENGTH = SigningPublicKey.SIGNATURE_LENGTH;
  public static final int CONTENT_HASH_LENGTH = 32;
  /** Fixed part of the body: version, case id, author, lamport, time, content hash, count. */
  public static final int FIXED_BODY_LENGTH =
      1 + CaseId.LENGTH + SigningPublicKey.LENGTH + 8 + 8 + CONTENT_HASH_LENGTH + 1;
  public static final int MIN_ENCODED_LENGTH = FIXED_BODY_LENGTH + SIGNATURE_LENGTH;
  public static final int MAX_ENCODED_LENGTH =
      MIN_ENCODED_LENGTH + MAX_PARENTS * EventId.LENGTH;
  /** 9999-12-31T23:59:59Z, the latest creation time v1 accepts. */
  public static final long MAX_CREATED_AT = 253402300799L;

  private final byte[] body;
  private final byte[] signature;
  private final CaseId caseId;
  private final SigningPublicKey author;
  private final long lamport;
  private final Instant createdAt;
  private final byte[] contentHash;
  private final List<EventId> parents;
  private final EventId eventId;

  private SignedCaseEvent(byte[] body, byte[] signature, CaseId caseId,
      SigningPublicKey author, long lamport, Instant createdAt, byte[] contentHash,
      List<EventId> parents) {
    this.body = body;
    this.signature = signature;
    this.caseId = caseId;
    this.author = author;
    this.lamport = lamport;
    this.createdAt = createdAt;
    this.contentHash = contentHash;
    this.parents = parents;
    this.eventId = EventId.fromBytes(sha256(body));
  }

  /**
   * Signs a new event over the sealed content envelope {@code sealedContent}.
   * {@code createdAt} is truncated to whole seconds; parents are sorted and deduplicated.
   *
   * @throws IllegalArgumentException if a field is out of range (see the class layout)
   */
  public static SignedCaseEvent sign(SigningPrivateKey author, CaseId caseId, long lamport,
      Collection<EventId> parents, Instant createdAt, byte[] sealedContent) {
    return signHash(author, caseId, lamport, parents, createdAt, contentHash(sealedContent));
  }

  /** As {@link #sign}, given the SHA-256 of the sealed content instead of the content. */
  public static SignedCaseEvent signHash(SigningPrivateKey author, CaseId caseId, long lamport,
      Collection<EventId> parents, Instant createdAt, byte[] contentSha256) {
    byte[] body = body(caseId, author.publicKey(), lamport, parents, createdAt, contentSha256);
    return fromBody(body, author.sign(SignatureDomain.CASE_EVENT, body));
  }

  /**
   * Assembles an event from stored parts and a signature, without checking the signature
   * (call {@link #verify}). Parents are sorted and deduplicated.
   *
   * @throws IllegalArgumentException if a field is out of range or the signature is not 64
   *     bytes
   */
  public static SignedCaseEvent create(CaseId caseId, SigningPublicKey author, long lamport,
      Collection<EventId> parents, Instant createdAt, byte[] contentSha256, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
    }
    return fromBody(body(caseId, author, lamport, parents, createdAt, contentSha256),
        signature.clone());
  }

  /** The body bytes that are hashed into the event id and signed. */
  public static byte[] body(CaseId caseId, SigningPublicKey author, long lamport,
      Collection<EventId> parents, Instant createdAt, byte[] contentSha256) {
    if (caseId == null || author == null || parents == null || createdAt == null
        || contentSha256 == null) {
      throw new IllegalArgumentException("every case event field is required");
    }
    if (lamport < 1) {
      throw new IllegalArgumentException("the Lamport counter starts at 1");
    }
    long seconds = createdAt.getEpochSecond();
    if (seconds < 0 || seconds > MAX_CREATED_AT) {
      throw new IllegalArgumentException("creation time out of range");
    }
    if (contentSha256.length != CONTENT_HASH_LENGTH) {
      throw new IllegalArgumentException("the content hash is 32 bytes");
    }
    TreeSet<EventId> sorted = new TreeSet<>();
    for (EventId p : parents) {
      if (p == null) {
        throw new IllegalArgumentException("a parent id is null");
      }
      sorted.add(p);
    }
    if (sorted.size() > MAX_PARENTS) {
      throw new IllegalArgumentException("at most 16 parents");
    }
    ByteBuffer b = ByteBuffer.allocate(FIXED_BODY_LENGTH + sorted.size() * EventId.LENGTH);
    b.put((byte) VERSION).put(caseId.toBytes()).put(author.toBytes()).putLong(lamport)
        .putLong(seconds).put(contentSha256).put((byte) sorted.size());
    for (EventId p : sorted) {
      b.put(p.toBytes());
    }
    return b.array();
  }

  /**
   * Parses the strict v1 encoding.
   *
   * @throws CryptoException (generic) on any defect: length, version, range, parent order,
   *     invalid author key
   */
  public static SignedCaseEvent parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length < MIN_ENCODED_LENGTH
        || encoded.length > MAX_ENCODED_LENGTH || encoded[0] != VERSION) {
      throw new CryptoException();
    }
    int count = encoded[FIXED_BODY_LENGTH - 1] & 0xff;
    if (count > MAX_PARENTS
        || encoded.length != MIN_ENCODED_LENGTH + count * EventId.LENGTH) {
      throw new CryptoException();
    }
    int bodyLength = encoded.length - SIGNATURE_LENGTH;
    byte[] body = Arrays.copyOf(encoded, bodyLength);
    byte[] signature = Arrays.copyOfRange(encoded, bodyLength, encoded.length);
    try {
      return fromBody(body, signature);
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
  }

  private static SignedCaseEvent fromBody(byte[] body, byte[] signature) {
    ByteBuffer b = ByteBuffer.wrap(body);
    b.get();
    byte[] caseBytes = new byte[CaseId.LENGTH];
    b.get(caseBytes);
    byte[] authorBytes = new byte[SigningPublicKey.LENGTH];
    b.get(authorBytes);
    long lamport = b.getLong();
    long seconds = b.getLong();
    byte[] contentHash = new byte[CONTENT_HASH_LENGTH];
    b.get(contentHash);
    int count = b.get() & 0xff;
    if (lamport < 1 || seconds < 0 || seconds > MAX_CREATED_AT || count > MAX_PARENTS
        || b.remaining() != count * EventId.LENGTH) {
      throw new IllegalArgumentException("invalid case event");
    }
    List<EventId> parents = new ArrayList<>(count);
    EventId previous = null;
    for (int i = 0; i < count; i++) {
      byte[] p = new byte[EventId.LENGTH];
      b.get(p);
      EventId id = EventId.fromBytes(p);
      if (previous != null && previous.compareTo(id) >= 0) {
        throw new IllegalArgumentException("parents must be strictly ascending");
      }
      parents.add(id);
      previous = id;
    }
    return new SignedCaseEvent(body, signature, CaseId.fromBytes(caseBytes),
        SigningPublicKey.fromBytes(authorBytes), lamport, Instant.ofEpochSecond(seconds),
        contentHash, List.copyOf(parents));
  }

  /**
   * True only if {@code key} is this event's author key and the signature over the body
   * verifies under {@link SignatureDomain#CASE_EVENT}. Never throws.
   */
  public boolean verify(SigningPublicKey key) {
    return key != null && key.equals(author)
        && key.verify(SignatureDomain.CASE_EVENT, body, signature);
  }

  /** As {@link #verify}, throwing the generic exception on failure. */
  public void verifyOrThrow(SigningPublicKey key) throws CryptoException {
    if (!verify(key)) {
      throw new CryptoException();
    }
  }

  /** True if {@code sealedContent} hashes to the content hash this event signs. */
  public boolean matchesContent(byte[] sealedContent) {
    return sealedContent != null
        && MessageDigest.isEqual(contentHash, contentHash(sealedContent));
  }

  /** SHA-256 of a sealed content envelope, as carried in the event. */
  public static byte[] contentHash(byte[] sealedContent) {
    return sha256(sealedContent);
  }

  public int version() {
    return VERSION;
  }

  public EventId eventId() {
    return eventId;
  }

  public CaseId caseId() {
    return caseId;
  }

  public SigningPublicKey author() {
    return author;
  }

  public long lamport() {
    return lamport;
  }

  /** Sorted ascending (unsigned bytewise), no duplicates; unmodifiable. */
  public List<EventId> parents() {
    return parents;
  }

  /** The author's claimed creation time, whole seconds. */
  public Instant createdAt() {
    return createdAt;
  }

  public byte[] contentSha256() {
    return contentHash.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The signed body (event id = SHA-256 of it). */
  public byte[] body() {
    return body.clone();
  }

  /** {@code body || signature}, what {@link #parse} reads. */
  public byte[] encoded() {
    byte[] out = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, out, body.length, signature.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedCaseEvent e && MessageDigest.isEqual(encoded(), e.encoded());
  }

  @Override
  public int hashCode() {
    return eventId.hashCode();
  }

  @Override
  public String toString() {
    return "SignedCaseEvent[v1, id=" + eventId.hex() + ", case=" + caseId.hex() + ", author="
        + author.fingerprint().hex() + ", lamport=" + lamport + ", parents=" + parents.size()
        + ", created=" + createdAt + "]";
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

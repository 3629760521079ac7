package org.testigo.crypto.merkle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.testigo.crypto.CryptoException;

/**
 * One entry of the transparency log, leaf format v1 (38 bytes):
 *
 * <pre>
 * 0x01 (version) || entry_type (u8) || day (uint32 BE, days since 1970-01-01 UTC)
 *                || object_hash (32, SHA-256 of the exact bytes the server stored)
 * </pre>
 *
 * The Merkle leaf hash is {@code SHA-256(0x00 || leaf)} (RFC 9162). The day is the UTC day
 * the server accepted the object; nothing finer is recorded (ARCHITECTURE invariant 2). The
 * object hash is SHA-256 of the envelope file for a submission or reply, of the signed
 * encoding for a case event or a key manifest ({@code SignedManifest.hash()}), of the
 * {@code RewrapRecord} (envelope, replaced header, new header) for a rewrap, of the
 * ChallengeAnswer v1 encoding for a possession challenge. A
 * leaf reveals nothing of content beyond that hash, its type and its day.
 */
public final class LogLeaf {
  public static final int VERSION = 1;
  public static final int LENGTH = 1 + 1 + 4 + 32;

  /** Entry types; codes are never reused. */
  public enum EntryType {
    SUBMISSION(1, "submission"),
    CASE_EVENT(2, "case-event"),
    REPLY(3, "reply"),
    MANIFEST(4, "manifest"),
    REWRAP(5, "rewrap"),
    CHALLENGE(6, "challenge"),
    /** An applied erasure decision; object hash = SHA-256 of the ErasureDecision v1 encoding. */
    ERASURE(7, "erasure");

    private final int code;
    private final String label;

    EntryType(int code, String label) {
      this.code = code;
      this.label = label;
    }

    public int code() {
      return code;
    }

    public String label() {
      return label;
    }

    static EntryType ofCode(int code) throws CryptoException {
      for (EntryType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new CryptoException();
    }
  }

  private final EntryType type;
  private final long day;
  private final byte[] objectHash;

  private LogLeaf(EntryType type, long day, byte[] objectHash) {
    this.type = type;
    this.day = day;
    this.objectHash = objectHash;
  }

  /** A leaf for an object with SHA-256 {@code objectHash}, accepted at {@code acceptedAt}. */
  public static LogLeaf of(EntryType type, Instant acceptedAt, byte[] objectHash) {
    if (type == null || objectHash == null || objectHash.length != 32) {
      throw new IllegalArgumentException("a log leaf needs a type and a 32-byte object hash");
    }
    long d = LocalDate.ofInstant(acceptedAt, ZoneOffset.UTC).toEpochDay();
    if (d < 0 || d > 0xffffffffL) {
      throw new IllegalArgumentException("day outside the log's range");
    }
    return new LogLeaf(type, d, objectHash.clone());
  }

  /** A leaf for {@code objectBytes} (hashed here with SHA-256). */
  public static LogLeaf ofObject(EntryType type, Instant acceptedAt, byte[] objectBytes) {
    return of(type, acceptedAt, sha256(objectBytes));
  }

  /** Strict parse of the 38-byte encoding; the generic exception on any defect. */
  public static LogLeaf parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length != LENGTH || encoded[0] != VERSION) {
      throw new CryptoException();
    }
    ByteBuffer b = ByteBuffer.wrap(encoded, 1, LENGTH - 1);
    EntryType type = EntryType.ofCode(b.get() & 0xff);
    long day = b.getInt() & 0xffffffffL;
    byte[] h = new byte[32];
    b.get(h);
    return new LogLeaf(type, day, h);
  }

  public byte[] encoded() {
    return ByteBuffer.allocate(LENGTH).put((byte) VERSION).put((byte) type.code)
        .putInt((int) day).put(objectHash).array();
  }

  /** {@code SHA-256(0x00 || encoded())}, the Merkle leaf hash. */
  public byte[] leafHash() {
    return MerkleHash.leafHash(encoded());
  }

  public EntryType type() {
    return type;
  }

  public LocalDate day() {
    return LocalDate.ofEpochDay(day);
  }

  public byte[] objectHash() {
    return objectHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogLeaf l && Arrays.equals(encoded(), l.encoded());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded());
  }

  @Override
  public String toString() {
    return "LogLeaf[" + type.label + ", " + day() + ", " + HexFormat.of().formatHex(objectHash)
        + "]";
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

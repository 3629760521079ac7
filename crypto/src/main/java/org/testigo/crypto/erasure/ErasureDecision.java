package org.testigo.crypto.erasure;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * An erasure decision v1 (docs/spec/retention-and-erasure.md §2): which stored objects of a
 * case are to be erased, why, on what basis, signed by each reviewer who decides it. The
 * server deletes exactly the listed objects and logs the decision; auditors accept an object
 * missing from the log's store only when a decision that passes {@link ErasureRules} lists it.
 *
 * <p>Immutable. {@link #parse} is strict (one encoding per decision) and checks every
 * signature; whether the signers were allowed to decide is {@link ErasureRules}' question.
 */
public final class ErasureDecision {
  static final byte[] MAGIC = "TSTGERA".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  public static final String BEGIN = "-----BEGIN TESTIGO ERASURE DECISION-----";
  public static final String END = "-----END TESTIGO ERASURE DECISION-----";
  public static final int MAX_OBJECTS = 4096;
  public static final int MAX_SIGNERS = 8;
  /** Latest {@code decided_at} the format allows: 9999-12-31T23:59:59Z. */
  public static final long MAX_EPOCH_SECOND = 253402300799L;
  /** Fixed part of the body: magic, version, case, reason, basis, time, day, event, count. */
  static final int FIXED = 7 + 1 + 16 + 1 + 1 + 8 + 4 + 32 + 2;
  static final int SIGNER = SigningPublicKey.LENGTH + SigningPublicKey.SIGNATURE_LENGTH;
  /** Largest possible encoding (4096 objects, 8 signers). */
  public static final int MAX_LENGTH = FIXED + 32 * MAX_OBJECTS + 1 + SIGNER * MAX_SIGNERS;

  /** Why a case is erased (a closed list, public: auditors count erasures by reason). */
  public enum Reason {
    RETENTION_DUE(1, "retention_due"),
    SPAM(2, "spam"),
    SOURCE_REQUEST(3, "source_request"),
    DUPLICATE(4, "duplicate"),
    OTHER(5, "other");

    private final int code;
    private final String label;

    Reason(int code, String label) {
      this.code = code;
      this.label = label;
    }

    public int code() {
      return code;
    }

    public String label() {
      return label;
    }

    /** By label; both {@code source_request} and {@code source-request} are accepted. */
    public static Reason ofLabel(String label) {
      for (Reason r : values()) {
        if (r.label.equals(label) || r.label.replace('_', '-').equals(label)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown erasure reason '" + label + "' (one of"
          + " retention-due, spam, source-request, duplicate, other)");
    }

    static Reason ofCode(int code) throws CryptoException {
      for (Reason r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      throw new CryptoException();
    }
  }

  /** Whether the policy made the case due, or the reviewers decide before that. */
  public enum Basis {
    POLICY(1, "policy"),
    EARLY(2, "early");

    private final int code;
    private final String label;

    Basis(int code, String label) {
      this.code = code;
      this.label = label;
    }

    public int code() {
      return code;
    }

    public String label() {
      return label;
    }

    public static Basis ofLabel(String label) {
      for (Basis b : values()) {
        if (b.label.equals(label)) {
          return b;
        }
      }
      throw new IllegalArgumentException("unknown erasure basis '" + label + "' (policy or early)");
    }

    static Basis ofCode(int code) throws CryptoException {
      for (Basis b : values()) {
        if (b.code == code) {
          return b;
        }
      }
      throw new CryptoException();
    }
  }

  /**
   * What the signers sign. {@code policyDay} is null exactly for {@link Basis#EARLY};
   * {@code objectHashes} (SHA-256 of every stored envelope of the case) are sorted here and
   * may not repeat.
   */
  public record Body(CaseId caseId, Reason reason, Basis basis, Instant decidedAt,
      LocalDate policyDay, EventId recordEvent, List<byte[]> objectHashes) {
    public Body {
      if (caseId == null || reason == null || basis == null || decidedAt == null
          || recordEvent == null || objectHashes == null) {
        throw new IllegalArgumentException("case, reason, basis, time, record event and objects"
            + " are required");
      }
      decidedAt = Instant.ofEpochSecond(decidedAt.getEpochSecond());
      if (decidedAt.getEpochSecond() < 0 || decidedAt.getEpochSecond() > MAX_EPOCH_SECOND) {
        throw new IllegalArgumentException("decision time out of range");
      }
      if ((basis == Basis.EARLY) != (policyDay == null)) {
        throw new IllegalArgumentException("a decision by policy names the day the policy made"
            + " the case due; an early decision names none");
      }
      if (policyDay != null && (policyDay.toEpochDay() < 1 || policyDay.toEpochDay() > 0xffffffffL)) {
        throw new IllegalArgumentException("policy day out of range");
      }
      if (objectHashes.isEmpty() || objectHashes.size() > MAX_OBJECTS) {
        throw new IllegalArgumentException("a decision lists 1.." + MAX_OBJECTS + " objects");
      }
      List<byte[]> sorted = new ArrayList<>(objectHashes.size());
      for (byte[] h : objectHashes) {
        if (h == null || h.length != 32) {
          throw new IllegalArgumentException("an object hash is 32 bytes (SHA-256)");
        }
        sorted.add(h.clone());
      }
      sorted.sort(Arrays::compareUnsigned);
      for (int i = 1; i < sorted.size(); i++) {
        if (Arrays.equals(sorted.get(i - 1), sorted.get(i))) {
          throw new IllegalArgumentException("an object is listed twice");
        }
      }
      objectHashes = List.copyOf(sorted);
    }

    /** The signed bytes. */
    public byte[] encoded() {
      ByteBuffer b = ByteBuffer.allocate(FIXED + 32 * objectHashes.size());
      b.put(MAGIC).put((byte) VERSION).put(caseId.toBytes()).put((byte) reason.code)
          .put((byte) basis.code).putLong(decidedAt.getEpochSecond())
          .putInt(policyDay == null ? 0 : (int) policyDay.toEpochDay())
          .put(recordEvent.toBytes()).putShort((short) objectHashes.size());
      objectHashes.forEach(b::put);
      return b.array();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Body other && Arrays.equals(encoded(), other.encoded());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(encoded());
    }

    @Override
    public String toString() {
      return "ErasureDecision.Body[" + caseId.hex() + ", " + reason.label + ", " + basis.label
          + ", " + decidedAt + ", " + objectHashes.size() + " objects]";
    }
  }

  private record Signature(SigningPublicKey key, byte[] signature) {}

  private final Body body;
  private final byte[] bodyBytes;
  private final List<Signature> signatures;
  private final byte[] encoded;

  private ErasureDecision(Body body, byte[] bodyBytes, List<Signature> signatures) {
    this.body = body;
    this.bodyBytes = bodyBytes;
    List<Signature> sorted = new ArrayList<>(signatures);
    sorted.sort(Comparator.comparing(s -> s.key.toBytes(), Arrays::compareUnsigned));
    this.signatures = List.copyOf(sorted);
    ByteArrayOutputStream o = new ByteArrayOutputStream(bodyBytes.length + 1 + SIGNER * sorted.size());
    o.writeBytes(bodyBytes);
    o.write(sorted.size());
    for (Signature s : sorted) {
      o.writeBytes(s.key.toBytes());
      o.writeBytes(s.signature);
    }
    this.encoded = o.toByteArray();
  }

  /** A decision signed by its first signer. */
  public static ErasureDecision sign(Body body, SigningPrivateKey signer) {
    byte[] bytes = body.encoded();
    return new ErasureDecision(body, bytes,
        List.of(new Signature(signer.publicKey(), signer.sign(SignatureDomain.ERASURE, bytes))));
  }

  /** The same decision with one more signature. */
  public ErasureDecision cosign(SigningPrivateKey signer) {
    if (signers().contains(signer.publicKey())) {
      throw new IllegalArgumentException("this key has already signed the decision");
    }
    if (signatures.size() >= MAX_SIGNERS) {
      throw new IllegalArgumentException("a decision carries at most " + MAX_SIGNERS
          + " signatures");
    }
    List<Signature> more = new ArrayList<>(signatures);
    more.add(new Signature(signer.publicKey(), signer.sign(SignatureDomain.ERASURE, bodyBytes)));
    return new ErasureDecision(body, bodyBytes, more);
  }

  /**
   * Strict parse: exact length, magic, version, known reason and basis, policy day present
   * exactly for a decision by policy, objects and signers strictly ascending, valid keys, and
   * every signature verifies. Any defect: the generic {@link CryptoException}.
   */
  public static ErasureDecision parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length < FIXED + 32 + 1 + SIGNER
        || encoded.length > MAX_LENGTH) {
      throw new CryptoException();
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(encoded).asReadOnlyBuffer();
      byte[] magic = take(b, MAGIC.length);
      if (!Arrays.equals(magic, MAGIC) || (b.get() & 0xff) != VERSION) {
        throw new CryptoException();
      }
      CaseId caseId = CaseId.fromBytes(take(b, CaseId.LENGTH));
      Reason reason = Reason.ofCode(b.get() & 0xff);
      Basis basis = Basis.ofCode(b.get() & 0xff);
      long at = b.getLong();
      if (at < 0 || at > MAX_EPOCH_SECOND) {
        throw new CryptoException();
      }
      long day = b.getInt() & 0xffffffffL;
      if ((basis == Basis.EARLY) != (day == 0)) {
        throw new CryptoException();
      }
      EventId event = EventId.fromBytes(take(b, EventId.LENGTH));
      int n = b.getShort() & 0xffff;
      if (n < 1 || n > MAX_OBJECTS) {
        throw new CryptoException();
      }
      List<byte[]> hashes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] h = take(b, 32);
        if (i > 0 && Arrays.compareUnsigned(hashes.get(i - 1), h) >= 0) {
          throw new CryptoException();
        }
        hashes.add(h);
      }
      int bodyLength = b.position();
      int s = b.get() & 0xff;
      if (s < 1 || s > MAX_SIGNERS || b.remaining() != SIGNER * s) {
        throw new CryptoException();
      }
      byte[] bodyBytes = Arrays.copyOf(encoded, bodyLength);
      List<Signature> sigs = new ArrayList<>(s);
      byte[] previous = null;
      for (int i = 0; i < s; i++) {
        byte[] pk = take(b, SigningPublicKey.LENGTH);
        if (previous != null && Arrays.compareUnsigned(previous, pk) >= 0) {
          throw new CryptoException();
        }
        previous = pk;
        SigningPublicKey key = SigningPublicKey.fromBytes(pk);
        byte[] sig = take(b, SigningPublicKey.SIGNATURE_LENGTH);
        if (!key.verify(SignatureDomain.ERASURE, bodyBytes, sig)) {
          throw new CryptoException();
        }
        sigs.add(new Signature(key, sig));
      }
      Body body = new Body(caseId, reason, basis, Instant.ofEpochSecond(at),
          basis == Basis.EARLY ? null : LocalDate.ofEpochDay(day), event, hashes);
      ErasureDecision d = new ErasureDecision(body, bodyBytes, sigs);
      if (!Arrays.equals(d.encoded, encoded)) {
        throw new CryptoException();
      }
      return d;
    } catch (BufferUnderflowException | IllegalArgumentException
        | java.time.DateTimeException e) {
      throw new CryptoException();
    }
  }

  /** Parses the armored text form (one block; nothing but blank lines around it). */
  public static ErasureDecision parseArmored(String text) throws CryptoException {
    if (text == null || text.length() > 4 * MAX_LENGTH) {
      throw new CryptoException();
    }
    StringBuilder b64 = new StringBuilder();
    int state = 0;
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (state == 0) {
        if (line.isEmpty()) {
          continue;
        }
        if (!line.equals(BEGIN)) {
          throw new CryptoException();
        }
        state = 1;
      } else if (state == 1) {
        if (line.equals(END)) {
          state = 2;
        } else {
          b64.append(line);
        }
      } else if (!line.isEmpty()) {
        throw new CryptoException();
      }
    }
    if (state != 2) {
      throw new CryptoException();
    }
    try {
      return parse(Base64.getDecoder().decode(b64.toString()));
    } catch (IllegalArgumentException e) {
      throw new CryptoException();
    }
  }

  public String toArmored() {
    String b64 = Base64.getEncoder().encodeToString(encoded);
    StringBuilder s = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      s.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return s.append(END).append('\n').toString();
  }

  public byte[] encoded() {
    return encoded.clone();
  }

  /** SHA-256 of {@link #encoded()}: the object hash of the {@code erasure} log leaf. */
  public byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(encoded);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  public Body body() {
    return body;
  }

  public CaseId caseId() {
    return body.caseId();
  }

  /** The signers' keys, ascending. */
  public List<SigningPublicKey> signers() {
    return signatures.stream().map(Signature::key).toList();
  }

  /** The listed objects' SHA-256, ascending. */
  public List<byte[]> objectHashes() {
    return body.objectHashes().stream().map(byte[]::clone).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ErasureDecision d && Arrays.equals(encoded, d.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "ErasureDecision[" + body + ", " + signatures.size() + " signatures]";
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}

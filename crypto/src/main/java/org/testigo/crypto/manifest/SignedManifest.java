package org.testigo.crypto.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.TorClientAuthKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A key manifest v1 (v2 when any entry carries a Tor client-auth key) in its canonical binary encoding, followed by the root key's Ed25519
 * signature under {@link SignatureDomain#MANIFEST}. The encoding is specified byte by byte
 * in SECURITY.md; {@link #parse} accepts only canonical encodings (exact lengths, no
 * trailing bytes, reviewers sorted and unique, known version and roles), so one manifest
 * has exactly one encoding and {@link #hash()} (SHA-256 over the whole signed encoding)
 * identifies it.
 *
 * <p>Parsing checks structure only. {@link #verify(Fingerprint)} checks that the root key
 * is the pinned one and the signature is valid; use {@link ManifestChain#verify} to accept
 * a manifest as current.
 */
public final class SignedManifest {
  static final byte[] MAGIC = "TSTGMAN".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  /**
   * The version written when any entry carries a Tor client-auth key: each entry then ends
   * with {@code u8 has_tor (0|1) [32 x25519 key]}. A manifest without one is always v1, so a v2
   * encoding with no key is not canonical and fails to parse.
   */
  public static final int VERSION_TOR = 2;
  /**
   * Written when, and only when, the manifest carries a retention policy: entries as in v2,
   * then the 7-byte policy block (docs/spec/retention-and-erasure.md §1).
   */
  public static final int VERSION_RETENTION = 3;
  public static final String BEGIN = "-----BEGIN TESTIGO KEY MANIFEST-----";
  public static final String END = "-----END TESTIGO KEY MANIFEST-----";
  /** Upper bound on an encoded manifest: 1000 reviewers of at most ~1.4 KB each. */
  public static final int MAX_LENGTH = 2 * 1024 * 1024;

  private final byte[] encoded;
  private final int bodyLength;
  private final KeyManifest manifest;

  private SignedManifest(byte[] encoded, int bodyLength, KeyManifest manifest) {
    this.encoded = encoded;
    this.bodyLength = bodyLength;
    this.manifest = manifest;
  }

  /**
   * Encodes and signs {@code manifest}.
   *
   * @throws IllegalArgumentException if {@code root} is not the manifest's root key
   */
  public static SignedManifest sign(KeyManifest manifest, SigningPrivateKey root) {
    if (!root.publicKey().equals(manifest.rootKey())) {
      throw new IllegalArgumentException("the signing key is not the manifest's root key");
    }
    byte[] body = encodeBody(manifest);
    byte[] sig = root.sign(SignatureDomain.MANIFEST, body);
    byte[] all = Arrays.copyOf(body, body.length + sig.length);
    System.arraycopy(sig, 0, all, body.length, sig.length);
    return new SignedManifest(all, body.length, manifest);
  }

  /** Strict structural parse; does not check the signature. */
  public static SignedManifest parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length > MAX_LENGTH) {
      throw new CryptoException();
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(encoded).asReadOnlyBuffer();
      KeyManifest m = decodeBody(b);
      int bodyLength = b.position();
      if (b.remaining() != SigningPublicKey.SIGNATURE_LENGTH) {
        throw new CryptoException();
      }
      byte[] copy = encoded.clone();
      if (!Arrays.equals(encodeBody(m), 0, bodyLength, copy, 0, bodyLength)) {
        throw new CryptoException();
      }
      return new SignedManifest(copy, bodyLength, m);
    } catch (RuntimeException e) {
      throw new CryptoException();
    }
  }

  public byte[] encoded() {
    return encoded.clone();
  }

  public KeyManifest manifest() {
    return manifest;
  }

  /** SHA-256 over the full signed encoding (body and signature). */
  public Fingerprint hash() {
    try {
      return Fingerprint.fromBytes(MessageDigest.getInstance("SHA-256").digest(encoded));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** The 64-byte root signature. */
  public byte[] signature() {
    return Arrays.copyOfRange(encoded, bodyLength, encoded.length);
  }

  /**
   * Checks that the manifest's root key has fingerprint {@code pinnedRootFingerprint}
   * ({@code Fingerprint.of("testigo-root-v1", rootPk)}) and that the signature over the body
   * is valid. Throws the generic {@link CryptoException} otherwise.
   */
  public void verify(Fingerprint pinnedRootFingerprint) throws CryptoException {
    if (pinnedRootFingerprint == null
        || !manifest.rootFingerprint().equals(pinnedRootFingerprint)) {
      throw new CryptoException();
    }
    byte[] body = Arrays.copyOf(encoded, bodyLength);
    manifest.rootKey().verifyOrThrow(SignatureDomain.MANIFEST, body, signature());
  }

  /** Base64 of {@link #encoded()} in 64-character lines between BEGIN and END lines. */
  public String toArmored() {
    String b64 = Base64.getEncoder().encodeToString(encoded);
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return sb.append(END).append('\n').toString();
  }

  /** Parses every armored manifest block in {@code text}, in order (see {@link #toArmored}). */
  public static List<SignedManifest> parseArmored(String text) throws CryptoException {
    if (text == null) {
      throw new CryptoException();
    }
    List<SignedManifest> out = new ArrayList<>();
    StringBuilder current = null;
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      String line = raw.strip();
      if (line.equals(BEGIN)) {
        if (current != null) {
          throw new CryptoException();
        }
        current = new StringBuilder();
      } else if (line.equals(END)) {
        if (current == null) {
          throw new CryptoException();
        }
        try {
          out.add(parse(Base64.getDecoder().decode(current.toString())));
        } catch (IllegalArgumentException e) {
          throw new CryptoException();
        }
        current = null;
      } else if (current != null) {
        current.append(line);
      } else if (!line.isEmpty()) {
        throw new CryptoException();
      }
    }
    if (current != null || out.isEmpty()) {
      throw new CryptoException();
    }
    return out;
  }

  // ---- canonical encoding ----

  static byte[] encodeBody(KeyManifest m) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    boolean retention = m.retention() != null;
    boolean tor = retention || m.hasTorClientAuthKeys();
    o.writeBytes(MAGIC);
    o.write(retention ? VERSION_RETENTION : tor ? VERSION_TOR : VERSION);
    writeLong(o, m.sequence());
    if (m.previousHash() == null) {
      o.write(0);
    } else {
      o.write(1);
      o.writeBytes(m.previousHash().toBytes());
    }
    byte[] org = m.organisation().getBytes(StandardCharsets.UTF_8);
    writeShort(o, org.length);
    o.writeBytes(org);
    o.writeBytes(m.rootKey().toBytes());
    o.writeBytes(m.logKey().toBytes());
    writeLong(o, m.issuedAt().getEpochSecond());
    writeShort(o, m.reviewers().size());
    for (ReviewerEntry e : m.reviewers()) {
      byte[] alias = e.alias().getBytes(StandardCharsets.US_ASCII);
      o.write(alias.length);
      o.writeBytes(alias);
      byte[] role = e.role().getBytes(StandardCharsets.US_ASCII);
      o.write(role.length);
      o.writeBytes(role);
      o.writeBytes(e.encryptionKey().toBytes());
      o.writeBytes(e.signingKey().toBytes());
      writeLong(o, e.notBefore().getEpochSecond());
      writeLong(o, e.notAfter().getEpochSecond());
      if (tor) {
        if (e.torKey() == null) {
          o.write(0);
        } else {
          o.write(1);
          o.writeBytes(e.torKey().toBytes());
        }
      }
    }
    if (retention) {
      o.writeBytes(m.retention().encoded());
    }
    return o.toByteArray();
  }

  private static KeyManifest decodeBody(ByteBuffer b) throws CryptoException {
    try {
      byte[] magic = take(b, MAGIC.length);
      int version = b.get() & 0xff;
      if (!Arrays.equals(magic, MAGIC) || version != VERSION && version != VERSION_TOR
          && version != VERSION_RETENTION) {
        throw new CryptoException();
      }
      long sequence = b.getLong();
      int hasPrevious = b.get() & 0xff;
      Fingerprint previous;
      if (hasPrevious == 0) {
        previous = null;
      } else if (hasPrevious == 1) {
        previous = Fingerprint.fromBytes(take(b, Fingerprint.LENGTH));
      } else {
        throw new CryptoException();
      }
      String organisation = utf8(take(b, b.getShort() & 0xffff));
      SigningPublicKey root = SigningPublicKey.fromBytes(take(b, SigningPublicKey.LENGTH));
      SigningPublicKey log = SigningPublicKey.fromBytes(take(b, SigningPublicKey.LENGTH));
      Instant issuedAt = Instant.ofEpochSecond(b.getLong());
      int count = b.getShort() & 0xffff;
      if (count > KeyManifest.MAX_REVIEWERS) {
        throw new CryptoException();
      }
      List<ReviewerEntry> reviewers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String alias = new String(take(b, b.get() & 0xff), StandardCharsets.US_ASCII);
        String role = new String(take(b, b.get() & 0xff), StandardCharsets.US_ASCII);
        RecipientPublicKey x = RecipientPublicKey.fromBytes(take(b, RecipientPublicKey.LENGTH));
        SigningPublicKey s = SigningPublicKey.fromBytes(take(b, SigningPublicKey.LENGTH));
        Instant nb = Instant.ofEpochSecond(b.getLong());
        Instant na = Instant.ofEpochSecond(b.getLong());
        TorClientAuthKey tor = null;
        if (version != VERSION) {
          int has = b.get() & 0xff;
          if (has == 1) {
            tor = TorClientAuthKey.fromBytes(take(b, TorClientAuthKey.LENGTH));
          } else if (has != 0) {
            throw new CryptoException();
          }
        }
        reviewers.add(new ReviewerEntry(alias, role, x, s, nb, na, tor));
      }
      RetentionPolicy retention = version == VERSION_RETENTION
          ? RetentionPolicy.decode(take(b, RetentionPolicy.ENCODED_LENGTH)) : null;
      return new KeyManifest(sequence, previous, organisation, root, log, reviewers, issuedAt,
          retention);
    } catch (BufferUnderflowException | IllegalArgumentException
        | java.time.DateTimeException e) {
      throw new CryptoException();
    }
  }

  private static String utf8(byte[] bytes) throws CryptoException {
    try {
      CharBuffer c = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return c.toString();
    } catch (CharacterCodingException e) {
      throw new CryptoException();
    }
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static void writeLong(ByteArrayOutputStream o, long v) {
    o.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
  }

  private static void writeShort(ByteArrayOutputStream o, int v) {
    o.write(v >>> 8);
    o.write(v);
  }
}

package org.testigo.crypto.merkle;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * Proof of filing v1: that a log entry (for a source, their submission) was in the
 * transparency log at the time of a signed tree head. It holds the leaf (type, day, hash of
 * the envelope), its index, the signed tree head, the inclusion proof and the fingerprint
 * of the log key that signed the head; nothing of the content.
 *
 * <pre>
 * "TSTGPOF" || 0x01 || leaf (38, {@link LogLeaf} v1) || leaf_index (uint64 BE)
 *   || signed tree head (113, {@link SignedTreeHead} v1) || log_key_fingerprint (32)
 *   || path_length (u8, &lt;= 64) || path (32 each, RFC 9162 order)
 * </pre>
 *
 * <p>{@link #verify(SigningPublicKey)} checks, offline: the key's fingerprint is the one
 * recorded; the head's signature; {@code leaf_index < tree_size}; the inclusion of the
 * leaf hash in the head's root. {@link #verify(List, Fingerprint)} first verifies a key
 * manifest chain from a pinned root fingerprint and takes the log key from the manifest
 * in force at the head's time. Every byte of the encoding is covered by one of these
 * checks, so any change makes verification fail. Parsing is strict (exact length, known
 * version, canonical fields).
 */
public final class FilingProof {
  static final byte[] MAGIC = "TSTGPOF".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  public static final int MAX_PATH = 64;
  public static final String BEGIN = "-----BEGIN TESTIGO PROOF OF FILING-----";
  public static final String END = "-----END TESTIGO PROOF OF FILING-----";
  private static final int FIXED = MAGIC.length + 1 + LogLeaf.LENGTH + 8
      + SignedTreeHead.ENCODED_LENGTH + Fingerprint.LENGTH + 1;

  private final LogLeaf leaf;
  private final long leafIndex;
  private final SignedTreeHead treeHead;
  private final Fingerprint logKeyFingerprint;
  private final List<byte[]> path;

  private FilingProof(LogLeaf leaf, long leafIndex, SignedTreeHead treeHead,
      Fingerprint logKeyFingerprint, List<byte[]> path) {
    this.leaf = leaf;
    this.leafIndex = leafIndex;
    this.treeHead = treeHead;
    this.logKeyFingerprint = logKeyFingerprint;
    this.path = path;
  }

  /**
   * Builds the proof for leaf {@code leafIndex} of {@code log} in the tree of
   * {@code treeHead} (server side).
   *
   * @throws IllegalArgumentException if the log holds another leaf at that index, the index
   *     is outside the head's tree, or the head's root is not the log's root at that size
   */
  public static FilingProof build(LeafHashSource log, LogLeaf leaf, long leafIndex,
      SignedTreeHead treeHead, SigningPublicKey logKey) {
    if (leafIndex < 0 || leafIndex >= treeHead.treeSize()) {
      throw new IllegalArgumentException("leaf index outside the signed tree");
    }
    if (!Arrays.equals(log.leafHash(leafIndex), leaf.leafHash())) {
      throw new IllegalArgumentException("the log holds another leaf at that index");
    }
    if (!Arrays.equals(MerkleTree.root(log, treeHead.treeSize()), treeHead.rootHash())) {
      throw new IllegalArgumentException("the tree head's root is not the log's root");
    }
    List<byte[]> path = MerkleTree.inclusionProof(log, leafIndex, treeHead.treeSize());
    return new FilingProof(leaf, leafIndex, treeHead, logKey.fingerprint(), List.copyOf(path));
  }

  public byte[] encoded() {
    ByteBuffer b = ByteBuffer.allocate(FIXED + 32 * path.size());
    b.put(MAGIC).put((byte) VERSION).put(leaf.encoded()).putLong(leafIndex)
        .put(treeHead.encoded()).put(logKeyFingerprint.toBytes()).put((byte) path.size());
    path.forEach(b::put);
    return b.array();
  }

  /** Strict parse; the generic exception on any structural defect. */
  public static FilingProof parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length < FIXED || encoded.length > FIXED + 32 * MAX_PATH
        || !Arrays.equals(encoded, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || encoded[MAGIC.length] != VERSION) {
      throw new CryptoException();
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(encoded);
      b.position(MAGIC.length + 1);
      LogLeaf leaf = LogLeaf.parse(take(b, LogLeaf.LENGTH));
      long index = b.getLong();
      SignedTreeHead sth = SignedTreeHead.parse(take(b, SignedTreeHead.ENCODED_LENGTH));
      Fingerprint fp = Fingerprint.fromBytes(take(b, Fingerprint.LENGTH));
      int n = b.get() & 0xff;
      if (n > MAX_PATH || b.remaining() != 32 * n || index < 0) {
        throw new CryptoException();
      }
      List<byte[]> path = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        path.add(take(b, 32));
      }
      return new FilingProof(leaf, index, sth, fp, List.copyOf(path));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CryptoException();
    }
  }

  /**
   * Verifies the proof with {@code logKey}; the generic {@link CryptoException} if the key
   * is not the recorded one, the head's signature is invalid, or the leaf is not in the
   * head's tree at the recorded index.
   */
  public void verify(SigningPublicKey logKey) throws CryptoException {
    if (logKey == null || !logKey.fingerprint().equals(logKeyFingerprint)) {
      throw new CryptoException();
    }
    if (!treeHead.verify(logKey)) {
      throw new CryptoException();
    }
    MerkleVerifier.verifyInclusionOrThrow(leafIndex, treeHead.treeSize(), leaf.leafHash(),
        path, treeHead.rootHash());
  }

  /**
   * Verifies the manifest chain from {@code pinnedRoot}, finds the manifest in force at the
   * tree head's time (the last one issued at or before it), requires its log key to be the
   * one recorded in the proof, and verifies the proof with it. Returns the sequence number
   * of that manifest.
   */
  public long verify(List<SignedManifest> chain, Fingerprint pinnedRoot)
      throws CryptoException {
    ManifestChain.verify(chain, pinnedRoot);
    Instant at = Instant.ofEpochMilli(treeHead.timestampMillis());
    KeyManifest inForce = null;
    for (SignedManifest s : chain) {
      if (!s.manifest().issuedAt().isAfter(at)) {
        inForce = s.manifest();
      }
    }
    if (inForce == null || !inForce.logKey().fingerprint().equals(logKeyFingerprint)) {
      throw new CryptoException();
    }
    verify(inForce.logKey());
    return inForce.sequence();
  }

  /** Base64 of {@link #encoded()} in 64-character lines, with a checksum line. */
  public String toArmored() {
    byte[] enc = encoded();
    String b64 = Base64.getEncoder().encodeToString(enc);
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return sb.append("checksum: ").append(checksum(enc)).append('\n').append(END).append('\n')
        .toString();
  }

  /**
   * Parses the armored text. A damaged text (not base64, checksum mismatch, missing lines)
   * gives {@link IllegalArgumentException} with a clear message; a text that is intact but
   * not a valid proof gives the generic {@link CryptoException}.
   */
  public static FilingProof parseArmored(String text) throws CryptoException {
    if (text == null) {
      throw new IllegalArgumentException("no proof text");
    }
    StringBuilder b64 = null;
    String sum = null;
    boolean done = false;
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      String l = raw.strip();
      if (l.equals(BEGIN) && b64 == null && !done) {
        b64 = new StringBuilder();
      } else if (l.equals(END) && b64 != null && !done) {
        done = true;
      } else if (b64 != null && !done && !l.isEmpty()) {
        if (l.startsWith("checksum:")) {
          sum = l.substring("checksum:".length()).strip();
        } else if (sum != null) {
          throw new IllegalArgumentException("text after the checksum line");
        } else {
          b64.append(l);
        }
      }
    }
    if (!done || sum == null) {
      throw new IllegalArgumentException("not a complete proof of filing: the BEGIN, checksum"
          + " or END line is missing");
    }
    byte[] enc;
    try {
      enc = Base64.getDecoder().decode(b64.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the proof is not valid base64: it was altered or"
          + " mistyped");
    }
    if (!checksum(enc).equals(sum)) {
      throw new IllegalArgumentException("checksum mismatch: the proof text was altered or"
          + " mistyped");
    }
    return parse(enc);
  }

  public LogLeaf leaf() {
    return leaf;
  }

  public long leafIndex() {
    return leafIndex;
  }

  public SignedTreeHead treeHead() {
    return treeHead;
  }

  public Fingerprint logKeyFingerprint() {
    return logKeyFingerprint;
  }

  public List<byte[]> path() {
    return path.stream().map(byte[]::clone).toList();
  }

  static String checksum(byte[] enc) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(enc), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}

package org.testigo.crypto.merkle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A tree head of the transparency log and the log key's Ed25519 signature over it,
 * format version 1. Byte layout (SECURITY.md, "Signed tree heads"):
 *
 * <pre>
 * to-be-signed (49 bytes) = version (0x01) || tree_size (uint64 BE)
 *                          || timestamp_millis (int64 BE, &gt;= 0) || root_hash (32)
 * encoded (113 bytes)     = to-be-signed || signature (64, Ed25519)
 * </pre>
 *
 * The signature is made over {@link #toBeSigned()} under the signature domain
 * {@code tree-head-v1} ({@link SignatureDomain#TREE_HEAD}) with the log key listed in the
 * current key manifest: {@link #sign} makes it, {@link #verify} checks it. A parsed head is
 * not trusted until {@link #verify} returns true for the expected log key.
 */
public final class SignedTreeHead {
  public static final int VERSION = 1;
  public static final int SIGNATURE_LENGTH = 64;
  public static final int TBS_LENGTH = 1 + 8 + 8 + MerkleHash.LENGTH;
  public static final int ENCODED_LENGTH = TBS_LENGTH + SIGNATURE_LENGTH;

  private final long treeSize;
  private final byte[] rootHash;
  private final long timestampMillis;
  private final byte[] signature;

  private SignedTreeHead(long treeSize, byte[] rootHash, long timestampMillis,
      byte[] signature) {
    this.treeSize = treeSize;
    this.rootHash = rootHash;
    this.timestampMillis = timestampMillis;
    this.signature = signature;
  }

  /**
   * Assembles a tree head from its parts.
   *
   * @throws IllegalArgumentException if the size or timestamp is negative, the root is not
   *     32 bytes or the signature not 64 bytes
   */
  public static SignedTreeHead of(long treeSize, byte[] rootHash, long timestampMillis,
      byte[] signature) {
    if (treeSize < 0 || timestampMillis < 0 || rootHash.length != MerkleHash.LENGTH
        || signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("invalid tree head");
    }
    return new SignedTreeHead(treeSize, rootHash.clone(), timestampMillis, signature.clone());
  }

  /**
   * Signs a tree head with the log key, under {@link SignatureDomain#TREE_HEAD}.
   *
   * @throws IllegalArgumentException if the size or timestamp is negative or the root is not
   *     32 bytes
   */
  public static SignedTreeHead sign(long size, byte[] root, long timestampMillis,
      SigningPrivateKey logKey) {
    byte[] tbs = toBeSigned(size, root, timestampMillis);
    byte[] signature = logKey.sign(SignatureDomain.TREE_HEAD, tbs);
    return new SignedTreeHead(size, root.clone(), timestampMillis, signature);
  }

  /**
   * True only if the signature is {@code logKey}'s Ed25519 signature over
   * {@link #toBeSigned()} under {@link SignatureDomain#TREE_HEAD}. Never throws; a null key
   * gives false.
   */
  public boolean verify(SigningPublicKey logKey) {
    return logKey != null && logKey.verify(SignatureDomain.TREE_HEAD, toBeSigned(), signature);
  }

  /** The 49 bytes the log key signs, for a head not yet signed. */
  public static byte[] toBeSigned(long treeSize, byte[] rootHash, long timestampMillis) {
    if (treeSize < 0 || timestampMillis < 0 || rootHash.length != MerkleHash.LENGTH) {
      throw new IllegalArgumentException("invalid tree head");
    }
    return ByteBuffer.allocate(TBS_LENGTH).put((byte) VERSION).putLong(treeSize)
        .putLong(timestampMillis).put(rootHash).array();
  }

  /**
   * Parses the 113-byte encoding.
   *
   * @throws CryptoException (generic) on a wrong length, unknown version, or a negative
   *     size or timestamp
   */
  public static SignedTreeHead parse(byte[] encoded) throws CryptoException {
    if (encoded == null || encoded.length != ENCODED_LENGTH || encoded[0] != VERSION) {
      throw new CryptoException();
    }
    ByteBuffer b = ByteBuffer.wrap(encoded, 1, ENCODED_LENGTH - 1);
    long size = b.getLong();
    long ts = b.getLong();
    byte[] root = new byte[MerkleHash.LENGTH];
    b.get(root);
    byte[] sig = new byte[SIGNATURE_LENGTH];
    b.get(sig);
    if (size < 0 || ts < 0) {
      throw new CryptoException();
    }
    return new SignedTreeHead(size, root, ts, sig);
  }

  public byte[] toBeSigned() {
    return toBeSigned(treeSize, rootHash, timestampMillis);
  }

  public byte[] encoded() {
    return ByteBuffer.allocate(ENCODED_LENGTH).put(toBeSigned()).put(signature).array();
  }

  public int version() {
    return VERSION;
  }

  public long treeSize() {
    return treeSize;
  }

  public byte[] rootHash() {
    return rootHash.clone();
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedTreeHead h && MessageDigest.isEqual(encoded(), h.encoded());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded());
  }

  @Override
  public String toString() {
    return "SignedTreeHead[v1, size=" + treeSize + ", root=" + HexFormat.of().formatHex(rootHash)
        + ", time=" + timestampMillis + "]";
  }
}

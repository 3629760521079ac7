package org.testigo.crypto.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 / RFC 9162 §2.1.1 hashing with SHA-256: a leaf hash is
 * {@code SHA-256(0x00 || leaf)}, an interior node is {@code SHA-256(0x01 || left || right)},
 * and the empty tree's root is {@code SHA-256("")}. The prefixes keep leaves and nodes apart.
 */
public final class MerkleHash {
  public static final int LENGTH = 32;
  private static final byte[] EMPTY_ROOT = sha256().digest();

  private MerkleHash() {}

  /** {@code SHA-256("")}, the root of a tree with no leaves. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  public static byte[] leafHash(byte[] leaf) {
    MessageDigest md = sha256();
    md.update((byte) 0x00);
    md.update(leaf);
    return md.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = sha256();
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

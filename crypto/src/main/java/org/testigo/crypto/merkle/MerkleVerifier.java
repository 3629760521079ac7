package org.testigo.crypto.merkle;

import java.security.MessageDigest;
import java.util.List;
import org.testigo.crypto.CryptoException;

/**
 * Verifies RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs with the
 * iterative algorithms, plus transparency-dev's edge policy: a leaf hash or proof element
 * that is not 32 bytes is rejected; consistency from size 0 is rejected; equal sizes are
 * accepted only with an empty proof and byte-identical roots. Sizes and indices are
 * unsigned 64-bit values. Never throws on malformed input: it returns false.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /** True iff {@code proof} shows {@code leafHash} at {@code leafIndex} in the tree {@code root}. */
  public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash,
      List<byte[]> proof, byte[] root) {
    if (leafHash == null || root == null || proof == null
        || leafHash.length != MerkleHash.LENGTH || !allHashes(proof)
        || Long.compareUnsigned(leafIndex, treeSize) >= 0) {
      return false;
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHash.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** True iff {@code proof} shows the tree {@code root2} extends the tree {@code root1}. */
  public static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2,
      List<byte[]> proof) {
    if (root1 == null || root2 == null || proof == null || size1 == 0
        || Long.compareUnsigned(size1, size2) > 0) {
      return false;
    }
    if (size1 == size2) {
      return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
    }
    if (proof.isEmpty() || !allHashes(proof)) {
      return false;
    }
    int first = 0;
    byte[] seed;
    if (Long.bitCount(size1) == 1) {
      seed = root1;
    } else {
      seed = proof.get(0);
      first = 1;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (int i = first; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.nodeHash(c, fr);
        sr = MerkleHash.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = MerkleHash.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
  }

  /** As {@link #verifyInclusion}, throwing the generic {@link CryptoException} on failure. */
  public static void verifyInclusionOrThrow(long leafIndex, long treeSize, byte[] leafHash,
      List<byte[]> proof, byte[] root) throws CryptoException {
    if (!verifyInclusion(leafIndex, treeSize, leafHash, proof, root)) {
      throw new CryptoException();
    }
  }

  /** As {@link #verifyConsistency}, throwing the generic {@link CryptoException} on failure. */
  public static void verifyConsistencyOrThrow(long size1, long size2, byte[] root1,
      byte[] root2, List<byte[]> proof) throws CryptoException {
    if (!verifyConsistency(size1, size2, root1, root2, proof)) {
      throw new CryptoException();
    }
  }

  private static boolean allHashes(List<byte[]> proof) {
    for (byte[] p : proof) {
      if (p == null || p.length != MerkleHash.LENGTH) {
        return false;
      }
    }
    return true;
  }
}

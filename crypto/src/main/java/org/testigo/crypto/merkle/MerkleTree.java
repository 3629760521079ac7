package org.testigo.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Tree heads and proofs over a {@link LeafHashSource}, exactly as RFC 9162 defines them:
 * MTH (§2.1.1), PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1). Proof lists are in wire
 * order (the node nearest the leaf, or the old tree, first).
 *
 * <p>Cost: every call recomputes the subtree hashes it needs from leaf hashes, which is
 * O(n) hash operations and O(n) leaf reads per root or proof (about 200k SHA-256 for a
 * 100k-leaf log, well under a second). A server with millions of leaves should cache the
 * hashes of complete subtrees; the results would not change.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** MTH of all leaves of {@code source}. */
  public static byte[] root(LeafHashSource source) {
    return root(source, source.size());
  }

  /** MTH of the first {@code treeSize} leaves; {@code SHA-256("")} for 0. */
  public static byte[] root(LeafHashSource source, long treeSize) {
    checkSize(source, treeSize);
    return treeSize == 0 ? MerkleHash.emptyRoot() : subtreeHash(source, 0, treeSize);
  }

  /** MTH of leaves {@code [start, end)}, {@code start < end}. */
  public static byte[] subtreeHash(LeafHashSource source, long start, long end) {
    if (start < 0 || end <= start || end > source.size()) {
      throw new IllegalArgumentException("invalid leaf range");
    }
    long n = end - start;
    if (n == 1) {
      return source.leafHash(start);
    }
    long k = largestPowerOfTwoBelow(n);
    return MerkleHash.nodeHash(subtreeHash(source, start, start + k),
        subtreeHash(source, start + k, end));
  }

  /** PATH(leafIndex, D[treeSize]): the audit path for a leaf in the tree of that size. */
  public static List<byte[]> inclusionProof(LeafHashSource source, long leafIndex,
      long treeSize) {
    checkSize(source, treeSize);
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException("leaf index outside the tree");
    }
    List<byte[]> proof = new ArrayList<>();
    path(source, leafIndex, 0, treeSize, proof);
    return proof;
  }

  /** PROOF(size1, D[size2]), for 0 &lt; size1 &lt;= size2; empty when the sizes are equal. */
  public static List<byte[]> consistencyProof(LeafHashSource source, long size1, long size2) {
    checkSize(source, size2);
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException("need 0 < size1 <= size2");
    }
    List<byte[]> proof = new ArrayList<>();
    subproof(source, size1, 0, size2, true, proof);
    return proof;
  }

  private static void path(LeafHashSource s, long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n <= 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(s, m, start, start + k, out);
      out.add(subtreeHash(s, start + k, end));
    } else {
      path(s, m - k, start + k, end, out);
      out.add(subtreeHash(s, start, start + k));
    }
  }

  private static void subproof(LeafHashSource s, long m, long start, long end, boolean whole,
      List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(subtreeHash(s, start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(s, m, start, start + k, whole, out);
      out.add(subtreeHash(s, start + k, end));
    } else {
      subproof(s, m - k, start + k, end, false, out);
      out.add(subtreeHash(s, start, start + k));
    }
  }

  /** The largest power of two strictly less than {@code n}, for n &gt;= 2. */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static void checkSize(LeafHashSource source, long treeSize) {
    if (treeSize < 0 || treeSize > source.size()) {
      throw new IllegalArgumentException("tree size outside the log");
    }
  }
}

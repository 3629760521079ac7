package org.testigo.server.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.MerkleHash;

/**
 * The log's leaf hashes held in memory (32 bytes each, in one growing array) plus the
 * hashes of the complete subtrees on the right edge of the tree (the "frontier"), so that
 * appending is O(log n) and the root of the whole cached log is O(log n).
 *
 * <p>Assumes the log is append-only: a cached prefix is never re-read. A log whose database
 * rows were rewritten under a running server keeps serving the old hashes until restart;
 * auditors detect the rewrite either way (the roots stop matching).
 */
final class LeafHashCache {
  private static final int H = MerkleHash.LENGTH;
  private byte[] hashes = new byte[H * 1024];
  private long size;
  /** Complete subtree hashes, largest first; their sizes are the set bits of {@link #size}. */
  private final List<byte[]> frontier = new ArrayList<>();
  private final List<Integer> heights = new ArrayList<>();

  synchronized long size() {
    return size;
  }

  synchronized void append(byte[] leafHash) {
    if (leafHash.length != H) {
      throw new IllegalArgumentException("a leaf hash is 32 bytes");
    }
    if ((size + 1) * H > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the in-memory leaf cache is full");
    }
    int need = (int) ((size + 1) * H);
    if (need > hashes.length) {
      hashes = Arrays.copyOf(hashes, Math.max(need, hashes.length * 2));
    }
    System.arraycopy(leafHash, 0, hashes, (int) (size * H), H);
    size++;
    byte[] node = leafHash.clone();
    int height = 0;
    while (!heights.isEmpty() && heights.get(heights.size() - 1) == height) {
      byte[] left = frontier.remove(frontier.size() - 1);
      heights.remove(heights.size() - 1);
      node = MerkleHash.nodeHash(left, node);
      height++;
    }
    frontier.add(node);
    heights.add(height);
  }

  synchronized byte[] leafHash(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("leaf index outside the cached log");
    }
    return Arrays.copyOfRange(hashes, (int) (index * H), (int) ((index + 1) * H));
  }

  /** The RFC 9162 root of all cached leaves (SHA-256 of nothing for an empty log). */
  synchronized byte[] root() {
    if (frontier.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    byte[] r = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      r = MerkleHash.nodeHash(frontier.get(i), r);
    }
    return r;
  }

  /** A fixed-size view of the first {@code n} cached leaves. */
  LeafHashSource view(long n) {
    if (n < 0 || n > size()) {
      throw new IllegalArgumentException("size outside the cached log");
    }
    return new LeafHashSource() {
      @Override
      public long size() {
        return n;
      }

      @Override
      public byte[] leafHash(long index) {
        if (index >= n) {
          throw new IndexOutOfBoundsException("leaf index outside the view");
        }
        return LeafHashCache.this.leafHash(index);
      }
    };
  }
}

package org.testigo.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The leaf hashes of an append-only log, by 0-based index. The server backs this with its
 * database; tests and small logs use {@link #of(List)}. Implementations must return the same
 * hash for an index every time (the log is append-only).
 */
public interface LeafHashSource {
  /** Number of leaves currently in the log. */
  long size();

  /** The 32-byte leaf hash at {@code index}, 0 &lt;= index &lt; size(). */
  byte[] leafHash(long index);

  /** An in-memory source over a copy of {@code leafHashes} (each 32 bytes). */
  static LeafHashSource of(List<byte[]> leafHashes) {
    List<byte[]> copy = new ArrayList<>(leafHashes.size());
    for (byte[] h : leafHashes) {
      if (h.length != MerkleHash.LENGTH) {
        throw new IllegalArgumentException("a leaf hash is 32 bytes");
      }
      copy.add(h.clone());
    }
    return new LeafHashSource() {
      @Override
      public long size() {
        return copy.size();
      }

      @Override
      public byte[] leafHash(long index) {
        return copy.get(Math.toIntExact(index)).clone();
      }
    };
  }
}

package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;

class MerkleTreeTest {
  /** A source that computes leaf hashes on demand, as a database-backed one would. */
  private static LeafHashSource computed(long size) {
    return new LeafHashSource() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public byte[] leafHash(long index) {
        return MerkleHash.leafHash(ByteBuffer.allocate(8).putLong(index).array());
      }
    };
  }

  @Test
  void proofs_inA100kLeafLog_verify() {
    LeafHashSource s = computed(100_000);
    byte[] root = MerkleTree.root(s);
    for (long i : new long[] {0, 1, 65_535, 65_536, 99_998, 99_999}) {
      List<byte[]> p = MerkleTree.inclusionProof(s, i, 100_000);
      assertThat(p.size()).isBetween(1, 17);
      assertThat(MerkleVerifier.verifyInclusion(i, 100_000, s.leafHash(i), p, root)).isTrue();
    }
    for (long m : new long[] {1, 2, 65_536, 77_777, 99_999}) {
      List<byte[]> p = MerkleTree.consistencyProof(s, m, 100_000);
      assertThat(MerkleVerifier.verifyConsistency(m, 100_000, MerkleTree.root(s, m), root, p))
          .isTrue();
    }
  }

  @Test
  void rootOfComputedSource_equalsRootOfSameLeavesInMemory() {
    LeafHashSource s = computed(1000);
    List<byte[]> hashes = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      hashes.add(s.leafHash(i));
    }
    assertThat(MerkleTree.root(LeafHashSource.of(hashes))).isEqualTo(MerkleTree.root(s));
    assertThat(MerkleTree.root(s, 999)).isNotEqualTo(MerkleTree.root(s));
  }

  @Test
  void generators_rejectOutOfRangeArguments() {
    LeafHashSource s = computed(10);
    assertThatThrownBy(() -> MerkleTree.root(s, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.inclusionProof(s, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.inclusionProof(s, -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.consistencyProof(s, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.consistencyProof(s, 5, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MerkleTree.consistencyProof(s, 7, 7)).isEmpty();
    assertThatThrownBy(() -> LeafHashSource.of(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifiers_returnFalseOnNullAndMalformedInput() throws Exception {
    LeafHashSource s = computed(5);
    byte[] root = MerkleTree.root(s);
    List<byte[]> p = MerkleTree.inclusionProof(s, 2, 5);
    assertThat(MerkleVerifier.verifyInclusion(2, 5, null, p, root)).isFalse();
    assertThat(MerkleVerifier.verifyInclusion(2, 5, s.leafHash(2), null, root)).isFalse();
    assertThat(MerkleVerifier.verifyInclusion(2, 5, s.leafHash(2), p, null)).isFalse();
    List<byte[]> withNull = new ArrayList<>(p);
    withNull.add(null);
    assertThat(MerkleVerifier.verifyInclusion(2, 5, s.leafHash(2), withNull, root)).isFalse();
    List<byte[]> extra = new ArrayList<>(p);
    extra.add(new byte[32]);
    assertThat(MerkleVerifier.verifyInclusion(2, 5, s.leafHash(2), extra, root)).isFalse();
    assertThat(MerkleVerifier.verifyInclusion(-1, 5, s.leafHash(2), p, root)).isFalse();
    assertThat(MerkleVerifier.verifyConsistency(3, 5, null, root, List.of())).isFalse();
    assertThat(MerkleVerifier.verifyConsistency(0, 0, root, root, List.of())).isFalse();
    assertThat(MerkleVerifier.verifyConsistency(5, 5, root, root, List.of())).isTrue();
    assertThat(MerkleVerifier.verifyConsistency(5, 5, root, root, List.of(new byte[32])))
        .isFalse();
    MerkleVerifier.verifyInclusionOrThrow(2, 5, s.leafHash(2), p, root);
    assertThatThrownBy(() -> MerkleVerifier.verifyInclusionOrThrow(3, 5, s.leafHash(2), p, root))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> MerkleVerifier.verifyConsistencyOrThrow(2, 5,
        MerkleTree.root(s, 2), root, MerkleTree.consistencyProof(s, 3, 5)))
        .isInstanceOf(CryptoException.class);
  }
}

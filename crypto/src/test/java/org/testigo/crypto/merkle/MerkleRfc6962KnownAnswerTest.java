package org.testigo.crypto.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.kat.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testigo.crypto.kat.Vectors;

/** Every case of the RFC 6962 / transparency-dev vector file, including all 196 probes. */
class MerkleRfc6962KnownAnswerTest {
  private static final JsonNode V = Vectors.load("merkle/rfc6962.json");

  private static LeafHashSource source() {
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode leaf : V.get("leaves")) {
      hashes.add(MerkleHash.leafHash(hex(leaf.asText())));
    }
    return LeafHashSource.of(hashes);
  }

  /** Probe values are hex; some decode to empty or ASCII junk ("WrongLeaf") on purpose. */
  private static byte[] bytes(JsonNode node) {
    return hex(node.asText());
  }

  private static List<byte[]> proof(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(bytes(n));
    }
    return out;
  }

  private static long u64(JsonNode node) {
    return Long.parseUnsignedLong(node.asText());
  }

  @Test
  void hashPrimitives_matchRfc6962Hasher() {
    assertThat(V.get("hash_primitives")).hasSize(4);
    for (JsonNode p : V.get("hash_primitives")) {
      byte[] got = switch (p.get("op").asText()) {
        case "empty_root" -> MerkleHash.emptyRoot();
        case "leaf_hash" -> MerkleHash.leafHash(hex(p, "input_hex"));
        case "node_hash" -> MerkleHash.nodeHash(hex(p, "left_hex"), hex(p, "right_hex"));
        default -> throw new AssertionError("unknown op");
      };
      assertThat(hex(got)).isEqualTo(p.get("expected").asText());
    }
    assertThat(hex(MerkleHash.emptyRoot())).isEqualTo(V.get("empty_root").asText());
  }

  @Test
  void leafHashes_matchVectors() {
    LeafHashSource s = source();
    assertThat(s.size()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(hex(s.leafHash(i))).isEqualTo(V.get("leaf_hashes").get(i).asText());
    }
  }

  @Test
  void roots_ofEveryPrefixAndEmptyTree_matchVectors() {
    LeafHashSource s = source();
    assertThat(V.get("roots")).hasSize(8);
    for (JsonNode r : V.get("roots")) {
      assertThat(hex(MerkleTree.root(s, r.get("tree_size").asLong())))
          .isEqualTo(r.get("root").asText());
    }
    assertThat(hex(MerkleTree.root(s, 0))).isEqualTo(V.get("empty_root").asText());
    assertThat(hex(MerkleTree.root(LeafHashSource.of(List.of()))))
        .isEqualTo(V.get("empty_root").asText());
  }

  @Test
  void completeSubtreeHashes_matchVectors() {
    LeafHashSource s = source();
    assertThat(V.get("complete_subtree_hashes")).hasSize(15);
    for (JsonNode h : V.get("complete_subtree_hashes")) {
      long first = h.get("first_leaf").asLong();
      assertThat(hex(MerkleTree.subtreeHash(s, first, first + h.get("num_leaves").asLong())))
          .isEqualTo(h.get("hash").asText());
    }
  }

  @Test
  void inclusionProofs_generatedEqualVectorsAndVerify() {
    LeafHashSource s = source();
    assertThat(V.get("inclusion_proofs")).hasSize(7);
    for (JsonNode p : V.get("inclusion_proofs")) {
      long index = p.get("leaf_index").asLong();
      long size = p.get("tree_size").asLong();
      List<byte[]> expected = proof(p.get("proof"));
      List<byte[]> got = MerkleTree.inclusionProof(s, index, size);
      assertThat(got.stream().map(Vectors::hex).toList())
          .isEqualTo(expected.stream().map(Vectors::hex).toList());
      assertThat(hex(MerkleHash.leafHash(hex(p, "leaf_hex")))).isEqualTo(p.get("leaf_hash").asText());
      assertThat(MerkleVerifier.verifyInclusion(index, size, hex(p, "leaf_hash"), got,
          hex(p, "root"))).isTrue();
    }
  }

  @Test
  void consistencyProofs_generatedEqualVectorsAndVerify() {
    LeafHashSource s = source();
    assertThat(V.get("consistency_proofs")).hasSize(5);
    for (JsonNode p : V.get("consistency_proofs")) {
      long m = p.get("size1").asLong();
      long n = p.get("size2").asLong();
      List<byte[]> got = MerkleTree.consistencyProof(s, m, n);
      assertThat(got.stream().map(Vectors::hex).toList())
          .isEqualTo(proof(p.get("proof")).stream().map(Vectors::hex).toList());
      assertThat(MerkleVerifier.verifyConsistency(m, n, hex(p, "root1"), hex(p, "root2"), got))
          .isTrue();
    }
  }

  @Test
  void everyGeneratedProofInTheEightLeafTree_verifiesAndFailsWhenTampered() {
    LeafHashSource s = source();
    for (long n = 1; n <= 8; n++) {
      byte[] root = MerkleTree.root(s, n);
      for (long i = 0; i < n; i++) {
        List<byte[]> p = MerkleTree.inclusionProof(s, i, n);
        assertThat(MerkleVerifier.verifyInclusion(i, n, s.leafHash(i), p, root)).isTrue();
        assertThat(MerkleVerifier.verifyInclusion(i, n, MerkleHash.leafHash(new byte[] {9}), p,
            root)).isFalse();
        if (n > 1) {
          assertThat(MerkleVerifier.verifyInclusion(i, n, s.leafHash(i), p,
              MerkleTree.root(s, n - 1))).isFalse();
          assertThat(MerkleVerifier.verifyInclusion(i ^ 1, n, s.leafHash(i), p, root)).isFalse();
        }
        for (int k = 0; k < p.size(); k++) {
          List<byte[]> bad = new ArrayList<>(p);
          byte[] e = bad.get(k).clone();
          e[0] ^= 0x08;
          bad.set(k, e);
          assertThat(MerkleVerifier.verifyInclusion(i, n, s.leafHash(i), bad, root)).isFalse();
        }
      }
      for (long m = 1; m <= n; m++) {
        List<byte[]> p = MerkleTree.consistencyProof(s, m, n);
        byte[] root1 = MerkleTree.root(s, m);
        assertThat(MerkleVerifier.verifyConsistency(m, n, root1, root, p)).isTrue();
        for (int k = 0; k < p.size(); k++) {
          List<byte[]> bad = new ArrayList<>(p);
          byte[] e = bad.get(k).clone();
          e[0] ^= 0x10;
          bad.set(k, e);
          assertThat(MerkleVerifier.verifyConsistency(m, n, root1, root, bad)).isFalse();
        }
      }
    }
  }

  static Stream<Arguments> inclusionProbes() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode p : V.get("inclusion_probes")) {
      out.add(Arguments.of(p.get("file").asText(), p));
    }
    return out.stream();
  }

  static Stream<Arguments> consistencyProbes() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode p : V.get("consistency_probes")) {
      out.add(Arguments.of(p.get("file").asText(), p));
    }
    return out.stream();
  }

  @Test
  void probeFile_has98InclusionAnd98ConsistencyProbes() {
    assertThat(V.get("inclusion_probes")).hasSize(98);
    assertThat(V.get("consistency_probes")).hasSize(98);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionProbes")
  void inclusionProbe_acceptedOrRejectedAsUpstream(String file, JsonNode p) {
    boolean ok = MerkleVerifier.verifyInclusion(u64(p.get("leaf_index")), u64(p.get("tree_size")),
        bytes(p.get("leaf_hash")), proof(p.get("proof")), bytes(p.get("root")));
    assertThat(ok).as(p.get("desc").asText()).isEqualTo(!p.get("want_error").asBoolean());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyProbes")
  void consistencyProbe_acceptedOrRejectedAsUpstream(String file, JsonNode p) {
    boolean ok = MerkleVerifier.verifyConsistency(u64(p.get("size1")), u64(p.get("size2")),
        bytes(p.get("root1")), bytes(p.get("root2")), proof(p.get("proof")));
    assertThat(ok).as(p.get("desc").asText()).isEqualTo(!p.get("want_error").asBoolean());
  }
}

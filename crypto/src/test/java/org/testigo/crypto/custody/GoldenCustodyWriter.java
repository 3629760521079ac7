package org.testigo.crypto.custody;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

/**
 * Writes the custody and proof-of-filing v1 golden files once (not a test). Run by hand
 * with the test classpath, then commit the output; never regenerate for v1.
 */
public final class GoldenCustodyWriter {
  public static final String PASSPHRASE = "custodia de la llave raíz, Tapachula 2026";
  public static final Instant PROOF_TIME = Instant.parse("2026-03-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    HexFormat hex = HexFormat.of();
    RootKeyCeremony.Result r = RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2,
        Instant.parse("2026-03-01T12:00:00Z"), SecureRandom.getInstanceStrong());
    Files.write(dir.resolve("share-file-v1.tshare"), ShareFile.encrypt(r.shares().get(0),
        Passphrase.of(PASSPHRASE.toCharArray()), KeystoreParams.TEST,
        SecureRandom.getInstanceStrong()));
    Files.writeString(dir.resolve("share-file-v1.passphrase.txt"), PASSPHRASE + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("printable-share-v1.txt"),
        PrintableShare.toText(r.shares().get(1)));
    Files.writeString(dir.resolve("custody-v1.txt"),
        "root-public-key: " + hex.formatHex(r.rootKey().toBytes()) + "\n"
            + "root-fingerprint: " + r.shares().get(0).header().rootFingerprint().hex() + "\n"
            + "ceremony-id: " + r.ceremonyId() + "\n"
            + "share-1-value: " + hex.formatHex(r.shares().get(0).exposeSecret()) + "\n"
            + "share-2-value: " + hex.formatHex(r.shares().get(1).exposeSecret()) + "\n");

    SigningPrivateKey log = TestKeys.signing("golden-log");
    Files.writeString(dir.resolve("log-key-v1.txt"),
        SigningPublicKeyText.toText(SigningPublicKeyText.Kind.LOG, log.publicKey()));
    List<byte[]> leaves = new ArrayList<>();
    List<LogLeaf> logLeaves = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      LogLeaf leaf = LogLeaf.of(i == 5 ? LogLeaf.EntryType.SUBMISSION
              : LogLeaf.EntryType.values()[i % 6], Instant.parse("2026-02-28T15:00:00Z"),
          MessageDigest.getInstance("SHA-256").digest(("envelope " + i)
              .getBytes(StandardCharsets.UTF_8)));
      logLeaves.add(leaf);
      leaves.add(leaf.leafHash());
    }
    LeafHashSource source = LeafHashSource.of(leaves);
    SignedTreeHead sth = SignedTreeHead.sign(7, MerkleTree.root(source),
        PROOF_TIME.toEpochMilli(), log);
    FilingProof proof = FilingProof.build(source, logLeaves.get(5), 5, sth, log.publicKey());
    Files.writeString(dir.resolve("proof-of-filing-v1.txt"), proof.toArmored());
    Files.writeString(dir.resolve("proof-of-filing-v1.expected.txt"),
        "leaf: " + hex.formatHex(logLeaves.get(5).encoded()) + "\n"
            + "leaf-hash: " + hex.formatHex(logLeaves.get(5).leafHash()) + "\n"
            + "leaf-index: 5\n"
            + "tree-size: 7\n"
            + "root: " + hex.formatHex(sth.rootHash()) + "\n"
            + "tree-head: " + hex.formatHex(sth.encoded()) + "\n"
            + "encoded: " + hex.formatHex(proof.encoded()) + "\n");
  }
}

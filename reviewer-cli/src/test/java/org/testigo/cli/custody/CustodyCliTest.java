package org.testigo.cli.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

/** Custody ceremonies, manifest changes and proof verification, end to end over files. */
class CustodyCliTest {
  @TempDir Path dir;
  Path shares;
  String root;
  static final SigningPrivateKey LOG = TestKeys.signing("cli-log");


  static CliResult run(String... args) {
    return CliResult.run(args);
  }

  private Path pass(String name) throws IOException {
    Path p = dir.resolve(name + ".pass");
    if (!Files.exists(p)) {
      Files.writeString(p, "frase larga de la custodia " + name + "\n");
    }
    return p;
  }

  private Path bundle(String alias) throws IOException {
    Path ks = dir.resolve(alias + ".tkey");
    Path b = dir.resolve(alias + ".pub");
    assertThat(run("keys", "init", "--alias", alias, "-k", ks.toString(), "--passphrase-file",
        pass(alias).toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1").code())
        .isZero();
    assertThat(run("keys", "public", "-k", ks.toString(), "--passphrase-file",
        pass(alias).toString(), "-o", b.toString()).code()).isZero();
    return b;
  }

  private Path logKeyFile(SigningPrivateKey key, String name) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, SigningPublicKeyText.toText(SigningPublicKeyText.Kind.LOG,
        key.publicKey()));
    return p;
  }

  /** --share/--share-passphrase-file pairs for the named custodians. */
  private List<String> shareArgs(String... names) throws IOException {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.addAll(List.of("--share", shares.resolve(n + ".tshare").toString(),
          "--share-passphrase-file", pass(n).toString()));
    }
    return out;
  }

  private static String[] args(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(tail);
    return all.toArray(String[]::new);
  }

  @BeforeEach
  void genesisCeremony() throws IOException {
    shares = dir.resolve("shares");
    CliResult r = run("custody", "init", "--organisation", "Casa del Migrante",
        "--custodian", "ana=" + pass("ana"), "--custodian", "beto=" + pass("beto"),
        "--custodian", "carla=" + pass("carla"), "-m", "2",
        "--log-key", logKeyFile(LOG, "log.pub").toString(),
        "--admin", bundle("maria").toString(), "--out", shares.toString(),
        "--argon2-memory-mib", "8", "--argon2-iterations", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ROOT FINGERPRINT").contains("split 2-of-3");
    root = r.out().lines().filter(l -> l.startsWith("Full root fingerprint: ")).findFirst()
        .orElseThrow().substring("Full root fingerprint: ".length());
  }

  @Test
  void init_writesPrivateShareFilesPrintableSharesRootKeyAndAVerifiableGenesis()
      throws IOException {
    for (String n : List.of("ana", "beto", "carla")) {
      assertThat(Files.getPosixFilePermissions(shares.resolve(n + ".tshare")))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(shares.resolve(n + ".share.txt")))
          .contains("custodian: " + n);
    }
    assertThat(Files.readString(shares.resolve("root.pub"))).contains(root);
    CliResult v = run("manifest", "verify", "--root", root, shares.resolve("chain.txt").toString());
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).contains("maria").contains("sequence:     0");
    CliResult show = run("custody", "show", shares.resolve("beto.tshare").toString());
    assertThat(show.out()).contains("share 2 of 3 (any 2 rebuild the root key), custodian beto");
  }

  @Test
  void manifestChanges_addRemoveRevokeRotate_produceChainsThatVerify() throws Exception {
    Path c0 = shares.resolve("chain.txt");
    Path c1 = dir.resolve("chain-1.txt");
    CliResult add = run(args(List.of("manifest", "add-reviewer", bundle("luis").toString(),
        "--role", "reviewer", "--chain", c0.toString(), "-o", c1.toString()),
        shareArgs("ana", "carla")));
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).contains("Added luis (reviewer): manifest 1");
    Path c2 = dir.resolve("chain-2.txt");
    assertThat(run(args(List.of("manifest", "add-reviewer", bundle("jose").toString(),
        "--chain", c1.toString(), "-o", c2.toString()), shareArgs("beto", "carla"))).code())
        .isZero();
    Path c3 = dir.resolve("chain-3.txt");
    assertThat(run(args(List.of("manifest", "revoke-reviewer", "jose", "--chain",
        c2.toString(), "-o", c3.toString()), shareArgs("ana", "beto"))).code()).isZero();
    Path c4 = dir.resolve("chain-4.txt");
    assertThat(run(args(List.of("manifest", "remove-reviewer", "luis", "--chain",
        c3.toString(), "-o", c4.toString()), shareArgs("ana", "beto", "carla"))).code())
        .isZero();
    Path c5 = dir.resolve("chain-5.txt");
    CliResult rot = run(args(List.of("manifest", "rotate-log-key",
        logKeyFile(TestKeys.signing("cli-log-2"), "log2.pub").toString(), "--chain",
        c4.toString(), "-o", c5.toString()), shareArgs("carla", "ana")));
    assertThat(rot.code()).as(rot.err()).isZero();

    CliResult v = run("manifest", "verify", "--root", root, c5.toString());
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).contains("6 manifest(s) verified").contains("sequence:     5")
        .contains(TestKeys.signing("cli-log-2").publicKey().fingerprint().hex())
        .contains("maria").contains("jose").doesNotContain("luis");
    assertThat(ManifestChain.verify(SignedManifest.parseArmored(Files.readString(c5)),
        org.testigo.crypto.Fingerprint.fromHex(root)).reviewers()).hasSize(2);
  }

  @Test
  void setRetention_writesAVersion3ManifestThatVerifiesAndShowsThePolicy_andRefusesABadPolicy() throws Exception {
    Path c0 = shares.resolve("chain.txt");
    CliResult before = run("manifest", "verify", "--root", root, c0.toString());
    assertThat(before.out()).contains("retention:    none (nothing may be erased");
    Path c1 = dir.resolve("chain-1.txt");
    CliResult set = run(args(List.of("manifest", "set-retention", "--closed-days", "365", "--referral-days", "1825",
        "--spam-days", "30", "--early-signatures", "2", "--chain", c0.toString(), "-o", c1.toString()),
        shareArgs("ana", "beto")));
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("Retention policy set (closed cases kept 365 days, 1825 days while a referral is"
        + " open, spam and malformed reports 30 days after receipt; early erasure needs 2 signature(s)): manifest 1");
    CliResult v = run("manifest", "verify", "--root", root, c1.toString());
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).contains("2 manifest(s) verified").contains("retention:    closed cases kept 365 days");
    List<SignedManifest> chain = SignedManifest.parseArmored(Files.readString(c1));
    assertThat(chain.get(1).encoded()[7]).isEqualTo((byte) SignedManifest.VERSION_RETENTION);
    assertThat(ManifestChain.verify(chain, org.testigo.crypto.Fingerprint.fromHex(root)).retentionPolicy())
        .contains(org.testigo.crypto.manifest.RetentionPolicy.DEFAULT);

    for (List<String> bad : List.of(List.of("--closed-days", "400", "--referral-days", "300", "--spam-days", "30",
        "--early-signatures", "2"), List.of("--closed-days", "0", "--referral-days", "300", "--spam-days", "30",
        "--early-signatures", "2"), List.of("--closed-days", "365", "--referral-days", "1825", "--spam-days", "30",
        "--early-signatures", "9"))) {
      Path out = dir.resolve("bad.txt");
      List<String> a = new java.util.ArrayList<>(List.of("manifest", "set-retention"));
      a.addAll(bad);
      a.addAll(List.of("--chain", c0.toString(), "-o", out.toString()));
      CliResult r = run(args(a, shareArgs("ana", "beto")));
      assertThat(r.code()).as(bad.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(out).doesNotExist();
    }
    Path same = dir.resolve("same.txt");
    CliResult again = run(args(List.of("manifest", "set-retention", "--closed-days", "365", "--referral-days", "1825",
        "--spam-days", "30", "--early-signatures", "2", "--chain", c1.toString(), "-o", same.toString()),
        shareArgs("ana", "beto")));
    assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).contains("already the retention policy in force");
    assertThat(same).doesNotExist();
  }

  @Test
  void manifestChange_withTooFewSharesFailsClearlyAndWritesNothing() throws IOException {
    Path out = dir.resolve("chain-1.txt");
    CliResult r = run(args(List.of("manifest", "remove-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", out.toString()), shareArgs("ana")));
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("2 shares are needed to rebuild the root key, 1 was given");
    assertThat(out).doesNotExist();
  }

  @Test
  void manifestChange_withAWrongCustodianPassphraseNamesTheShare() throws IOException {
    Path out = dir.resolve("chain-1.txt");
    CliResult r = run("manifest", "remove-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", out.toString(),
        "--share", shares.resolve("ana.tshare").toString(), "--share-passphrase-file",
        pass("beto").toString(),
        "--share", shares.resolve("beto.tshare").toString(), "--share-passphrase-file",
        pass("beto").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("custodian ana").contains("wrong passphrase");
    assertThat(out).doesNotExist();
  }

  @Test
  void manifestChange_acceptsAPrintedShareAndRefusesATamperedOne() throws IOException {
    Path out = dir.resolve("chain-1.txt");
    CliResult ok = run(args(List.of("manifest", "revoke-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", out.toString(),
        "--share", shares.resolve("carla.share.txt").toString()), shareArgs("ana")));
    assertThat(ok.code()).as(ok.err()).isZero();

    String printed = Files.readString(shares.resolve("carla.share.txt"));
    String[] lines = printed.split("\n");
    lines[7] = lines[7].substring(0, 5) + (lines[7].charAt(5) == 'A' ? 'B' : 'A')
        + lines[7].substring(6);
    Path typo = dir.resolve("typo.txt");
    Files.writeString(typo, String.join("\n", lines) + "\n");
    CliResult bad = run(args(List.of("manifest", "revoke-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", dir.resolve("x.txt").toString(),
        "--share", typo.toString()), shareArgs("ana")));
    assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("line 3").contains("mistyped");
  }

  @Test
  void manifestChange_refusesSharesOfAnotherCeremonyAndAChainOfAnotherRoot()
      throws IOException {
    Path other = dir.resolve("other");
    assertThat(run("custody", "init", "--organisation", "Otra", "--custodian",
        "ana=" + pass("ana"), "--custodian", "beto=" + pass("beto"), "-m", "2",
        "--log-key", logKeyFile(LOG, "log-o.pub").toString(), "--out", other.toString(),
        "--argon2-memory-mib", "8", "--argon2-iterations", "1").code()).isZero();
    CliResult mixed = run(args(List.of("manifest", "remove-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", dir.resolve("x.txt").toString(),
        "--share", other.resolve("ana.tshare").toString(), "--share-passphrase-file",
        pass("ana").toString()), shareArgs("beto")));
    assertThat(mixed.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(mixed.err()).contains("different root keys");
    CliResult foreignChain = run("manifest", "remove-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", dir.resolve("y.txt").toString(),
        "--share", other.resolve("ana.tshare").toString(), "--share-passphrase-file",
        pass("ana").toString(), "--share", other.resolve("beto.tshare").toString(),
        "--share-passphrase-file", pass("beto").toString());
    assertThat(foreignChain.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(foreignChain.err()).contains("does not verify from the root key");
  }

  @Test
  void reshare_givesNewCustodiansTheSameRootAndOldSharesNoLongerMix() throws IOException {
    Path next = dir.resolve("next");
    CliResult r = run(args(List.of("custody", "reshare", "--custodian", "carla=" + pass("carla"),
        "--custodian", "diego=" + pass("diego"), "--custodian", "elena=" + pass("elena"),
        "-m", "2", "--out", next.toString(), "--argon2-memory-mib", "8",
        "--argon2-iterations", "1"), shareArgs("ana", "beto")));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(KeyManifest.rootFingerprint(
        org.testigo.crypto.sign.SigningPublicKeyText.parse(
            org.testigo.crypto.sign.SigningPublicKeyText.Kind.ROOT,
            Files.readString(shares.resolve("root.pub")))).shortForm());
    Path out = dir.resolve("chain-1.txt");
    CliResult sign = run("manifest", "revoke-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", out.toString(),
        "--share", next.resolve("diego.tshare").toString(), "--share-passphrase-file",
        pass("diego").toString(), "--share", next.resolve("elena.tshare").toString(),
        "--share-passphrase-file", pass("elena").toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    CliResult mixed = run(args(List.of("manifest", "revoke-reviewer", "maria", "--chain",
        shares.resolve("chain.txt").toString(), "-o", dir.resolve("z.txt").toString(),
        "--share", next.resolve("diego.tshare").toString(), "--share-passphrase-file",
        pass("diego").toString()), shareArgs("ana")));
    assertThat(mixed.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(mixed.err()).contains("different share sets of the same root key");
  }

  @Test
  void manifestNew_signsAGenesisFromShares() throws IOException {
    Path out = dir.resolve("genesis.txt");
    CliResult r = run(args(List.of("manifest", "new", "--organisation", "Casa del Migrante",
        "--log-key", logKeyFile(LOG, "log.pub").toString(), "--reviewer",
        bundle("luis").toString(), "-o", out.toString()), shareArgs("ana", "beto")));
    assertThat(r.code()).as(r.err()).isZero();
    CliResult v = run("manifest", "verify", "--root", root, out.toString());
    assertThat(v.code()).isZero();
    assertThat(v.out()).contains("luis");
  }

  private Path proofFile(SigningPrivateKey key, Instant at) throws IOException {
    List<LogLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      leaves.add(LogLeaf.ofObject(LogLeaf.EntryType.SUBMISSION, at, ("sobre " + i).getBytes()));
    }
    LeafHashSource src = LeafHashSource.of(leaves.stream().map(LogLeaf::leafHash).toList());
    SignedTreeHead sth = SignedTreeHead.sign(6, MerkleTree.root(src), at.toEpochMilli(), key);
    Path p = dir.resolve("proof.txt");
    Files.writeString(p, FilingProof.build(src, leaves.get(4), 4, sth, key.publicKey())
        .toArmored());
    return p;
  }

  @Test
  void proofVerify_printsWhatItProvesAndFailsAfterAnyChange() throws Exception {
    Path proof = proofFile(LOG, Instant.now().plusSeconds(5));
    Path chain = shares.resolve("chain.txt");
    CliResult ok = run("proof", "verify", proof.toString(), "--manifest", chain.toString(),
        "--root", root);
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("An entry with hash").contains("existed in the log at")
        .contains("reveals nothing of the content").contains("key manifest 0");
    CliResult withKey = run("proof", "verify", proof.toString(), "--log-key",
        dir.resolve("log.pub").toString());
    assertThat(withKey.code()).as(withKey.err()).isZero();

    FilingProof p = FilingProof.parseArmored(Files.readString(proof));
    byte[] enc = p.encoded();
    int failures = 0;
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= 0x20;
      String b64 = java.util.Base64.getEncoder().encodeToString(bad);
      String text = FilingProof.BEGIN + "\n" + b64 + "\nchecksum: "
          + checksum(bad) + "\n" + FilingProof.END + "\n";
      Files.writeString(proof, text);
      CliResult r = run("proof", "verify", proof.toString(), "--manifest", chain.toString(),
          "--root", root);
      assertThat(r.code()).as("byte %d", i).isEqualTo(ExitCodes.CRYPTO);
      failures++;
    }
    assertThat(failures).isEqualTo(enc.length);
    Files.writeString(proof, p.toArmored().replace("checksum: ", "checksum: 0"));
    assertThat(run("proof", "verify", proof.toString(), "--manifest", chain.toString(),
        "--root", root).code()).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void proofVerify_refusesAHeadSignedByAKeyNotInTheManifest() throws IOException {
    Path proof = proofFile(TestKeys.signing("rogue"), Instant.now().plusSeconds(5));
    CliResult r = run("proof", "verify", proof.toString(), "--manifest",
        shares.resolve("chain.txt").toString(), "--root", root);
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("does not verify");
  }

  private static String checksum(byte[] enc) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest
          .getInstance("SHA-256").digest(enc), 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void init_refusesAThresholdAboveTheNumberOfCustodians() {
    CliResult r = run("custody", "init", "--organisation", "X", "--custodian", "a1",
        "--custodian", "a2", "-m", "3", "--out", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Arrays.asList(dir.toFile().list())).doesNotContain("x");
  }
}

package org.testigo.crypto.erasure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.GoldenTorWriter;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * The golden files of retention and erasure (docs/spec/retention-and-erasure.md): the golden
 * v2 chain plus manifest 3 (v3, the default retention policy), and one erasure decision by
 * policy signed by maria (admin) and an early one co-signed by maria and jose. Deterministic
 * (test keys, Ed25519); the tests rebuild them and compare byte for byte. Run once with the
 * test classpath: {@code java ... GoldenErasureWriter crypto/src/test/resources/golden}.
 */
public final class GoldenErasureWriter {
  private GoldenErasureWriter() {}

  static final CaseId CASE = CaseId.fromHex("00112233445566778899aabbccddeeff");
  static final EventId RECORD = EventId.fromHex(
      "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e");

  /** The golden v2 chain plus manifest 3: the same reviewers with the default policy. */
  public static List<SignedManifest> chainV3() {
    List<SignedManifest> chain = new ArrayList<>(GoldenTorWriter.chainV2());
    SignedManifest m2 = chain.get(chain.size() - 1);
    chain.add(SignedManifest.sign(ManifestUpdates.setRetention(m2, RetentionPolicy.DEFAULT,
        Instant.parse("2026-04-01T12:00:00Z")), TestKeys.goldenRoot()));
    return chain;
  }

  static List<byte[]> objects() {
    HexFormat hex = HexFormat.of();
    return List.of(
        hex.parseHex("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"),
        hex.parseHex("0101010101010101010101010101010101010101010101010101010101010101"),
        hex.parseHex("8000000000000000000000000000000000000000000000000000000000000001"));
  }

  /** By policy: a report received by 2025-12-10 (closed 365 days), due 2026-12-15, decided 2026-12-20. */
  public static ErasureDecision byPolicy() {
    return ErasureDecision.sign(new ErasureDecision.Body(CASE,
        ErasureDecision.Reason.RETENTION_DUE, ErasureDecision.Basis.POLICY,
        Instant.parse("2026-12-20T10:00:00Z"), LocalDate.parse("2026-12-15"), RECORD, objects()),
        TestKeys.identity("maria").signingKey());
  }

  /** Early, at the source's request, signed by maria and co-signed by jose. */
  public static ErasureDecision early() {
    return ErasureDecision.sign(new ErasureDecision.Body(CASE,
        ErasureDecision.Reason.SOURCE_REQUEST, ErasureDecision.Basis.EARLY,
        Instant.parse("2026-05-02T08:30:00Z"), null, RECORD, objects()),
        TestKeys.identity("maria").signingKey())
        .cosign(TestKeys.identity("jose").signingKey());
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.writeString(dir.resolve("manifest-chain-v3.txt"), ManifestChain.toArmored(chainV3()));
    Files.writeString(dir.resolve("erasure-decision-v1-policy.txt"), byPolicy().toArmored());
    Files.writeString(dir.resolve("erasure-decision-v1-early.txt"), early().toArmored());
    HexFormat hex = HexFormat.of();
    Files.writeString(dir.resolve("erasure-decision-v1.facts.txt"),
        "manifest-3-hash: " + chainV3().get(3).hash().hex() + "\n"
            + "maria-signing-public: " + hex.formatHex(TestKeys.identity("maria").signingKey().publicKey().toBytes()) + "\n"
            + "jose-signing-public: " + hex.formatHex(TestKeys.identity("jose").signingKey().publicKey().toBytes()) + "\n"
            + "policy-decision-sha256: " + hex.formatHex(byPolicy().hash()) + "\n"
            + "early-decision-sha256: " + hex.formatHex(early().hash()) + "\n");
    byte[] seed = hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    SigningPrivateKey k = SigningPrivateKey.fromSeed(seed);
    for (String msg : new String[] {"", "7465737469676f"}) {
      byte[] m = hex.parseHex(msg);
      System.out.println(SignatureDomain.ERASURE.label() + ' ' + hex.formatHex(seed) + ' '
          + (m.length == 0 ? "-" : hex.formatHex(m)) + ' '
          + hex.formatHex(k.sign(SignatureDomain.ERASURE, m)));
    }
  }
}

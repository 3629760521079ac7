package org.testigo.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Writes the golden files of the Tor client-auth field (public bundle v2, key manifest v2) and
 * prints the two {@code signature-domain-v1.txt} lines of the {@code tor-client-auth-v1} domain.
 * Everything is deterministic (test keys, Ed25519); {@link #chainV2()} is also what the tests
 * rebuild and compare byte for byte. Run once: {@code java ... GoldenTorWriter DIR}.
 */
public final class GoldenTorWriter {
  private GoldenTorWriter() {}

  /** The golden v1 chain plus manifest 2 (v2): maria and jose with Tor keys, ana without. */
  public static List<SignedManifest> chainV2() {
    List<SignedManifest> chain = new ArrayList<>(TestKeys.goldenChain());
    SigningPrivateKey root = TestKeys.goldenRoot();
    KeyManifest m1 = chain.get(1).manifest();
    KeyManifest m2 = new KeyManifest(2, chain.get(1).hash(), m1.organisation(), m1.rootKey(), m1.logKey(),
        List.of(withTor("maria", ReviewerEntry.ROLE_ADMIN), withTor("jose", ReviewerEntry.ROLE_REVIEWER),
            TestKeys.entry("ana", ReviewerEntry.ROLE_AUDITOR)),
        Instant.parse("2026-03-01T12:00:00Z"));
    chain.add(SignedManifest.sign(m2, root));
    return chain;
  }

  static ReviewerEntry withTor(String alias, String role) {
    return ReviewerEntry.of(TestKeys.identity(alias).publicBundleWithTorKey(), role,
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ReviewerIdentity maria = TestKeys.identity("maria");
    Files.writeString(dir.resolve("reviewer-bundle-v2.txt"), maria.publicBundleWithTorKey().toText());
    List<SignedManifest> chain = chainV2();
    Files.writeString(dir.resolve("manifest-chain-v2.txt"), ManifestChain.toArmored(chain));
    Files.writeString(dir.resolve("manifest-v2-tor-keys.txt"),
        "maria-tor-client-auth-public: " + maria.torClientAuthPublicKey().base32() + "\n"
            + "maria-tor-client-auth-private-hex: " + HexFormat.of().formatHex(maria.torClientAuthPrivateKey().exposeSecret()) + "\n"
            + "jose-tor-client-auth-public: " + TestKeys.identity("jose").torClientAuthPublicKey().base32() + "\n"
            + "manifest-2-hash: " + chain.get(2).hash().hex() + "\n");
    HexFormat hex = HexFormat.of();
    byte[] seed = hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    SigningPrivateKey k = SigningPrivateKey.fromSeed(seed);
    for (String msg : new String[] {"", "7465737469676f"}) {
      byte[] m = hex.parseHex(msg);
      System.out.println(SignatureDomain.TOR_CLIENT_AUTH.label() + ' ' + hex.formatHex(seed) + ' '
          + (m.length == 0 ? "-" : hex.formatHex(m)) + ' ' + hex.formatHex(k.sign(SignatureDomain.TOR_CLIENT_AUTH, m)));
    }
  }
}

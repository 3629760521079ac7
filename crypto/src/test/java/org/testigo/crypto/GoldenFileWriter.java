package org.testigo.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Writes the v1 golden files once. Not a test: run by hand with the test classpath, then
 * commit the output. Golden files are never regenerated for an existing version.
 */
public final class GoldenFileWriter {
  /** NFC passphrase with non-ASCII characters, as a person would type it. */
  public static final String PASSPHRASE = "correcto caballo batería ñandú 7";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    HexFormat hex = HexFormat.of();

    StringBuilder sig = new StringBuilder(
        "# domain-label seed-hex message-hex signature-hex (Ed25519 over testigo-sig-v1||0||label||0||message)\n");
    byte[] seed = hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    SigningPrivateKey k = SigningPrivateKey.fromSeed(seed);
    for (SignatureDomain d : SignatureDomain.values()) {
      for (String msg : new String[] {"", "7465737469676f"}) {
        byte[] m = hex.parseHex(msg);
        sig.append(d.label()).append(' ').append(hex.formatHex(seed)).append(' ')
            .append(m.length == 0 ? "-" : hex.formatHex(m)).append(' ')
            .append(hex.formatHex(k.sign(d, m))).append('\n');
      }
    }
    Files.writeString(dir.resolve("signature-domain-v1.txt"), sig);

    ReviewerIdentity id = TestKeys.identity("maria");
    byte[] ks = Keystore.encrypt(id, Passphrase.of(PASSPHRASE.toCharArray()),
        KeystoreParams.TEST, SecureRandom.getInstanceStrong());
    Files.write(dir.resolve("keystore-v1.tkey"), ks);
    Files.writeString(dir.resolve("keystore-v1.passphrase.txt"), PASSPHRASE + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("keystore-v1.fingerprint.txt"), id.fingerprint().hex() + "\n");
    Files.writeString(dir.resolve("reviewer-bundle-v1.txt"), id.publicBundle().toText());

    var chain = TestKeys.goldenChain();
    Files.writeString(dir.resolve("manifest-chain-v1.txt"), ManifestChain.toArmored(chain));
    var root = TestKeys.goldenRoot().publicKey();
    Files.writeString(dir.resolve("manifest-root-v1.txt"),
        "root-public-key: " + hex.formatHex(root.toBytes()) + "\n"
            + "root-fingerprint: " + Fingerprint.of("testigo-root-v1", root.toBytes()).hex() + "\n"
            + "manifest-0-hash: " + chain.get(0).hash().hex() + "\n"
            + "manifest-1-hash: " + chain.get(1).hash().hex() + "\n");
  }
}

package org.testigo.crypto.manifest;

import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;

/**
 * Verification of a whole key-manifest history against a pinned root fingerprint.
 *
 * <p>Rules (v1): the chain is non-empty; the first manifest has sequence 0 and no previous
 * hash; each later manifest has sequence = previous + 1, previousHash = hash of the previous
 * signed manifest, and issuedAt not earlier than the previous one; every manifest names the
 * pinned root key and carries a valid root signature. Root rotation is out of scope in v1:
 * the root key is constant for the life of a chain, and a new root means a new pinned
 * fingerprint and a new chain.
 */
public final class ManifestChain {
  private ManifestChain() {}

  /** Verifies the chain and returns its latest manifest; throws the generic exception. */
  public static KeyManifest verify(List<SignedManifest> chain, Fingerprint pinnedRootFingerprint)
      throws CryptoException {
    if (chain == null || chain.isEmpty() || pinnedRootFingerprint == null) {
      throw new CryptoException();
    }
    SignedManifest previous = null;
    for (SignedManifest current : chain) {
      current.verify(pinnedRootFingerprint);
      KeyManifest m = current.manifest();
      if (previous == null) {
        if (m.sequence() != 0 || m.previousHash() != null) {
          throw new CryptoException();
        }
      } else {
        KeyManifest p = previous.manifest();
        if (m.sequence() != p.sequence() + 1
            || !previous.hash().equals(m.previousHash())
            || m.issuedAt().isBefore(p.issuedAt())) {
          throw new CryptoException();
        }
      }
      previous = current;
    }
    return previous.manifest();
  }

  /** The armored text of a chain: the blocks of {@link SignedManifest#toArmored()} in order. */
  public static String toArmored(List<SignedManifest> chain) {
    StringBuilder sb = new StringBuilder();
    for (SignedManifest m : chain) {
      sb.append(m.toArmored());
    }
    return sb.toString();
  }
}

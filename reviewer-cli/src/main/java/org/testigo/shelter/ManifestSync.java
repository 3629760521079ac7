package org.testigo.shelter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * Accepting a manifest chain: it must verify from the pinned root fingerprint
 * ({@link ManifestChain#verify}) and extend the stored chain (the stored manifests are a
 * byte-identical prefix of it), which refuses rollback to an older chain and forks. A
 * refused chain leaves the stored one untouched.
 */
final class ManifestSync {
  private ManifestSync() {}

  /** Verifies {@code armored} and stores it; returns the latest manifest. */
  static KeyManifest accept(ShelterProfile profile, String armored, String source)
      throws IOException {
    List<SignedManifest> chain;
    KeyManifest latest;
    try {
      chain = SignedManifest.parseArmored(armored);
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.BAD_INPUT, source + " is not an armored manifest chain");
    }
    try {
      latest = ManifestChain.verify(chain, profile.root);
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.CRYPTO, "the manifest chain from " + source
          + " does not verify from the pinned root fingerprint; nothing was changed");
    }
    Optional<List<SignedManifest>> stored = profile.storedChain();
    if (stored.isPresent()) {
      List<SignedManifest> old = stored.get();
      boolean extends_ = chain.size() >= old.size();
      for (int i = 0; extends_ && i < old.size(); i++) {
        extends_ = Arrays.equals(old.get(i).encoded(), chain.get(i).encoded());
      }
      if (!extends_) {
        throw new CliException(ExitCodes.CRYPTO, "the manifest chain from " + source
            + " does not extend the stored one (an older or forked chain); kept the stored"
            + " chain (sequence " + old.get(old.size() - 1).manifest().sequence() + ")");
      }
    }
    profile.storeChain(chain);
    return latest;
  }

  /** Fetches {@code GET /api/v1/manifest} and accepts it. */
  static KeyManifest refresh(ShelterProfile profile, ShelterHttp http) throws IOException {
    ShelterHttp.Response r = http.get(profile.endpoint(ApiPaths.MANIFEST));
    if (r.status() != 200) {
      throw new CliException(ShelterExitCodes.SERVER_REFUSED, "the server answered "
          + r.status() + " to the manifest request");
    }
    return accept(profile, new String(r.body(), StandardCharsets.US_ASCII), "the server");
  }
}

package org.testigo.server.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.domain.KeyState;
import org.testigo.server.storage.TransparencyLog;

/**
 * Replaces the server's key manifest chain while it runs, only with a chain that extends it.
 *
 * <p>A new chain is accepted only if all of this holds, else nothing changes (file, memory,
 * log): it parses; it verifies from the pinned root fingerprint ({@link ManifestChain#verify});
 * it begins with every manifest of the current chain, byte for byte, and adds at least one;
 * every added manifest names the server's own log key (a log-key rotation needs a restart
 * with the new key file); its latest manifest lists at least one reviewer valid now.
 *
 * <p>Then, in this order: the manifest file is replaced atomically (written to a temporary
 * file in the same directory, forced to disk, renamed over the old one, directory synced);
 * the added manifests are appended to the transparency log as MANIFEST leaves; only then
 * does the in-memory
 * {@link KeyState} switch, so no report is sealed to a key whose manifest is not in the log.
 * If logging fails after the file was replaced, the next start logs the chain (as at every
 * start) and running the update again completes it. Updates are serialised.
 */
public final class ManifestUpdater {
  private final KeyState keys;
  private final Path manifestFile;
  private final SigningPublicKey logKey;
  private final TransparencyLog log;
  private final Clock clock;

  /** The chain was refused; the message says why and nothing was changed. */
  public static final class RefusedException extends Exception {
    public RefusedException(String message) {
      super(message);
    }
  }

  public ManifestUpdater(KeyState keys, Path manifestFile, SigningPublicKey logKey, TransparencyLog log,
      Clock clock) {
    this.keys = keys;
    this.manifestFile = manifestFile;
    this.logKey = logKey;
    this.log = log;
    this.clock = clock;
  }

  /** Checks and installs {@code armoredChain}; returns the new latest manifest. */
  public synchronized KeyManifest update(String armoredChain) throws RefusedException, IOException {
    List<SignedManifest> next;
    KeyManifest latest;
    try {
      next = SignedManifest.parseArmored(armoredChain);
    } catch (CryptoException | RuntimeException e) {
      throw new RefusedException("the body is not an armored key manifest chain");
    }
    try {
      latest = ManifestChain.verify(next, keys.rootFingerprint());
    } catch (CryptoException | RuntimeException e) {
      throw new RefusedException("the chain does not verify from the pinned root fingerprint "
          + keys.rootFingerprint().hex() + " (wrong root, bad signature, or broken sequence/hash links)");
    }
    KeyState.Snapshot now = keys.snapshot();
    List<SignedManifest> current = now.chain();
    if (next.size() <= current.size()) {
      throw new RefusedException("the chain has " + next.size() + " manifest(s) and the current one "
          + current.size() + ": an update must add at least one manifest to the current chain");
    }
    for (int i = 0; i < current.size(); i++) {
      if (!Arrays.equals(current.get(i).encoded(), next.get(i).encoded())) {
        throw new RefusedException("manifest " + i + " differs from the current chain: the new chain must"
            + " begin with the current chain byte for byte (a fork is refused)");
      }
    }
    for (SignedManifest added : next.subList(current.size(), next.size())) {
      if (!added.manifest().logKey().fingerprint().equals(logKey.fingerprint())) {
        throw new RefusedException("manifest " + added.manifest().sequence() + " names another log key"
            + " than this server's: a log-key rotation needs a restart with the new log key file");
      }
    }
    if (KeyState.recipientsAt(latest, clock.instant()).isEmpty()) {
      throw new RefusedException("the new manifest lists no reviewer valid now");
    }
    String armored = ManifestChain.toArmored(next);
    replaceFile(armored);
    log.logManifests(next, clock.instant());
    keys.install(new KeyState.Snapshot(latest, armored, next));
    return latest;
  }

  private void replaceFile(String armored) throws IOException {
    Path dir = manifestFile.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".manifest-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(armored.getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      try {
        Files.move(tmp, manifestFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace the manifest file atomically on this file system", e);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename durable where the platform allows syncing a directory (Linux does). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // The rename itself is atomic; only its durability across a power cut is not forced here.
    }
  }
}

package org.testigo.server.tor;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * Who may reach the reviewer onion: the Tor client-auth keys of the manifest in force (key
 * manifest v2), for the entries valid now. The manifest is the one list: a new manifest that
 * adds, removes or revokes a reviewer changes onion access at the next check, with no second
 * file to edit.
 *
 * <p>Migration: while the manifest in force has no Tor key at all (every v1 manifest), the
 * keys come from {@code tor.reviewerClientKeys} and {@code tor.reviewerClientKeysFile} as
 * before. From the first manifest that lists one, both are ignored (a warning says so once),
 * even if every listed key has since expired: a stale file never re-admits anyone.
 */
public final class ReviewerOnionClients {
  /** Where the keys came from. */
  public enum Source { MANIFEST, FILE }

  /** The authorised clients now, and their source. */
  public record Derived(List<ClientAuthPublicKey> keys, Source source) {}

  private final Supplier<KeyManifest> manifest;
  private final TorSettings settings;
  private final Clock clock;

  /** {@code manifest} may be null (no manifest: the settings' keys only). */
  public ReviewerOnionClients(Supplier<KeyManifest> manifest, TorSettings settings, Clock clock) {
    this.manifest = manifest;
    this.settings = settings;
    this.clock = clock;
  }

  /** The keys to publish now. The file is read only when the manifest has no Tor key. */
  public Derived current() throws IOException {
    KeyManifest m = manifest == null ? null : manifest.get();
    if (m != null && m.hasTorClientAuthKeys()) {
      return new Derived(m.torClientAuthKeys(clock.instant()).stream()
          .map(k -> ClientAuthPublicKey.fromBytes(k.toBytes())).distinct().toList(), Source.MANIFEST);
    }
    return new Derived(settings.readReviewerClientKeys(), Source.FILE);
  }

  /** True if the settings also name keys (then ignored once the manifest has Tor keys). */
  boolean settingsNameKeys() {
    return !settings.getReviewerClientKeys().isEmpty() || settings.getReviewerClientKeysFile() != null;
  }
}

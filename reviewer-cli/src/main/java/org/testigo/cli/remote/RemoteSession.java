package org.testigo.cli.remote;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * What a command that works with a server holds for its run: the decrypted identity, the
 * registered server, its local cache and a signing client. {@link #close()} destroys the
 * identity.
 */
public final class RemoteSession implements AutoCloseable {
  public final ReviewerIdentity identity;
  public final ServerRegistry.Server server;
  public final LocalCache cache;
  public final ReviewerApiClient client;

  private RemoteSession(ReviewerIdentity identity, ServerRegistry.Server server, LocalCache cache) {
    this.identity = identity;
    this.server = server;
    this.cache = cache;
    this.client = new ReviewerApiClient(server.url(), server.socks(), identity.signingKey(), Clock.systemUTC(), new SecureRandom());
  }

  public static ServerRegistry.Server server(HomeOptions home) throws IOException {
    return new ServerRegistry(home.home()).find(home.serverName()).orElseThrow(() -> new CliException(
        ExitCodes.USAGE, "no server named '" + home.serverName() + "'; register one with:"
            + " testigo-reviewer server add URL --root FINGERPRINT"));
  }

  public static RemoteSession open(HomeOptions home, KeystoreOption keystore, PassphraseOptions passphrase)
      throws IOException, CryptoException {
    ServerRegistry.Server server = server(home);
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    return new RemoteSession(Identities.open(keystore, passphrase), server, cache);
  }

  @Override
  public void close() {
    identity.destroy();
  }
}

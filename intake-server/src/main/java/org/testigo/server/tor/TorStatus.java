package org.testigo.server.tor;

import java.time.Instant;

/**
 * A snapshot of the server's view of tor, refreshed by the {@link OnionServices} watchdog.
 * Holds nothing about clients: tor never tells the server who connects, and nothing here
 * asks it to.
 *
 * @param connected         an authenticated control connection is open
 * @param torVersion        tor's version, or null before the first connection
 * @param bootstrapProgress 0..100 from GETINFO status/bootstrap-phase, -1 if unknown
 * @param bootstrapSummary  tor's summary of the bootstrap phase
 * @param sourcePublished   the source service is in GETINFO onions/current of our connection
 * @param reviewerPublished the reviewer service is in GETINFO onions/current
 * @param reviewerClients   client-auth keys configured for the reviewer service (tor confirmed each one when {@code reviewerPublished})
 * @param proofOfWork       the PoW defence was requested from tor and accepted
 * @param problem           the last error, or null
 * @param checkedAt         when this snapshot was taken
 */
public record TorStatus(boolean connected, String torVersion, int bootstrapProgress,
    String bootstrapSummary, boolean sourcePublished, boolean reviewerPublished,
    int reviewerClients, boolean proofOfWork, String problem, Instant checkedAt) {

  static TorStatus initial() {
    return new TorStatus(false, null, -1, "not connected", false, false, 0, false,
        "not started", Instant.now());
  }

  TorStatus disconnected(String why) {
    return new TorStatus(false, torVersion, -1, "not connected", false, false, 0, false, why,
        Instant.now());
  }
}

package org.testigo.shelter;

import org.testigo.cli.common.ExitCodes;

/**
 * Exit codes of {@code testigo-shelter}: those of {@link ExitCodes} (0..6, same meaning)
 * plus two for the network, so a script can retry later without reading messages.
 */
public final class ShelterExitCodes {
  /** The server could not be reached (connection refused, timeout, SOCKS proxy failure). */
  public static final int UNREACHABLE = 7;
  /** The server answered with an error status; nothing was removed from the outbox. */
  public static final int SERVER_REFUSED = 8;

  private ShelterExitCodes() {}
}

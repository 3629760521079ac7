package org.testigo.server.tor;

/**
 * Tor refused the control-port credentials, or they could not be read. A configuration
 * error: {@link OnionServices#start()} fails with it rather than retrying.
 */
public class TorAuthenticationException extends TorControlException {
  private static final long serialVersionUID = 1L;

  public TorAuthenticationException(String message) {
    super(message);
  }

  public TorAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}

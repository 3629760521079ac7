package org.testigo.server.tor;

/** Tor answered a command with an error status; the message is tor's own text. */
public class TorReplyException extends TorControlException {
  private static final long serialVersionUID = 1L;

  public TorReplyException(String message) {
    super(message);
  }
}

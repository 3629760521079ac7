package org.testigo.server.tor;

import java.io.IOException;

/**
 * A failure talking to tor's control port, with a message an operator can act on
 * (which file, which port, what tor said). Never carries a secret: cookie, password and
 * keys are not part of any message.
 */
public class TorControlException extends IOException {
  private static final long serialVersionUID = 1L;

  public TorControlException(String message) {
    super(message);
  }

  public TorControlException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.testigo.api.client;

/**
 * A failure of the client side of the Testigo APIs, with a one-line message meant for the person
 * at the keyboard (never a response body, which may hold anything) and its {@link Kind}, which
 * a command-line tool maps to its exit code.
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Kind {
    /** The request cannot be made as given (an onion address without a SOCKS proxy). */
    USAGE,
    /** A value the person gave is malformed (a {@code --socks} address). */
    BAD_INPUT,
    /** The server could not be reached, refused, or answered something unusable. */
    SERVER
  }

  private final Kind kind;

  public ClientException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

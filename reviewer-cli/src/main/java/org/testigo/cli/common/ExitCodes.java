package org.testigo.cli.common;

import org.testigo.api.client.ClientException;

/**
 * Exit codes of {@code testigo-reviewer}, documented in README.md and in {@code --help}.
 */
public final class ExitCodes {
  /** The command did what was asked, or found it already done (then it says so). */
  public static final int OK = 0;
  /** Unexpected internal error (a bug): the message carries an error id. */
  public static final int INTERNAL = 1;
  /** Wrong usage: unknown option, missing argument. */
  public static final int USAGE = 2;
  /** Decryption or verification failed: wrong passphrase, wrong key, tampered input. */
  public static final int CRYPTO = 3;
  /** A file could not be read or written. */
  public static final int IO = 4;
  /** Input that is not in the expected format (not a key bundle, not a manifest...). */
  public static final int BAD_INPUT = 5;
  /**
   * The operation would overwrite or reveal something, or a case rule forbids the triage
   * action (e.g. reopening an open case), and was refused; nothing was changed.
   */
  public static final int REFUSED = 6;
  /** The server could not be reached, or refused or failed the request. */
  public static final int SERVER = 7;

  /**
   * The exit code of a failure of the API client: {@link #USAGE} (an onion address without a
   * SOCKS proxy), {@link #BAD_INPUT} (a malformed {@code --socks}), {@link #SERVER} (the server
   * could not be reached, refused, or answered something unusable).
   */
  public static int of(ClientException.Kind kind) {
    return switch (kind) {
      case USAGE -> USAGE;
      case BAD_INPUT -> BAD_INPUT;
      case SERVER -> SERVER;
    };
  }

  private ExitCodes() {}
}

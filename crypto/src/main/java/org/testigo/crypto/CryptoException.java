package org.testigo.crypto;

/**
 * The one checked exception of the crypto module.
 *
 * <p>Its message is always generic: it never says which check failed (a MAC, a tag, a
 * signature, a length), so that an attacker probing with modified inputs learns nothing
 * beyond "it did not open". The cause is never attached.
 */
public final class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The only message callers ever see for a failed open or verify. */
  public static final String GENERIC = "decryption or verification failed";

  public CryptoException() {
    super(GENERIC, null, false, false);
  }
}

package org.testigo.crypto.custody;

/**
 * A root-key custody operation that cannot proceed, with a message a custodian can act on
 * ("3 shares are needed, 2 were given"). Unchecked, like the other argument errors of the
 * crypto module: it reports a mistake in what was handed in, never a secret. The messages
 * name only public facts (custodian names, share numbers, fingerprints).
 *
 * <p>Failure to open a passphrase-protected share file is not reported here but with the
 * generic {@link org.testigo.crypto.CryptoException}: a wrong passphrase and a modified
 * file are indistinguishable by design.
 */
public final class CustodyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for programs; the message is for people. */
  public enum Reason {
    /** Fewer shares than the threshold were given (or none at all). */
    TOO_FEW_SHARES,
    /** The shares come from different ceremonies (another root key or another share set). */
    DIFFERENT_CEREMONIES,
    /** The same share number was given more than once. */
    DUPLICATE_SHARE,
    /** The shares agree on their headers but do not combine to the recorded root key. */
    SHARES_DO_NOT_REBUILD_ROOT,
    /** The shares' headers contradict each other (a forged or corrupted share). */
    INCONSISTENT_SHARES
  }

  private final Reason reason;

  public CustodyException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

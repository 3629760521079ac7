package org.testigo.crypto.receipt;

import java.nio.charset.StandardCharsets;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.Hkdf;

/**
 * What the server stores to find a mailbox: a keyed hash of the source's lookup key,
 * {@code HMAC-SHA256(key = deploymentSecret, "testigo-mailbox-v1" || lookupKey)}. Without
 * the deployment secret, a stolen database gives no way to test guessed receipts.
 */
public final class MailboxIds {
  static final String DOMAIN = "testigo-mailbox-v1";
  public static final int LENGTH = 32;

  private MailboxIds() {}

  /**
   * @param deploymentSecret at least 32 bytes, kept in the server's secrets file
   * @param lookupKey a 32-byte {@link ReceiptKeys#mailboxLookupKey()}
   * @return the 32-byte mailbox id
   */
  public static byte[] keyedHash(SecretBytes deploymentSecret, SecretBytes lookupKey) {
    if (deploymentSecret.length() < 32) {
      throw new IllegalArgumentException("deployment secret must be at least 32 bytes");
    }
    if (lookupKey.length() != ReceiptKeys.KEY_LENGTH) {
      throw new IllegalArgumentException("lookup key must be 32 bytes");
    }
    return Hkdf.hmacSha256(deploymentSecret.exposeSecret(),
        DOMAIN.getBytes(StandardCharsets.US_ASCII), lookupKey.exposeSecret());
  }
}

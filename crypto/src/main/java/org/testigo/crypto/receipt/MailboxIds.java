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

  static final String FORM_REPORT_DOMAIN = "testigo-form-report-id-v1";
  /** Bytes of a form report's id (an envelope id). */
  public static final int FORM_REPORT_ID_LENGTH = 16;

  /**
   * The envelope id of a report sent through the form without JavaScript, which the server seals
   * (docs/spec/receipt-and-mailbox.md §2, "Form report id"): the first 16 bytes of
   * {@code HMAC-SHA256(key = lookupKey, "testigo-form-report-id-v1" || 0x00 || SHA-256(payload))}.
   * The same form sent twice with the same answers (a second tap on "send", a reload that posts
   * again) gives the same id, so it is stored once; other answers give another id. Without the
   * receipt the id says nothing about the payload, and it changes with every receipt.
   *
   * @param lookupKey a 32-byte {@link ReceiptKeys#mailboxLookupKey()} of the form's receipt
   * @param payloadSha256 SHA-256 of the payload's plaintext (32 bytes)
   */
  public static byte[] formReportId(SecretBytes lookupKey, byte[] payloadSha256) {
    if (lookupKey.length() != ReceiptKeys.KEY_LENGTH) {
      throw new IllegalArgumentException("lookup key must be 32 bytes");
    }
    if (payloadSha256.length != 32) {
      throw new IllegalArgumentException("payload hash must be 32 bytes");
    }
    byte[] mac = Hkdf.hmacSha256(lookupKey.exposeSecret(), FORM_REPORT_DOMAIN.getBytes(StandardCharsets.US_ASCII),
        new byte[] {0}, payloadSha256);
    return java.util.Arrays.copyOf(mac, FORM_REPORT_ID_LENGTH);
  }
}

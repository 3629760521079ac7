package org.testigo.crypto.receipt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.internal.Argon2id;
import org.testigo.crypto.internal.Hkdf;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * The keys a receipt unlocks, derived deterministically:
 *
 * <pre>
 * salt   = SHA-256("testigo-receipt-v1" || 0x00 || deploymentSalt)[0..16]
 * master = Argon2id(password = receipt secret (10 bytes), salt, m, t, p, 32 bytes)
 * lookup = HKDF-SHA256(ikm = master, salt = empty, info = "testigo-receipt-v1 mailbox", 32)
 * seed   = HKDF-SHA256(ikm = master, salt = empty, info = "testigo-receipt-v1 reply-key", 32)
 * </pre>
 *
 * The mailbox lookup key goes to the server, which stores only
 * {@link MailboxIds#keyedHash}; the reply key is an X-Wing key imported from {@code seed}
 * and never leaves the source's device. Both are secrets; {@link #toString()} redacts.
 */
public final class ReceiptKeys {
  static final String DOMAIN = "testigo-receipt-v1";
  static final String INFO_MAILBOX = "testigo-receipt-v1 mailbox";
  static final String INFO_REPLY_KEY = "testigo-receipt-v1 reply-key";
  static final int SALT_LENGTH = 16;
  static final int KEY_LENGTH = 32;
  static final int MIN_DEPLOYMENT_SALT = 16;

  private final SecretBytes mailboxLookupKey;
  private final RecipientPrivateKey replyKey;

  private ReceiptKeys(SecretBytes mailboxLookupKey, RecipientPrivateKey replyKey) {
    this.mailboxLookupKey = mailboxLookupKey;
    this.replyKey = replyKey;
  }

  /**
   * Runs Argon2id and HKDF. Takes about as long as one Argon2id evaluation at {@code params}.
   *
   * @param deploymentSalt public, per-deployment, at least 16 bytes
   * @throws IllegalArgumentException if the salt is too short or the receipt destroyed
   */
  public static ReceiptKeys derive(Receipt receipt, ReceiptParams params,
      byte[] deploymentSalt) {
    if (deploymentSalt.length < MIN_DEPLOYMENT_SALT) {
      throw new IllegalArgumentException("deployment salt must be at least 16 bytes");
    }
    byte[] salt = Arrays.copyOf(sha256(DOMAIN, deploymentSalt), SALT_LENGTH);
    byte[] master = Argon2id.hash(receipt.exposeSecret(), salt, params.memoryKiB(),
        params.iterations(), params.parallelism(), KEY_LENGTH);
    byte[] lookup = null;
    byte[] seed = null;
    try {
      lookup = Hkdf.deriveSha256(master, new byte[0], ascii(INFO_MAILBOX), KEY_LENGTH);
      seed = Hkdf.deriveSha256(master, new byte[0], ascii(INFO_REPLY_KEY), KEY_LENGTH);
      return new ReceiptKeys(new SecretBytes(lookup), RecipientPrivateKey.fromSeed(seed));
    } finally {
      Arrays.fill(master, (byte) 0);
      if (lookup != null) {
        Arrays.fill(lookup, (byte) 0);
      }
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  /** 32 bytes that name the mailbox; send to the server, which stores only a keyed hash. */
  public SecretBytes mailboxLookupKey() {
    return mailboxLookupKey;
  }

  /** The X-Wing key that opens replies sealed to the source. */
  public RecipientPrivateKey replyKey() {
    return replyKey;
  }

  /** Zeroes both keys. */
  public void destroy() {
    mailboxLookupKey.destroy();
    replyKey.destroy();
  }

  @Override
  public String toString() {
    return "ReceiptKeys[REDACTED]";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sha256(String domain, byte[] data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(ascii(domain));
      md.update((byte) 0);
      md.update(data);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

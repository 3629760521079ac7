package org.testigo.server.core;

import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.receipt.InvalidReceiptException;
import org.testigo.crypto.receipt.MailboxIds;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;

/**
 * Receipt key derivation with bounded concurrency: at most N Argon2id evaluations run at
 * once; the next caller gets {@link ServiceBusyException} (503) instead of waiting. Mailbox
 * ids are {@code MailboxIds.keyedHash(deployment secret, lookup key)}.
 */
public final class ReceiptService {
  private final ReceiptParams params;
  private final KeyState keys;
  private final ConcurrencyLimiter argon2;

  public ReceiptService(ReceiptParams params, KeyState keys, ConcurrencyLimiter argon2) {
    this.params = params;
    this.keys = keys;
    this.argon2 = argon2;
  }

  public static Receipt parse(String typed) {
    if (typed == null || typed.length() > 400) {
      throw new InvalidInputException("error.receipt");
    }
    try {
      return Receipt.parse(typed);
    } catch (InvalidReceiptException e) {
      throw new InvalidInputException("error.receipt");
    }
  }

  public ReceiptKeys derive(Receipt receipt) {
    try (ConcurrencyLimiter.Slot slot = argon2.acquire()) {
      return ReceiptKeys.derive(receipt, params, keys.receiptSalt());
    }
  }

  public MailboxId mailboxId(SecretBytes lookupKey) {
    return MailboxId.fromBytes(MailboxIds.keyedHash(keys.deploymentSecret(), lookupKey));
  }
}

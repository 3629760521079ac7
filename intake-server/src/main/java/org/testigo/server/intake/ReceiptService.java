package org.testigo.server.intake;

import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.receipt.InvalidReceiptException;
import org.testigo.crypto.receipt.MailboxIds;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.MailboxId;

/**
 * Receipt key derivation with bounded concurrency: at most N Argon2id evaluations run at
 * once, and callers wait for a slot in the limiter's fair queue (circuit by circuit) or get
 * 503 (429 when their own circuit is over its share). Mailbox
 * ids are {@code MailboxIds.keyedHash(deployment secret, lookup key)}.
 */
public final class ReceiptService {
  private final ReceiptParams params;
  private final KeyState keys;
  private final ConcurrencyLimiter argon2;
  private final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

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
      // a hint by the code's form (user pass: "check the words" for a code of digits, and no word
      // of how many there are); the rules are public and nothing typed is repeated
      boolean letters = typed.codePoints().anyMatch(Character::isLetter);
      throw new InvalidInputException(!letters ? "error.receipt_digits"
          : e.reason() == InvalidReceiptException.Reason.WRONG_WORD_COUNT ? "error.receipt_count"
          : e.reason() == InvalidReceiptException.Reason.UNKNOWN_WORD ? "error.receipt_unknown" : "error.receipt");
    }
  }

  public ReceiptKeys derive(Receipt receipt) {
    try (ConcurrencyLimiter.Slot slot = argon2.acquire()) {
      derivations.incrementAndGet();
      return ReceiptKeys.derive(receipt, params, keys.receiptSalt());
    }
  }

  /** Argon2id derivations run since start (a metric: what a visit costs is measured, not assumed). */
  public long derivations() {
    return derivations.get();
  }

  public MailboxId mailboxId(SecretBytes lookupKey) {
    return MailboxId.fromBytes(MailboxIds.keyedHash(keys.deploymentSecret(), lookupKey));
  }
}

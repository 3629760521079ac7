package org.testigo.server.domain;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A mailbox id as stored: {@code HMAC-SHA256(deployment secret, lookup key)}, 32 bytes.
 * The lookup key itself (derived from a receipt) is never stored.
 */
public final class MailboxId {
  public static final int LENGTH = 32;
  private final byte[] bytes;

  private MailboxId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MailboxId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("a mailbox id is 32 bytes");
    }
    return new MailboxId(bytes.clone());
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MailboxId other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Only a short prefix: enough to tell mailboxes apart in a test, not to look one up. */
  @Override
  public String toString() {
    return "MailboxId[" + HexFormat.of().formatHex(bytes, 0, 4) + "…]";
  }
}

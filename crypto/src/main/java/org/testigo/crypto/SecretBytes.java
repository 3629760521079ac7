package org.testigo.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes that never print and compare in constant time.
 *
 * <p>The bytes are reachable only through {@link #exposeSecret()}; grep for that name to
 * find every place a secret leaves its wrapper. {@link #destroy()} zeroes the buffer; a
 * destroyed secret throws on use.
 */
public class SecretBytes {
  private final byte[] bytes;
  private volatile boolean destroyed;

  /** Takes a copy of {@code bytes}; the caller should zero its own array. */
  public SecretBytes(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  /** The secret bytes themselves (not a copy): do not modify, do not keep. */
  public final byte[] exposeSecret() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
    return bytes;
  }

  public final int length() {
    return bytes.length;
  }

  /** Overwrites the secret with zeros. Idempotent. */
  public final void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
    onDestroy();
  }

  /**
   * Called by {@link #destroy()} after zeroing: a subclass that caches values derived from
   * the secret drops them here. The default does nothing.
   */
  protected void onDestroy() {}

  public final boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    SecretBytes other = (SecretBytes) o;
    return !destroyed && !other.destroyed && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public final int hashCode() {
    // A constant: hashing a secret would leak bits of it into hash tables.
    return getClass().hashCode();
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[REDACTED]";
  }
}

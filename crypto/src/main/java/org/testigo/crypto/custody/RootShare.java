package org.testigo.crypto.custody;

import org.testigo.crypto.SecretBytes;

/**
 * One Shamir share (over GF(256), com.codahale:shamir) of the organisation root key's
 * 32-byte Ed25519 seed, with its public {@link ShareHeader}. Secret: never prints, compares
 * in constant time, can be destroyed. Fewer than {@code threshold} shares reveal nothing
 * about the seed; {@code threshold} of them rebuild it.
 *
 * <p>The share value has the length of the seed (32 bytes). Its header is not
 * authenticated by this object: authenticity comes from the share file (AEAD under the
 * custodian's passphrase) or the printable form (checksums catch typing errors only), and
 * in the end from {@link RootKeyCeremony#reconstruct}, which checks that the rebuilt seed
 * gives the recorded root public key.
 */
public final class RootShare extends SecretBytes {
  public static final int VALUE_LENGTH = 32;
  private final ShareHeader header;

  /** Copies {@code value} (32 bytes); the caller should zero its array. */
  public RootShare(ShareHeader header, byte[] value) {
    super(check(value));
    if (header == null) {
      throw new IllegalArgumentException("a share needs its header");
    }
    this.header = header;
  }

  private static byte[] check(byte[] value) {
    if (value == null || value.length != VALUE_LENGTH) {
      throw new IllegalArgumentException("a root-key share value is 32 bytes");
    }
    return value;
  }

  public ShareHeader header() {
    return header;
  }
}

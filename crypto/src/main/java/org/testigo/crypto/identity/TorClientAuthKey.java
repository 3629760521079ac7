package org.testigo.crypto.identity;

import java.security.MessageDigest;
import java.util.Arrays;
import org.testigo.crypto.Base32;

/**
 * A reviewer's x25519 public key for v3 onion client authorisation (rend-spec-v3): what the
 * reviewer onion service lists as an authorised client ({@code ADD_ONION ClientAuthV3=}), 32
 * bytes, shown as 52 uppercase base32 characters. Its private half is derived from the
 * reviewer's keystore ({@link ReviewerIdentity#torClientAuthPrivateKey()}); it travels in the
 * reviewer's public bundle v2 and in key manifests v2.
 */
public final class TorClientAuthKey {
  public static final int LENGTH = 32;
  private final byte[] key;

  private TorClientAuthKey(byte[] key) {
    this.key = key;
  }

  public static TorClientAuthKey fromBytes(byte[] raw) {
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException("an x25519 client-auth key has 32 bytes");
    }
    return new TorClientAuthKey(raw.clone());
  }

  /** Parses 52 base32 characters (either case). */
  public static TorClientAuthKey fromBase32(String text) {
    byte[] raw;
    try {
      raw = text == null || text.strip().length() != 52 ? null : Base32.decode(text.strip());
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException("not an x25519 client-auth key (52 base32 characters expected)");
    }
    return new TorClientAuthKey(raw);
  }

  public byte[] toBytes() {
    return key.clone();
  }

  /** 52 uppercase base32 characters, as tor's ClientAuthV3 and {@code .auth} files take them. */
  public String base32() {
    return Base32.encodeUpper(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorClientAuthKey k && MessageDigest.isEqual(key, k.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "TorClientAuthKey[" + base32() + "]";
  }
}

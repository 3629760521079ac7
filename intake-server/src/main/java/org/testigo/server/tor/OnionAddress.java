package org.testigo.server.tor;

import org.testigo.crypto.Base32;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A v3 onion service address (rend-spec-v3 §6): the 56-character service id is
 * base32(PUBKEY || CHECKSUM || VERSION) with VERSION = 0x03 and CHECKSUM the first two
 * bytes of SHA3-256(".onion checksum" || PUBKEY || VERSION). Instances are always valid:
 * {@link #parse} checks length, alphabet, version and checksum.
 *
 * @param serviceId the 56 lowercase base32 characters, without ".onion"
 */
public record OnionAddress(String serviceId) {
  private static final byte VERSION = 3;

  public OnionAddress {
    if (serviceId == null || serviceId.length() != 56
        || !serviceId.equals(serviceId.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("not a v3 onion service id");
    }
    byte[] raw;
    try {
      raw = Base32.decode(serviceId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a v3 onion service id");
    }
    byte[] publicKey = Arrays.copyOf(raw, 32);
    byte[] checksum = checksum(publicKey);
    if (raw.length != 35 || raw[34] != VERSION || raw[32] != checksum[0] || raw[33] != checksum[1]) {
      throw new IllegalArgumentException("not a v3 onion service id");
    }
  }

  /** The address of the service whose Ed25519 identity public key is {@code publicKey}. */
  public static OnionAddress fromPublicKey(byte[] publicKey) {
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    byte[] checksum = checksum(publicKey);
    byte[] raw = new byte[35];
    System.arraycopy(publicKey, 0, raw, 0, 32);
    raw[32] = checksum[0];
    raw[33] = checksum[1];
    raw[34] = VERSION;
    return new OnionAddress(Base32.encode(raw));
  }

  /** Accepts a service id with or without the ".onion" suffix, in either case. */
  public static OnionAddress parse(String text) {
    String id = text.trim().toLowerCase(Locale.ROOT);
    if (id.endsWith(".onion")) {
      id = id.substring(0, id.length() - ".onion".length());
    }
    return new OnionAddress(id);
  }

  /** The Ed25519 identity public key encoded in the address. */
  public byte[] publicKey() {
    return Arrays.copyOf(Base32.decode(serviceId), 32);
  }

  /** The host name, "<service id>.onion". */
  public String hostname() {
    return serviceId + ".onion";
  }

  @Override
  public String toString() {
    return hostname();
  }

  private static byte[] checksum(byte[] publicKey) {
    try {
      MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
      sha3.update(".onion checksum".getBytes(StandardCharsets.US_ASCII));
      sha3.update(publicKey);
      sha3.update(VERSION);
      return sha3.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA3-256 is required by Java 17", e);
    }
  }
}

package org.testigo.server.tor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.testigo.crypto.SecretBytes;

/**
 * The Ed25519 identity key of one v3 onion service, held as its 32-byte seed.
 *
 * <p>Whoever holds this key can publish the service: it IS the .onion address. It is kept
 * only in the server's key directory (file mode 0600, see {@link OnionKeyStore}) and
 * handed to the local tor over the control port on every (re)connection. The public key
 * and therefore the address are computed locally, so the server knows its addresses
 * before tor is reachable and can check what tor reports.
 *
 * <p>Tor itself uses the "expanded" secret key (SHA-512 of the seed, clamped; the form of
 * {@code ADD_ONION ED25519-V3:} and of {@code hs_ed25519_secret_key}); it is derived here
 * exactly as tor's {@code ed25519_secret_key_from_seed} does.
 */
public final class OnionServiceKey extends SecretBytes {
  private static final byte[] TOR_SECRET_HEADER = torHeader("== ed25519v1-secret: type0 ==");
  private static final byte[] TOR_PUBLIC_HEADER = torHeader("== ed25519v1-public: type0 ==");

  private OnionServiceKey(byte[] seed) {
    super(seed);
  }

  /** A fresh random key. */
  public static OnionServiceKey generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    try {
      return new OnionServiceKey(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The key with this 32-byte seed (the seed is copied). */
  public static OnionServiceKey fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
    }
    return new OnionServiceKey(seed);
  }

  /** The 32-byte Ed25519 identity public key. */
  public byte[] publicKey() {
    byte[] pk = new byte[32];
    Ed25519.generatePublicKey(exposeSecret(), 0, pk, 0);
    return pk;
  }

  /** The service's address. */
  public OnionAddress address() {
    return OnionAddress.fromPublicKey(publicKey());
  }

  /**
   * Tor's 64-byte expanded secret key. A secret: the caller must zero it after use.
   */
  byte[] expandedSecretKey() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-512").digest(exposeSecret());
      h[0] &= (byte) 248;
      h[31] &= 127;
      h[31] |= 64;
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by Java", e);
    }
  }

  /**
   * The key argument of {@code ADD_ONION}: {@code ED25519-V3:<base64 expanded key>}.
   * A secret: it exists only while the command is written to the control port.
   */
  String addOnionKeyArgument() {
    byte[] expanded = expandedSecretKey();
    try {
      return "ED25519-V3:" + Base64.getEncoder().encodeToString(expanded);
    } finally {
      Arrays.fill(expanded, (byte) 0);
    }
  }

  /**
   * The three files of a torrc {@code HiddenServiceDir} for this key, for moving the
   * service to a torrc-configured tor or to an Onionbalance backend:
   * {@code hs_ed25519_secret_key} (32-byte header + expanded key), {@code hs_ed25519_public_key}
   * (32-byte header + public key) and {@code hostname}.
   */
  TorServiceDirFiles torServiceDirFiles() {
    byte[] expanded = expandedSecretKey();
    byte[] secret = new byte[96];
    System.arraycopy(TOR_SECRET_HEADER, 0, secret, 0, 32);
    System.arraycopy(expanded, 0, secret, 32, 64);
    Arrays.fill(expanded, (byte) 0);
    byte[] pub = new byte[64];
    System.arraycopy(TOR_PUBLIC_HEADER, 0, pub, 0, 32);
    System.arraycopy(publicKey(), 0, pub, 32, 32);
    return new TorServiceDirFiles(new SecretBytes(secret), pub,
        (address().hostname() + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Contents of a tor HiddenServiceDir; {@code secretKey} is secret. */
  record TorServiceDirFiles(SecretBytes secretKey, byte[] publicKey, byte[] hostname) {}

  private static byte[] torHeader(String text) {
    return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), 32);
  }
}

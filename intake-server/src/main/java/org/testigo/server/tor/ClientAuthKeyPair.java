package org.testigo.server.tor;

import org.testigo.crypto.Base32;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.testigo.crypto.SecretBytes;

/**
 * An x25519 key pair for v3 onion client authorisation: the reviewer keeps the private
 * key in their Tor client, the server lists the public key for the reviewer onion service.
 *
 * <p>Formats produced, as tor 0.4.9 reads them:
 * <ul>
 *   <li>{@link #publicKey()}: base32 for {@code ADD_ONION ClientAuthV3=} and for
 *       {@code authorized_clients/*.auth} ({@code descriptor:x25519:<base32>});</li>
 *   <li>{@link #controlPortPrivateKey()}: {@code x25519:<base64>} for the client's
 *       {@code ONION_CLIENT_AUTH_ADD <address> x25519:<base64>};</li>
 *   <li>{@link #clientAuthFileLine(OnionAddress)}: the line of a file in the client's
 *       {@code ClientOnionAuthDir}, {@code <id>:descriptor:x25519:<base32 private>}.</li>
 * </ul>
 * The private key is a secret: {@code toString()} redacts it; the strings returned by the
 * private-key methods are for writing once to the reviewer's own machine, never to logs.
 */
public final class ClientAuthKeyPair {
  private final SecretBytes privateKey;
  private final ClientAuthPublicKey publicKey;

  private ClientAuthKeyPair(byte[] privateKey) {
    this.privateKey = new SecretBytes(privateKey);
    byte[] pub = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(this.privateKey.exposeSecret(), 0, pub, 0);
    this.publicKey = ClientAuthPublicKey.fromBytes(pub);
  }

  /** A fresh key pair; the private key is clamped as X25519 requires (and tor expects). */
  public static ClientAuthKeyPair generate(SecureRandom random) {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, k);
    try {
      return new ClientAuthKeyPair(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The pair for a 32-byte private key (clamped on use by X25519). */
  public static ClientAuthKeyPair fromPrivateKey(byte[] k) {
    if (k.length != X25519.SCALAR_SIZE) {
      throw new IllegalArgumentException("an x25519 private key has 32 bytes");
    }
    return new ClientAuthKeyPair(k);
  }

  public ClientAuthPublicKey publicKey() {
    return publicKey;
  }

  /** {@code x25519:<base64 private key>} for ONION_CLIENT_AUTH_ADD. Secret. */
  public String controlPortPrivateKey() {
    return "x25519:" + Base64.getEncoder().encodeToString(privateKey.exposeSecret());
  }

  /** The private key in base32 (52 characters), as ClientOnionAuthDir files hold it. Secret. */
  public String privateKeyBase32() {
    return Base32.encodeUpper(privateKey.exposeSecret());
  }

  /** A ClientOnionAuthDir file line for the service {@code address}. Secret. */
  public String clientAuthFileLine(OnionAddress address) {
    return address.serviceId() + ":descriptor:x25519:" + privateKeyBase32();
  }

  /** Zeroes the private key. */
  public void destroy() {
    privateKey.destroy();
  }

  @Override
  public String toString() {
    return "ClientAuthKeyPair[public=" + publicKey + ", private=REDACTED]";
  }
}

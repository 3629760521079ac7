package org.testigo.crypto.internal;

import org.bouncycastle.math.ec.rfc7748.X25519;

/** Bouncy Castle's X25519 behind the internal boundary: clamping and public keys only. */
public final class X25519Raw {
  public static final int LENGTH = X25519.POINT_SIZE;

  private X25519Raw() {}

  /** Clamps a 32-byte scalar in place (RFC 7748 §5), as tor stores client-auth keys. */
  public static void clamp(byte[] k) {
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
  }

  /** The public key of a 32-byte private scalar. */
  public static byte[] publicKey(byte[] privateKey) {
    byte[] pub = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    return pub;
  }
}

package org.testigo.crypto.key;

import java.security.MessageDigest;
import java.util.Arrays;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.internal.XWingHpke;

/**
 * An X-Wing (ML-KEM-768 + X25519) public key that envelopes can be sealed to: a reviewer's
 * encryption key or a source's reply key. 1216 bytes, as in draft-connolly-cfrg-xwing-kem.
 *
 * <p>Its {@link #fingerprint()} is {@code SHA-256("testigo-recipient-v1" || 0x00 || pk)}
 * and is what an envelope stanza names.
 */
public final class RecipientPublicKey {
  public static final int LENGTH = XWingHpke.PUBLIC_KEY_LENGTH;
  public static final String FINGERPRINT_DOMAIN = "testigo-recipient-v1";

  private final byte[] encoded;
  private final Fingerprint fingerprint;

  private RecipientPublicKey(byte[] encoded) {
    this.encoded = encoded;
    this.fingerprint = Fingerprint.of(FINGERPRINT_DOMAIN, encoded);
  }

  /**
   * Parses an encoded X-Wing public key.
   *
   * @throws IllegalArgumentException if it is not a well-formed 1216-byte X-Wing key
   */
  public static RecipientPublicKey fromBytes(byte[] encoded) {
    if (encoded.length != LENGTH) {
      throw new IllegalArgumentException("an X-Wing public key is 1216 bytes");
    }
    XWingHpke.checkPublicKey(encoded);
    return new RecipientPublicKey(encoded.clone());
  }

  public byte[] toBytes() {
    return encoded.clone();
  }

  public Fingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecipientPublicKey k && MessageDigest.isEqual(encoded, k.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "RecipientPublicKey[" + fingerprint.hex() + "]";
  }
}

package org.testigo.crypto.envelope;

import java.security.SecureRandom;
import org.testigo.crypto.SecretBytes;

/** The 32-byte random key of one envelope, from which the MAC and payload keys derive. */
final class FileKey extends SecretBytes {
  static final int LENGTH = 32;

  FileKey(byte[] bytes) {
    super(checked(bytes));
  }

  static FileKey generate(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    try {
      return new FileKey(b);
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  private static byte[] checked(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a file key is 32 bytes");
    }
    return bytes;
  }
}

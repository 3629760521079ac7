package org.testigo.cli.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the object hash of log leaves. */
final class LogHashes {
  private LogHashes() {}

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

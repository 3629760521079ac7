package org.testigo.crypto.httpsig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The {@code Content-Digest} field of RFC 9530 with the {@code sha-256} algorithm only:
 * {@code sha-256=:<base64 of SHA-256(content)>:}.
 */
public final class ContentDigest {
  public static final String FIELD = "content-digest";
  public static final String ALGORITHM = "sha-256";

  private ContentDigest() {}

  /** The field value for a SHA-256 digest. */
  public static String fieldValue(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest is 32 bytes");
    }
    return ALGORITHM + "=" + StructuredFields.serializeBareItem(sha256);
  }

  /** The field value for {@code content}. */
  public static String of(byte[] content) {
    return fieldValue(newDigest().digest(content));
  }

  /**
   * The 32-byte SHA-256 digest of a field value that has exactly one member,
   * {@code sha-256}, a byte sequence of 32 bytes.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static byte[] parseSha256(String fieldValue) {
    Map<String, StructuredFields.Member> d = StructuredFields.parseDictionary(fieldValue);
    StructuredFields.Member m = d.get(ALGORITHM);
    if (d.size() != 1 || m == null || !(m.value() instanceof byte[] digest) || digest.length != 32
        || !m.params().isEmpty()) {
      throw new IllegalArgumentException("Content-Digest must be exactly sha-256=:<32 bytes>:");
    }
    return digest;
  }

  /** A fresh SHA-256. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package org.testigo.server.resources.source;

import java.util.Base64;
import java.util.Locale;
import org.testigo.api.ApiHeaders;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.InvalidInputException;

/**
 * Strict parsing of the source-side API's request header values (the names are {@link ApiHeaders}'s);
 * a bad value is a 400.
 */
public final class HeaderValues {
  private HeaderValues() {}

  /** A submission id header's value ({@link ApiHeaders#SUBMISSION_ID}). */
  public static EnvelopeId submissionId(String hex) {
    String h = hex.strip();
    if (!EnvelopeId.isHex(h)) {
      throw new InvalidInputException("error.form");
    }
    return EnvelopeId.parse(h.toLowerCase(Locale.ROOT));
  }

  /**
   * A mailbox lookup key ({@link ApiHeaders#MAILBOX}, or {@code lookupKey} of a mailbox
   * registration): 32 bytes in base64url. Anything else is a 400 that says so
   * ({@code error.lookup_key}), never the form's message.
   */
  public static byte[] lookupKey(String base64url) {
    byte[] key;
    try {
      key = Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(LOOKUP_KEY_ERROR);
    }
    if (key.length != LOOKUP_KEY_BYTES) {
      java.util.Arrays.fill(key, (byte) 0);
      throw new InvalidInputException(LOOKUP_KEY_ERROR);
    }
    return key;
  }

  /** The message key of a malformed mailbox lookup key. */
  public static final String LOOKUP_KEY_ERROR = "error.lookup_key";
  private static final int LOOKUP_KEY_BYTES = 32;

  /**
   * A mailbox's reply key ({@code replyPublicKey} of a registration) in base64url; anything that
   * does not decode is a 400 that says so ({@code error.reply_key}), never the form's message.
   */
  public static byte[] replyKey(String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.reply_key");
    }
  }
}

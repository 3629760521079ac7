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

  /** A base64url value (a mailbox lookup key, a reply key). */
  public static byte[] decode(String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.form");
    }
  }
}

package org.testigo.server.resources.source;

import java.util.Base64;
import java.util.Locale;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.InvalidInputException;

/** Request headers of the source-side API, and their strict parsing (a bad value is a 400). */
public final class ApiHeaders {
  /** Optional: base64url of the 32-byte mailbox lookup key, to link the report to a mailbox. */
  public static final String MAILBOX = "Testigo-Mailbox-Lookup-Key";
  /**
   * Optional: a submission id chosen by the client (32 hex digits, 128 random bits), sent
   * again unchanged when the client retries after an error or a timeout. The first request
   * that stores it answers 201; any later one with the same bytes answers 200 with the same
   * id ("already stored"); with other bytes, 409. The id becomes the envelope's public id.
   */
  public static final String SUBMISSION_ID = "Testigo-Submission-Id";

  private ApiHeaders() {}

  /** A submission id header's value. */
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

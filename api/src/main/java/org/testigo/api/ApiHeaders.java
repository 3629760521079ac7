package org.testigo.api;

/** The HTTP header names of the Testigo APIs beyond HTTP's own and RFC 9421's. */
public final class ApiHeaders {
  /** Source API, optional: base64url of the 32-byte mailbox lookup key, to link the report to a mailbox. */
  public static final String MAILBOX = "Testigo-Mailbox-Lookup-Key";
  /**
   * Source API, optional: a submission id chosen by the client (32 hex digits, 128 random
   * bits, see {@link EnvelopeId}), sent again unchanged when the client retries.
   */
  public static final String SUBMISSION_ID = "Testigo-Submission-Id";
  /** Reviewer API, on {@code GET .../{id}/envelope}: the hex SHA-256 of the envelope as served. */
  public static final String ENVELOPE_SHA256 = "Testigo-Envelope-Sha256";

  private ApiHeaders() {}
}

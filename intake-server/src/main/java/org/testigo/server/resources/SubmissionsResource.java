package org.testigo.server.resources;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.testigo.server.core.EnvelopeId;
import org.testigo.server.core.EnvelopeStore;
import org.testigo.server.core.InvalidInputException;
import org.testigo.server.core.StoredEnvelope;
import org.testigo.server.core.SubmissionService;

/** {@code POST /api/v1/submissions}: a v1 envelope sealed elsewhere, streamed as the body. */
@Path("/api/v1/submissions")
public final class SubmissionsResource {
  /** Optional: base64url of the 32-byte mailbox lookup key, to link the report to a mailbox. */
  public static final String MAILBOX_HEADER = "Testigo-Mailbox-Lookup-Key";
  /**
   * Optional: a submission id chosen by the client (32 hex digits, 128 random bits), sent
   * again unchanged when the client retries after an error or a timeout. The first request
   * that stores it answers 201; any later one with the same bytes answers 200 with the same
   * id ("already stored"); with other bytes, 409. The id becomes the envelope's public id.
   */
  public static final String SUBMISSION_ID_HEADER = "Testigo-Submission-Id";
  private final SubmissionService submissions;

  public SubmissionsResource(SubmissionService submissions) {
    this.submissions = submissions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  @Produces(MediaType.APPLICATION_JSON)
  public Response submit(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
      @HeaderParam(MAILBOX_HEADER) String lookupKey, @HeaderParam(SUBMISSION_ID_HEADER) String submissionId,
      InputStream body) throws IOException {
    Optional<byte[]> key = Optional.ofNullable(lookupKey).map(SubmissionsResource::decode);
    Optional<EnvelopeId> id = Optional.ofNullable(submissionId).map(SubmissionsResource::submissionId);
    EnvelopeStore.Stored result = submissions.submit(body, contentLength, key, id);
    StoredEnvelope stored = result.envelope();
    return Response.status(result.alreadyStored() ? 200 : 201).entity(Map.of("id", stored.id().hex(),
        "receivedDay", stored.receivedDay().toString())).build();
  }

  static EnvelopeId submissionId(String hex) {
    String h = hex.strip();
    if (!h.matches("[0-9a-fA-F]{32}")) {
      throw new InvalidInputException("error.form");
    }
    return EnvelopeId.parse(h.toLowerCase(java.util.Locale.ROOT));
  }

  static byte[] decode(String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.form");
    }
  }
}

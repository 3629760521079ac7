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
import org.testigo.server.core.InvalidInputException;
import org.testigo.server.core.StoredEnvelope;
import org.testigo.server.core.SubmissionService;

/** {@code POST /api/v1/submissions}: a v1 envelope sealed elsewhere, streamed as the body. */
@Path("/api/v1/submissions")
public final class SubmissionsResource {
  /** Optional: base64url of the 32-byte mailbox lookup key, to link the report to a mailbox. */
  public static final String MAILBOX_HEADER = "Testigo-Mailbox-Lookup-Key";
  private final SubmissionService submissions;

  public SubmissionsResource(SubmissionService submissions) {
    this.submissions = submissions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  @Produces(MediaType.APPLICATION_JSON)
  public Response submit(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
      @HeaderParam(MAILBOX_HEADER) String lookupKey, InputStream body) throws IOException {
    Optional<byte[]> key = Optional.ofNullable(lookupKey).map(SubmissionsResource::decode);
    StoredEnvelope stored = submissions.submit(body, contentLength, key);
    return Response.status(201).entity(Map.of("id", stored.id().hex(),
        "receivedDay", stored.receivedDay().toString())).build();
  }

  static byte[] decode(String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.form");
    }
  }
}

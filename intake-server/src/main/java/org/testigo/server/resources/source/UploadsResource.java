package org.testigo.server.resources.source;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.testigo.api.ApiHeaders;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.ErrorMessage;
import org.testigo.api.wire.OffsetConflict;
import org.testigo.api.wire.UploadCreated;
import org.testigo.api.wire.UploadOffset;
import org.testigo.api.wire.UploadStatus;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.intake.UploadService;

/**
 * {@code /api/v1/uploads}: an envelope sealed in the browser, uploaded in pieces so that a
 * dropped connection costs only the piece in flight (protocol in docs/spec/payload-and-questionnaire.md §5):
 * {@code POST} opens an upload, {@code PUT /{id}?offset=N} appends a piece, {@code GET /{id}}
 * tells the current offset, {@code POST /{id}/commit} checks and stores the envelope,
 * {@code DELETE /{id}} abandons it.
 */
@Path(ApiPaths.UPLOADS)
@Produces(MediaType.APPLICATION_JSON)
public final class UploadsResource {
  private final UploadService uploads;

  public UploadsResource(UploadService uploads) {
    this.uploads = uploads;
  }

  @POST
  public Response create() throws IOException {
    UploadService.Status s = uploads.create();
    return Response.status(201).entity(new UploadCreated(s.id(), s.offset(), uploads.maxEnvelopeBytes(),
        uploads.maxPieceBytes())).build();
  }

  @GET
  @Path("{id}")
  public UploadStatus status(@PathParam("id") String id) {
    UploadService.Status s = uploads.status(id);
    return new UploadStatus(s.offset(), s.committed());
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public UploadOffset append(@PathParam("id") String id, @QueryParam("offset") Long offset,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
    if (offset == null || offset < 0) {
      throw new InvalidInputException("error.form");
    }
    return new UploadOffset(uploads.append(id, offset, contentLength, body).offset());
  }

  @POST
  @Path("{id}/commit")
  public Response commit(@PathParam("id") String id,
      @HeaderParam(ApiHeaders.MAILBOX) String lookupKey) throws IOException {
    Optional<byte[]> key = Optional.ofNullable(lookupKey).map(HeaderValues::lookupKey);
    StoredEnvelope stored = uploads.commit(id, key);
    return Response.status(201).entity(new Accepted(stored.id().hex(), stored.receivedDay().toString())).build();
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String id) {
    uploads.delete(id);
    return Response.noContent().build();
  }

  /** 404 with a generic body for an unknown or expired upload. */
  public static final class UnknownUploadMapper implements ExceptionMapper<UploadService.UnknownUploadException> {
    @Override
    public Response toResponse(UploadService.UnknownUploadException e) {
      return Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(404, "No such upload.")).build();
    }
  }

  /** 409 telling the client the offset the server has. */
  public static final class OffsetMismatchMapper implements ExceptionMapper<UploadService.OffsetMismatchException> {
    @Override
    public Response toResponse(UploadService.OffsetMismatchException e) {
      return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new OffsetConflict(409, e.current())).build();
    }
  }
}

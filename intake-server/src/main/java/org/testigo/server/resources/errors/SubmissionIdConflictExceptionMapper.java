package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.testigo.server.domain.SubmissionIdConflictException;

/** Maps {@link SubmissionIdConflictException} to HTTP 409 with a generic message. */
public final class SubmissionIdConflictExceptionMapper implements ExceptionMapper<SubmissionIdConflictException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public SubmissionIdConflictExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(SubmissionIdConflictException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }
}

package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.testigo.server.domain.TooManyRequestsException;

/** Maps {@link TooManyRequestsException} to HTTP 429 with Retry-After and a generic message. */
public final class TooManyRequestsExceptionMapper implements ExceptionMapper<TooManyRequestsException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public TooManyRequestsExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(TooManyRequestsException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }
}

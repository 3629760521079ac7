package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.testigo.server.domain.PayloadTooLargeException;

/** Maps {@link PayloadTooLargeException} to HTTP 413 with a generic message. */
public final class PayloadTooLargeExceptionMapper implements ExceptionMapper<PayloadTooLargeException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public PayloadTooLargeExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(PayloadTooLargeException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }
}

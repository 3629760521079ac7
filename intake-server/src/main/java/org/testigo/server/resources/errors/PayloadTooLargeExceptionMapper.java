package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.testigo.server.domain.PayloadTooLargeException;

/** Maps {@link PayloadTooLargeException} to HTTP 413 with a generic message. */
public final class PayloadTooLargeExceptionMapper implements ExceptionMapper<PayloadTooLargeException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(PayloadTooLargeException e) {
    return ErrorResponses.build(uri, headers, error(e));
  }

  /** The answer to {@code e}, for Jersey's resources and the API's servlets alike. */
  static ErrorResponses.Error error(PayloadTooLargeException e) {
    return ErrorResponses.Error.of(413, "error.too_large");
  }
}

package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.testigo.server.domain.TooManyRequestsException;

/** Maps {@link TooManyRequestsException} to HTTP 429 with Retry-After and a generic message. */
public final class TooManyRequestsExceptionMapper implements ExceptionMapper<TooManyRequestsException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(TooManyRequestsException e) {
    return ErrorResponses.build(uri, headers, error(e));
  }

  /** The answer to {@code e}, for Jersey's resources and the API's servlets alike. */
  public static ErrorResponses.Error error(TooManyRequestsException e) {
    return new ErrorResponses.Error(429, List.of(TooManyRequestsException.KEY), e.retryAfterSeconds(), null);
  }
}

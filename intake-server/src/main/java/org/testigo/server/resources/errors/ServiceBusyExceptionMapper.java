package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.testigo.server.domain.ServiceBusyException;

/** Maps {@link ServiceBusyException} to HTTP 503 with a generic message. */
public final class ServiceBusyExceptionMapper implements ExceptionMapper<ServiceBusyException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(ServiceBusyException e) {
    return ErrorResponses.build(uri, headers, error(e));
  }

  /** The answer to {@code e}, for Jersey's resources and the API's servlets alike. */
  static ErrorResponses.Error error(ServiceBusyException e) {
    return new ErrorResponses.Error(503, List.of("error.busy"), e.retryAfterSeconds(), null);
  }
}

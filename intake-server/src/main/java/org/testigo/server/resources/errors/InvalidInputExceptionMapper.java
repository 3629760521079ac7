package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.testigo.server.domain.InvalidInputException;

/** Maps {@link InvalidInputException} to HTTP 400 with a generic message. */
public final class InvalidInputExceptionMapper implements ExceptionMapper<InvalidInputException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(InvalidInputException e) {
    return ErrorResponses.build(uri, headers, error(e));
  }

  /** The answer to {@code e}, for Jersey's resources and the API's servlets alike. */
  static ErrorResponses.Error error(InvalidInputException e) {
    return new ErrorResponses.Error(400, List.of(e.messageKey()), null, null);
  }
}

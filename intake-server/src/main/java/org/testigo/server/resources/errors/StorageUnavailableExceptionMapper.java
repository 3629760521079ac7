package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.testigo.server.domain.StorageUnavailableException;

/** Maps {@link StorageUnavailableException} to HTTP 503 with a generic message. */
public final class StorageUnavailableExceptionMapper implements ExceptionMapper<StorageUnavailableException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  private final int retryAfter;

  public StorageUnavailableExceptionMapper(int retryAfterSeconds) {
    this.retryAfter = retryAfterSeconds;
  }

  @Override
  public Response toResponse(StorageUnavailableException e) {
    return ErrorResponses.build(uri, headers, error(retryAfter));
  }

  /** The answer to a storage outage, for Jersey's resources and the API's servlets alike. */
  static ErrorResponses.Error error(int retryAfter) {
    return new ErrorResponses.Error(503, List.of("error.unavailable"), retryAfter, null);
  }
}

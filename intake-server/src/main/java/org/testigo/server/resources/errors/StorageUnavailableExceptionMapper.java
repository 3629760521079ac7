package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.testigo.server.domain.StorageUnavailableException;

/** Maps {@link StorageUnavailableException} to HTTP 503 with a generic message. */
public final class StorageUnavailableExceptionMapper implements ExceptionMapper<StorageUnavailableException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public StorageUnavailableExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(StorageUnavailableException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }
}

package org.testigo.server.resources.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A JSON request body that does not parse or does not fit its record: 400 with the generic
 * "The request is not valid." Nothing is logged: Jackson's message quotes the input.
 */
public final class JsonBodyExceptionMapper implements ExceptionMapper<JsonProcessingException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public JsonBodyExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(JsonProcessingException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }
}

package org.testigo.server.resources.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/**
 * A JSON request body that does not parse or does not fit its record: 400 with the generic
 * "The request is not valid." Nothing is logged: Jackson's message quotes the input.
 */
public final class JsonBodyExceptionMapper implements ExceptionMapper<JsonProcessingException> {
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(JsonProcessingException e) {
    return ErrorResponses.build(uri, headers, 400, List.of("error.request"), null, null);
  }
}

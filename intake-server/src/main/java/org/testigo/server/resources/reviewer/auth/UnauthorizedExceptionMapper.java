package org.testigo.server.resources.reviewer.auth;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.testigo.server.review.UnauthorizedException;

/** Maps {@link UnauthorizedException} to 401 with the one generic body. */
public final class UnauthorizedExceptionMapper implements ExceptionMapper<UnauthorizedException> {
  /** The only 401 response the reviewer API ever sends. */
  public static Response unauthorized() {
    return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(401, "The request is not authorised.")).build();
  }

  @Override
  public Response toResponse(UnauthorizedException e) {
    return unauthorized();
  }
}

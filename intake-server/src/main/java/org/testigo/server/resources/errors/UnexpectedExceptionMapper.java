package org.testigo.server.resources.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected: logs the exception class and stack under a random error id (no
 * request data) and answers 500 with only that id. JAX-RS exceptions keep their status with
 * a generic body.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public UnexpectedExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(Throwable e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }

  /** The answer to {@code e} ({@link ErrorRegistry}'s rule for {@link Throwable}). */
  static ErrorResponses.Error error(Throwable e) {
    if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
      return clientError(w.getResponse().getStatus());
    }
    return unexpected(e);
  }

  /** A 4xx decided by the HTTP layer (no such path or method, wrong content type...). */
  static ErrorResponses.Error clientError(int status) {
    String key = switch (status) {
      case 403 -> "error.forbidden";
      case 404 -> "error.not_found";
      case 405 -> "error.method";
      case 413 -> "error.too_large";
      case 415 -> "error.content_type";
      case 400 -> "error.form";
      default -> "error.request";
    };
    return ErrorResponses.Error.of(status, key);
  }

  /** Logs {@code e} under a fresh error id and answers 500 with only that id. */
  static ErrorResponses.Error unexpected(Throwable e) {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    String errorId = HexFormat.of().formatHex(id);
    LOG.error("unexpected error {}: {}", errorId, e.getClass().getName(), e);
    return new ErrorResponses.Error(500, List.of("error.title"), null, errorId);
  }
}

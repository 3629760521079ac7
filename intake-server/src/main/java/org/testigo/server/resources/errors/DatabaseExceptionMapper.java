package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.server.storage.Storage;

/**
 * A database failure that no service translated (a code path that calls JDBI directly, or a
 * connection that failed while being closed): when the database is unreachable, 503 with
 * Retry-After and the generic "unavailable" message, as {@link StorageUnavailableExceptionMapper};
 * anything else is unexpected (500 with an error id). Never the SQL or the driver's message.
 */
public final class DatabaseExceptionMapper implements ExceptionMapper<JdbiException> {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseExceptionMapper.class);
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  private final ErrorRegistry errors;

  public DatabaseExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(JdbiException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }

  /** The answer to {@code e} ({@link ErrorRegistry}'s rule; logs it). */
  static ErrorResponses.Error error(JdbiException e, int retryAfter) {
    if (Storage.isOutage(e)) {
      LOG.warn("database unreachable: {}", e.getClass().getName());
      return ErrorRegistry.unavailable(retryAfter);
    }
    return UnexpectedExceptionMapper.unexpected(e);
  }
}

package org.testigo.server.resources.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Errors of the API's servlets (endpoints served outside Jersey for speed, docs/decisions/0013-submissions-servlet.md),
 * answered exactly as Jersey's exception mappers answer the same exception on an API path: the
 * same status, Retry-After and generic JSON body, decided by the same {@link ErrorRegistry}, and
 * {@code Connection: close} after a request with a body, as {@link RefusedBodyFilter} adds.
 */
public final class ApiErrors {
  private final ErrorRegistry errors;
  private final ObjectMapper json;

  public ApiErrors(ErrorRegistry errors, ObjectMapper json) {
    this.errors = errors;
    this.json = json;
  }

  /** The answer to {@code e} on an API path, from the {@link ErrorRegistry}. */
  public ErrorResponses.Error of(Throwable e) {
    return errors.of(e, true);
  }

  /** A 4xx decided by the servlet itself (wrong method: 405, wrong content type: 415). */
  public ErrorResponses.Error clientError(int status) {
    return errors.clientError(status);
  }

  /**
   * Writes {@code error} as the response, unless a response has already been sent (then there
   * is nothing left to answer with, and Jetty closes the connection).
   */
  public void write(HttpServletRequest request, HttpServletResponse response, ErrorResponses.Error error)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.setStatus(error.status());
    if (error.retryAfter() != null) {
      response.setHeader("Retry-After", error.retryAfter().toString());
    }
    if (RefusedBodyFilter.carriesBody(request.getContentLengthLong(), request.getHeader("Transfer-Encoding"))) {
      response.setHeader("Connection", "close");
    }
    byte[] body = json.writeValueAsBytes(ErrorResponses.apiMessage(error));
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}

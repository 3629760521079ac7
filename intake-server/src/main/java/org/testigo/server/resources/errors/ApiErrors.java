package org.testigo.server.resources.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.http.BadMessageException;
import org.jdbi.v3.core.JdbiException;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.TooManyRequestsException;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.domain.SubmissionIdConflictException;
import org.testigo.server.domain.report.FormInvalidException;

/**
 * Errors of the API's servlets (endpoints served outside Jersey for speed, SECURITY.md §21.11),
 * answered exactly as Jersey's exception mappers answer the same exception on an API path: the
 * same status, Retry-After and generic JSON body, decided by the same mapper code, and
 * {@code Connection: close} after a request with a body, as {@link RefusedBodyFilter} adds.
 */
public final class ApiErrors {
  private final int retryAfterSeconds;
  private final ObjectMapper json;

  public ApiErrors(int retryAfterSeconds, ObjectMapper json) {
    this.retryAfterSeconds = retryAfterSeconds;
    this.json = json;
  }

  /**
   * The answer to {@code e}, chosen as Jersey chooses a mapper: the one for the most specific
   * exception class among those registered in {@code IntakeApplication.safety}.
   */
  public ErrorResponses.Error of(Throwable e) {
    if (e instanceof InvalidInputException x) {
      return InvalidInputExceptionMapper.error(x);
    }
    if (e instanceof FormInvalidException x) {
      return FormInvalidExceptionMapper.error(x);
    }
    if (e instanceof SubmissionIdConflictException x) {
      return SubmissionIdConflictExceptionMapper.error(x);
    }
    if (e instanceof PayloadTooLargeException x) {
      return PayloadTooLargeExceptionMapper.error(x);
    }
    if (e instanceof TooManyRequestsException x) {
      return TooManyRequestsExceptionMapper.error(x);
    }
    if (e instanceof ServiceBusyException x) {
      return ServiceBusyExceptionMapper.error(x);
    }
    if (e instanceof StorageUnavailableException) {
      return StorageUnavailableExceptionMapper.error(retryAfterSeconds);
    }
    if (e instanceof JdbiException x) {
      return DatabaseExceptionMapper.error(x, retryAfterSeconds);
    }
    if (e instanceof BadMessageException x) {
      return ClientReadExceptionMapper.BadMessage.error(x, retryAfterSeconds, true);
    }
    if (e instanceof JsonProcessingException x) {
      return JsonBodyExceptionMapper.error(x);
    }
    if (e instanceof IOException x) {
      return ClientReadExceptionMapper.error(x, retryAfterSeconds, true);
    }
    return UnexpectedExceptionMapper.error(e);
  }

  /** A 4xx decided by the servlet itself (wrong method: 405, wrong content type: 415). */
  public ErrorResponses.Error clientError(int status) {
    return UnexpectedExceptionMapper.clientError(status);
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

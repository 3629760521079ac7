package org.testigo.server.resources.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.jdbi.v3.core.JdbiException;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.domain.SubmissionIdConflictException;
import org.testigo.server.domain.TooManyRequestsException;
import org.testigo.server.domain.report.FormInvalidException;

/**
 * The one table of the server's errors: for each exception class, what the server answers
 * (status, message keys, Retry-After, error id). Jersey's exception mappers ({@link #mappers()},
 * one per class of the table, registered by {@code IntakeApplication}) and the API's servlets
 * ({@link ApiErrors}) both look the answer up here, so a servlet answers an exception exactly as
 * Jersey does on an API path.
 *
 * <p>The answer to an exception is the rule of the most specific class of the table it is an
 * instance of (its own class, else its superclass, and so on up to {@link Throwable}): the rule
 * by which Jersey chooses among the mappers.
 */
public final class ErrorRegistry {
  /** How one exception class is answered; {@code api} is true on an API path. */
  @FunctionalInterface
  private interface Rule<E extends Throwable> {
    ErrorResponses.Error answer(E e, boolean api);
  }

  private final Map<Class<?>, Rule<Throwable>> table = new HashMap<>();
  private final int retryAfter;

  public ErrorRegistry(int retryAfterSeconds) {
    this.retryAfter = retryAfterSeconds;
    on(InvalidInputException.class, (e, api) -> new ErrorResponses.Error(400, List.of(e.messageKey()), null, null));
    on(FormInvalidException.class, (e, api) -> new ErrorResponses.Error(400, e.messageKeys(), null, null));
    on(SubmissionIdConflictException.class, (e, api) -> ErrorResponses.Error.of(409, "error.submission_id"));
    on(PayloadTooLargeException.class, (e, api) -> ErrorResponses.Error.of(413, "error.too_large"));
    on(TooManyRequestsException.class, (e, api) -> new ErrorResponses.Error(429,
        List.of(TooManyRequestsException.KEY), e.retryAfterSeconds(), null));
    on(ServiceBusyException.class, (e, api) -> new ErrorResponses.Error(503, List.of(ServiceBusyException.KEY),
        e.retryAfterSeconds(), null));
    on(StorageUnavailableException.class, (e, api) -> unavailable(retryAfter));
    on(JdbiException.class, (e, api) -> DatabaseExceptionMapper.error(e, retryAfter));
    on(BadMessageException.class, (e, api) -> ClientReadExceptionMapper.BadMessage.error(e, retryAfter, api));
    on(JsonProcessingException.class, (e, api) -> ErrorResponses.Error.of(400, "error.request"));
    on(IOException.class, (e, api) -> ClientReadExceptionMapper.error(e, retryAfter, api));
    on(Throwable.class, (e, api) -> UnexpectedExceptionMapper.error(e));
  }

  private <E extends Throwable> void on(Class<E> type, Rule<E> rule) {
    table.put(type, (e, api) -> rule.answer(type.cast(e), api));
  }

  /** The answer to {@code e}, on an API path ({@code api}) or a page. */
  public ErrorResponses.Error of(Throwable e, boolean api) {
    for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
      Rule<Throwable> rule = table.get(c);
      if (rule != null) {
        return rule.answer(e, api);
      }
    }
    throw new IllegalStateException("no rule for " + e.getClass().getName()); // Throwable has one
  }

  /** A 4xx decided by the HTTP layer or a servlet itself (no such path or method, wrong content type...). */
  public ErrorResponses.Error clientError(int status) {
    return UnexpectedExceptionMapper.clientError(status);
  }

  /**
   * Jersey's mappers, one for each class of the table, in the order the application has always
   * registered them; each answers through {@link #of}.
   */
  public List<ExceptionMapper<?>> mappers() {
    return List.of(new InvalidInputExceptionMapper(this), new SubmissionIdConflictExceptionMapper(this),
        new FormInvalidExceptionMapper(this), new PayloadTooLargeExceptionMapper(this),
        new ServiceBusyExceptionMapper(this), new TooManyRequestsExceptionMapper(this),
        new StorageUnavailableExceptionMapper(this), new DatabaseExceptionMapper(this),
        new ClientReadExceptionMapper(this), new ClientReadExceptionMapper.BadMessage(this),
        new JsonBodyExceptionMapper(this), new UnexpectedExceptionMapper(this));
  }

  /** The answer to a storage outage. */
  static ErrorResponses.Error unavailable(int retryAfter) {
    return new ErrorResponses.Error(503, List.of("error.unavailable"), retryAfter, null);
  }
}

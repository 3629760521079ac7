package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IOException} while reading the request body because the client stopped sending
 * (Jetty's idle timeout) or went away, logged as one line without any detail of the client.
 * The source pages answer 408 with the generic "arrived incomplete" page. The API answers
 * 503 with Retry-After and the same message: its clients (the browser uploader, the shelter
 * tool) resume or re-send after a 5xx and treat most 4xx as final, and a piece cut off on a
 * slow link must be resumed, not abandoned. A body that Jetty's parser refused as malformed
 * (bad chunking) is a 400, never a cut-off. Any other {@link IOException} (a disk that
 * failed) is unexpected (500 with an error id).
 */
public final class ClientReadExceptionMapper implements ExceptionMapper<IOException> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientReadExceptionMapper.class);
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;
  private final ErrorRegistry errors;

  public ClientReadExceptionMapper(ErrorRegistry errors) {
    this.errors = errors;
  }

  @Override
  public Response toResponse(IOException e) {
    return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
  }

  /** The answer to {@code e} for the API or the pages (logs it). */
  static ErrorResponses.Error error(IOException e, int retryAfter, boolean api) {
    int refused = malformed(e);
    if (refused != 0) {
      LOG.info("request body refused by the HTTP parser ({})", refused);
      return ErrorResponses.Error.of(refused, "error.request");
    }
    if (isClientCutOff(e)) {
      return cutOff(retryAfter, api);
    }
    return UnexpectedExceptionMapper.unexpected(e);
  }

  static ErrorResponses.Error cutOff(int retryAfter, boolean api) {
    LOG.info("request body cut off: the client sent too slowly or went away");
    if (api) {
      return new ErrorResponses.Error(503, List.of("error.multipart"), retryAfter, null);
    }
    return ErrorResponses.Error.of(408, "error.multipart");
  }

  /**
   * The 4xx status (other than 408) of a body that Jetty's parser refused (bad chunking, a
   * chunk extension with a line break: request smuggling), whatever exception wraps it; 0 if
   * the body was not refused as malformed. Such a body is the client's fault, never a cut-off
   * to retry.
   */
  static int malformed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500 && h.getCode() != 408) {
        return h.getCode();
      }
    }
    return 0;
  }

  /** Idle timeout ({@link TimeoutException}) or a client that closed ({@link EofException}). */
  static boolean isClientCutOff(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof EofException
          || (t instanceof HttpException h && h.getCode() == 408)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Jetty's unchecked {@link BadMessageException} while the body is read: 408 when the body
   * arrived slower than {@code minRequestDataPerSecond} (answered as a cut-off above); other
   * 4xx with the generic "request is not valid"; anything else unexpected.
   */
  public static final class BadMessage implements ExceptionMapper<BadMessageException> {
    @Context private UriInfo uri;
    @Context private HttpHeaders headers;
    private final ErrorRegistry errors;

    public BadMessage(ErrorRegistry errors) {
      this.errors = errors;
    }

    @Override
    public Response toResponse(BadMessageException e) {
      return ErrorResponses.build(uri, headers, errors.of(e, RequestLanguage.isApi(uri)));
    }

    /** The answer to {@code e} for the API or the pages (logs it). */
    static ErrorResponses.Error error(BadMessageException e, int retryAfter, boolean api) {
      if (e.getCode() == 408) {
        return cutOff(retryAfter, api);
      }
      if (e.getCode() >= 400 && e.getCode() < 500) {
        return ErrorResponses.Error.of(e.getCode(), "error.request");
      }
      return UnexpectedExceptionMapper.unexpected(e);
    }
  }
}

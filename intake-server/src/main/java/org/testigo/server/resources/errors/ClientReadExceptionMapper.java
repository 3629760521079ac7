package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IOException} while reading the request body because the client stopped sending
 * (Jetty's idle timeout or minimum data rate cut it off) or went away: 408 with the generic
 * "arrived incomplete" message, logged as one line without any detail of the client. Any
 * other {@link IOException} (a disk that failed) is unexpected (500 with an error id).
 */
public final class ClientReadExceptionMapper implements ExceptionMapper<IOException> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientReadExceptionMapper.class);
  @Context private UriInfo uri;
  @Context private HttpHeaders headers;

  @Override
  public Response toResponse(IOException e) {
    if (isClientCutOff(e)) {
      return cutOff(uri, headers);
    }
    return UnexpectedExceptionMapper.unexpected(uri, headers, e);
  }

  static Response cutOff(UriInfo uri, HttpHeaders headers) {
    LOG.info("request body cut off: the client sent too slowly or went away");
    return ErrorResponses.build(uri, headers, 408, List.of("error.multipart"), null, null);
  }

  /**
   * Idle timeout ({@link TimeoutException}), minimum data rate (Jetty's 408
   * {@link HttpException}, unchecked) or a client that closed ({@link EofException}).
   */
  static boolean isClientCutOff(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof EofException
          || (t instanceof HttpException h && h.getCode() == 408)) {
        return true;
      }
    }
    return false;
  }
}

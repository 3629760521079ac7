package org.testigo.server.resources.errors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Answers every error to a request that carries a body with {@code Connection: close}.
 *
 * <p>An error is often decided before the body is read: a piece refused by its declared length
 * (413), an offset that does not match (409), a busy server (503). Jetty cannot keep such a
 * connection open, since the unread bytes would be taken for the next request, so it closes it
 * after the response. Without this header the client is not told: it puts the connection back in
 * its pool and its next request on it fails ("received no bytes"), which a POST is not retried
 * after. Saying so lets every client open a new connection instead.
 */
public final class RefusedBodyFilter implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() >= 400 && carriesBody(request)) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }

  private static boolean carriesBody(ContainerRequestContext request) {
    // Not request.getLength(): Jersey parses it as an int and throws for 2^31 and more.
    String length = request.getHeaderString("Content-Length");
    return length != null && !length.strip().matches("0*") || request.getHeaderString("Transfer-Encoding") != null;
  }

  /** Whether a request with this Content-Length (-1: none) and Transfer-Encoding has a body. */
  public static boolean carriesBody(long contentLength, String transferEncoding) {
    return contentLength > 0 || transferEncoding != null;
  }
}

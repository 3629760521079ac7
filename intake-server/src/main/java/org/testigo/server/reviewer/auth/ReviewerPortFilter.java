package org.testigo.server.reviewer.auth;

import io.dropwizard.lifecycle.ServerLifecycleListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/**
 * Separates the reviewer API from the source side by port: reviewer paths are served only on
 * the reviewer connector, and the reviewer connector serves nothing else. Every other
 * combination gets a bare 404, the same as a path that does not exist. Until the server has
 * started (ports known) every request is refused the same way.
 */
public final class ReviewerPortFilter implements Filter, ServerLifecycleListener {
  private static final byte[] NOT_FOUND =
      "{\"code\":404,\"message\":\"Not found.\"}".getBytes(StandardCharsets.US_ASCII);
  private final int connectorIndex;
  private final boolean enabled;
  private volatile int reviewerPort = -1;

  public ReviewerPortFilter(int connectorIndex, boolean enabled) {
    this.connectorIndex = connectorIndex;
    this.enabled = enabled;
  }

  @Override
  public void serverStarted(Server server) {
    if (!enabled) {
      return;
    }
    Connector[] connectors = server.getConnectors();
    // Dropwizard orders the connectors as configured: application connectors, then admin ones.
    if (connectorIndex >= connectors.length - 1
        || !(connectors[connectorIndex] instanceof NetworkConnector reviewer)
        || connectors[connectorIndex].getName() != null && connectors[connectorIndex].getName().startsWith("admin")) {
      throw new IllegalStateException("reviewerApi.connectorIndex " + connectorIndex
          + " names no application connector; add a second applicationConnector for the reviewer API");
    }
    reviewerPort = reviewer.getLocalPort();
  }

  /** The local port of the reviewer connector, or -1 before start or when disabled. */
  public int reviewerPort() {
    return reviewerPort;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String path = (http.getServletPath() == null ? "" : http.getServletPath())
        + (http.getPathInfo() == null ? "" : http.getPathInfo());
    boolean reviewerPath = SignatureAuthFilter.isReviewerPath(path)
        || http.getRequestURI() != null && http.getRequestURI().toLowerCase().contains("reviewer");
    int port = reviewerPort;
    boolean onReviewerPort = port > 0 && http.getLocalPort() == port;
    if (reviewerPath && enabled && onReviewerPort && SignatureAuthFilter.isReviewerPath(path)) {
      chain.doFilter(request, response);
      return;
    }
    if (!reviewerPath && !onReviewerPort && (port > 0 || !enabled)) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletResponse r = (HttpServletResponse) response;
    r.setStatus(404);
    r.setContentType("application/json");
    r.setContentLength(NOT_FOUND.length);
    r.getOutputStream().write(NOT_FOUND);
  }
}

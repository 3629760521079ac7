package org.testigo.server.resources.reviewer.auth;

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
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.testigo.server.edge.CanonicalPath;

/**
 * Separates the reviewer API from the source side by connector, on the raw request path (which
 * {@link org.testigo.server.edge.EdgeHandler} has already required to be canonical, so it
 * decodes to itself and every later layer routes what this one saw):
 * <ul>
 *   <li>on the reviewer connector only {@code /api/v1/reviewer/...} is served, and each such
 *       request is marked {@link #REVIEWER}, which makes {@link SignatureAuthFilter} require a
 *       valid signature whatever the path (deny by default);</li>
 *   <li>on every other connector a path that mentions the reviewer API in any case is refused
 *       and the rest is marked {@link #SOURCE}.</li>
 * </ul>
 * Every refusal is a bare 404, the same as a path that does not exist. Until the server has
 * started (ports known) every request is refused the same way.
 */
public final class ReviewerPortFilter implements Filter, ServerLifecycleListener {
  /** The request attribute naming the connector a request arrived on. */
  public static final String CONNECTOR = "testigo.connector";
  public static final String SOURCE = "source";
  public static final String REVIEWER = "reviewer";
  private static final byte[] NOT_FOUND =
      "{\"code\":404,\"message\":\"Not found.\"}".getBytes(StandardCharsets.US_ASCII);
  private final int connectorIndex;
  private final boolean enabled;
  private volatile int reviewerPort = -1;
  private volatile Connector reviewerConnector;

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
    reviewerConnector = connectors[connectorIndex];
    reviewerPort = reviewer.getLocalPort();
  }

  /** The local port of the reviewer connector, or -1 before start or when disabled. */
  public int reviewerPort() {
    return reviewerPort;
  }

  private static Connector connectorOf(ServletRequest request) {
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(request);
    return r == null ? null : r.getConnectionMetaData().getConnector();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String raw = http.getRequestURI() == null ? "" : http.getRequestURI();
    int port = reviewerPort;
    boolean started = port > 0 || !enabled;
    // By the connector the connection was accepted on, never by the local port the request
    // reports: behind tor's PROXY line (the source connector) that is the line's port.
    boolean onReviewerPort = enabled && port > 0 && connectorOf(request) == reviewerConnector;
    if (onReviewerPort) {
      request.setAttribute(CONNECTOR, REVIEWER);
      if (CanonicalPath.isCanonical(raw) && SignatureAuthFilter.isReviewerPath(raw)) {
        chain.doFilter(request, response);
        return;
      }
    } else if (started && !raw.toLowerCase(Locale.ROOT).contains("reviewer")) {
      request.setAttribute(CONNECTOR, SOURCE);
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

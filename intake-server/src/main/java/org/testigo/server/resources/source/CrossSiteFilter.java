package org.testigo.server.resources.source;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.testigo.server.resources.reviewer.auth.ReviewerPortFilter;

/**
 * Refuses (403, nothing read or stored) a request to the source side that changes something
 * and that a browser says another site made: {@code Sec-Fetch-Site: cross-site} or
 * {@code same-site}, or an {@code Origin} that is {@code null} or names another host. Another
 * site's page could otherwise post a form with a receipt its author knows (the no-JavaScript
 * form posts the receipt it showed) and land the source on our genuine page showing that code:
 * the author would then read the replies (outside attack). Our pages are served with
 * {@code Referrer-Policy: same-origin}, so their posts carry our own {@code Origin}; a browser
 * sends {@code Origin: null} after another site's redirect or from a sandboxed frame, which is
 * how the second attack got around a filter that let {@code null} pass. Clients that are not
 * browsers (the shelter tool, scripts) send neither header and pass. Runs before the circuit
 * budgets, so a refused post costs nothing.
 */
public final class CrossSiteFilter implements Filter {
  /** The message of the refusal. */
  public static final String KEY = "error.cross_site";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    if (ReviewerPortFilter.REVIEWER.equals(request.getAttribute(ReviewerPortFilter.CONNECTOR))
        || isSafeMethod(http.getMethod())
        || !isCrossSite(http.getHeader("Sec-Fetch-Site"), http.getHeader("Origin"), http.getHeader("Host"))) {
      chain.doFilter(request, response);
      return;
    }
    CircuitFilter.respond(http, (HttpServletResponse) response, 403, KEY);
  }

  private static boolean isSafeMethod(String method) {
    return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
  }

  /**
   * Whether a browser says another site made the request: {@code Sec-Fetch-Site} other than
   * {@code same-origin} or {@code none} (typed or bookmarked), or an {@code Origin} that is
   * {@code null}, or names another scheme than http/https, or another host and port than
   * {@code Host} (a port left out is the scheme's default).
   */
  static boolean isCrossSite(String fetchSite, String origin, String host) {
    if (fetchSite != null) {
      String site = fetchSite.strip().toLowerCase(Locale.ROOT);
      if (!site.equals("same-origin") && !site.equals("none")) {
        return true;
      }
    }
    if (origin == null) {
      return false;
    }
    try {
      URI o = URI.create(origin.strip());
      if (o.getHost() == null || host == null
          || !("http".equalsIgnoreCase(o.getScheme()) || "https".equalsIgnoreCase(o.getScheme()))) {
        return true;
      }
      int schemePort = "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
      int port = o.getPort() == -1 ? schemePort : o.getPort();
      return !authority(o.getHost(), port).equals(hostAuthority(host, schemePort));
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static String authority(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** {@code Host} as host:port, the scheme's default port when the header names none. */
  private static String hostAuthority(String host, int defaultPort) {
    String h = host.strip();
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon && h.substring(colon + 1).matches("[0-9]{1,5}")) {
      return authority(h.substring(0, colon), Integer.parseInt(h.substring(colon + 1)));
    }
    return authority(h, defaultPort);
  }
}

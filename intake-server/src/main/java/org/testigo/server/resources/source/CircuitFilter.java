package org.testigo.server.resources.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.ErrorMessage;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CircuitTable;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.TooManyRequestsException;
import org.testigo.server.resources.reviewer.auth.ReviewerPortFilter;
import org.testigo.server.views.Messages;
import org.testigo.server.views.Pages;

/**
 * Applies each circuit's share to the source side's requests, before any body is read: at
 * most {@code maxConcurrentRequests} at once per circuit, and the per-period budgets each
 * route costs ({@link #costOf}). Over either: 429 with Retry-After, as a page in the visitor's
 * language or the API's JSON. Sets {@link CurrentCircuit} for the request, so the fair queues
 * and the upload service know whose turn and whose uploads it is.
 *
 * <p>Runs after {@link ReviewerPortFilter}; requests it did not mark as the source side's pass
 * untouched.
 */
public final class CircuitFilter implements Filter {
  private static final Circuit.Cost[] NONE = {};
  private final CircuitTable circuits;
  private final ObjectMapper json = new ObjectMapper();

  public CircuitFilter(CircuitTable circuits) {
    this.circuits = circuits;
  }

  /** What a request costs against the budgets, by method and (canonical) path. */
  static Circuit.Cost[] costOf(String method, String path) {
    if (!"POST".equals(method)) {
      return NONE;
    }
    return switch (path) {
      case ApiPaths.REPORT -> new Circuit.Cost[] {
          Circuit.Cost.KEY_DERIVATION, Circuit.Cost.MAILBOX, Circuit.Cost.SUBMISSION};
      case ApiPaths.STATUS -> new Circuit.Cost[] {Circuit.Cost.KEY_DERIVATION};
      case ApiPaths.STATUS_FOLLOW_UP -> new Circuit.Cost[] {Circuit.Cost.KEY_DERIVATION, Circuit.Cost.SUBMISSION};
      case ApiPaths.VISIT_FOLLOW_UP, ApiPaths.SUBMISSIONS -> new Circuit.Cost[] {Circuit.Cost.SUBMISSION};
      case ApiPaths.MAILBOXES -> new Circuit.Cost[] {Circuit.Cost.MAILBOX};
      case ApiPaths.UPLOADS -> new Circuit.Cost[] {Circuit.Cost.UPLOAD};
      default -> path.startsWith(ApiPaths.UPLOADS + "/") && path.endsWith("/commit")
          ? new Circuit.Cost[] {Circuit.Cost.SUBMISSION} : NONE;
    };
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!ReviewerPortFilter.SOURCE.equals(request.getAttribute(ReviewerPortFilter.CONNECTOR))) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse out = (HttpServletResponse) response;
    Circuit known = circuits.of(request);
    Circuit circuit = known != null ? known : Circuit.standalone(circuits.settings());
    if (!circuit.enter()) {
      tooMany(http, out, 1);
      return;
    }
    try {
      String path = http.getRequestURI() == null ? "" : http.getRequestURI();
      Circuit.Cost[] costs = costOf(http.getMethod(), path);
      long wait = circuit.charge(costs);
      if (wait > 0) {
        tooMany(http, out, wait == Long.MAX_VALUE ? 3600 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1));
        return;
      }
      Circuit before = CurrentCircuit.enter(circuit);
      try {
        chain.doFilter(request, response);
      } finally {
        CurrentCircuit.restore(before);
        if (out.getStatus() == 503 && costs.length > 0) {
          circuit.refund(costs);
        }
      }
    } finally {
      circuit.leave();
    }
  }

  /** 429 with Retry-After, as a page or the API's JSON; never reads the body. */
  private void tooMany(HttpServletRequest request, HttpServletResponse response, long retryAfter)
      throws IOException {
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(retryAfter));
    if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
      response.setHeader("Connection", "close");
    }
    String path = request.getRequestURI() == null ? "" : request.getRequestURI();
    Messages m = Messages.of(Language.choose(queryLang(request.getQueryString()),
        request.getHeader("Accept-Language")));
    byte[] body;
    if (path.startsWith("/api/")) {
      body = json.writeValueAsBytes(new ErrorMessage(429, Messages.of(Language.EN).error(TooManyRequestsException.KEY)));
      response.setContentType("application/json");
    } else {
      body = Pages.error(m, List.of(TooManyRequestsException.KEY), null).getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/html; charset=UTF-8");
    }
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The {@code lang} query parameter, read without touching a form body. */
  static String queryLang(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("lang=")) {
        return pair.substring(5);
      }
    }
    return null;
  }
}

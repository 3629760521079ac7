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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.ErrorMessage;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CircuitTable;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.ServiceBusyException;
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
 * <p>Bodies: a request with a body (Content-Length above 0, or any Transfer-Encoding) holds a
 * worker thread for as long as its body trickles in, which may be hours at the connector's
 * minimum data rate. So at most {@code fairness.maxConcurrentBodies} of them per circuit (the
 * next: 429) and {@code limits.maxBodiesInFlight} server-wide (the next: 503), both with
 * Retry-After and decided before any byte of the body is read and before any budget is charged;
 * the threads left serve pages, status checks and the reviewer API (SECURITY.md §8.5).
 *
 * <p>Runs after {@link ReviewerPortFilter}; requests it did not mark as the source side's pass
 * untouched.
 */
public final class CircuitFilter implements Filter {
  private static final Circuit.Cost[] NONE = {};
  private final CircuitTable circuits;
  private final Semaphore bodies;
  private final int maxBodies;
  private final int retryAfterSeconds;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param maxBodies requests whose bodies are read at once, server-wide
   * @param retryAfterSeconds the Retry-After of a 503 when they are all taken
   */
  public CircuitFilter(CircuitTable circuits, int maxBodies, int retryAfterSeconds) {
    this.circuits = circuits;
    this.maxBodies = maxBodies;
    this.bodies = new Semaphore(maxBodies);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Requests whose bodies are being read now (a figure for the metrics). */
  public int bodiesInFlight() {
    return maxBodies - bodies.availablePermits();
  }

  /** Whether the request carries a body, judged from its headers alone. */
  static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
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
      case ApiPaths.VISIT_FOLLOW_UP, ApiPaths.VISIT_ERASURE_CONFIRM, ApiPaths.SUBMISSIONS -> new Circuit.Cost[] {Circuit.Cost.SUBMISSION};
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
    boolean body = false;
    boolean permit = false;
    try {
      if (hasBody(http)) {
        if (!circuit.enterBody()) {
          tooMany(http, out, 1);
          return;
        }
        body = true;
        if (!bodies.tryAcquire()) {
          refuse(http, out, 503, ServiceBusyException.KEY, retryAfterSeconds);
          return;
        }
        permit = true;
      }
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
      if (permit) {
        bodies.release();
      }
      if (body) {
        circuit.leaveBody();
      }
      circuit.leave();
    }
  }

  /** 429 with Retry-After, as a page or the API's JSON; never reads the body. */
  private void tooMany(HttpServletRequest request, HttpServletResponse response, long retryAfter)
      throws IOException {
    refuse(request, response, 429, TooManyRequestsException.KEY, retryAfter);
  }

  /**
   * {@code status} (429 or 503) with Retry-After and the message {@code key}, as a page or the
   * API's JSON; never reads the body (and closes a connection that has one).
   */
  private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String key,
      long retryAfter) throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfter));
    respond(request, response, status, key);
  }

  /**
   * {@code status} with the message {@code key}, as a page in the visitor's language or the
   * API's JSON; never reads the body (and closes a connection that has one).
   */
  static void respond(HttpServletRequest request, HttpServletResponse response, int status, String key)
      throws IOException {
    response.setStatus(status);
    if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
      response.setHeader("Connection", "close");
    }
    String path = request.getRequestURI() == null ? "" : request.getRequestURI();
    Messages m = Messages.of(Language.choose(queryLang(request.getQueryString()),
        request.getHeader("Accept-Language")));
    byte[] body;
    if (path.startsWith("/api/")) {
      body = JSON.writeValueAsBytes(new ErrorMessage(status, Messages.of(Language.EN).error(key)));
      response.setContentType("application/json");
    } else {
      body = Pages.error(m, List.of(key), null).getBytes(StandardCharsets.UTF_8);
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

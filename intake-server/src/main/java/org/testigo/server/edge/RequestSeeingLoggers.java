package org.testigo.server.edge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Loggers of the HTTP stack that write what a client sent into the log, held at a level where
 * they cannot, whatever the configuration says (the admin port's log-level task cannot change
 * them either, {@code cli.RestrictedLogLevelTask}). Found by an outside attack on this server:
 * <ul>
 *   <li>Jersey's {@code WebComponent} warns, for any request with a form content type and a
 *       query, with the full request URI: the Host header, the path with an upload id, and
 *       whatever the client put in the query;</li>
 *   <li>Jersey's {@code ServerRuntime$Responder} logs a 90-line stack trace at ERROR for every
 *       client that resets its connection mid-response: anyone could fill the log;</li>
 *   <li>Jetty warns with the raw value of a bad or repeated Host header ({@code HttpParser},
 *       {@code HostPort}) and with the path of a request whose servlet failed
 *       ({@code ServletChannel}).</li>
 * </ul>
 * Jetty stays on at ERROR (a failed connector or a crashed thread pool still shows).
 */
public final class RequestSeeingLoggers {
  /** Logger name to the most verbose level it may have. */
  public static final Map<String, Level> LEVELS = Map.of(
      "org.glassfish.jersey.servlet.WebComponent", Level.OFF,
      "org.glassfish.jersey.server.ServerRuntime$Responder", Level.OFF,
      "org.eclipse.jetty", Level.ERROR);

  private RequestSeeingLoggers() {}

  /** Sets each of {@link #LEVELS} (call after Dropwizard has configured logging). */
  public static void silence() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      LEVELS.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
    }
  }
}

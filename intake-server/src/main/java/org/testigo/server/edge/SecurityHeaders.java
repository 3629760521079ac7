package org.testigo.server.edge;

import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * The headers every response carries, on every connector, whoever writes it: the application,
 * a servlet error, or Jetty's own parser refusing a malformed request.
 */
public final class SecurityHeaders {
  /**
   * Scripts only from this origin (the SRI-pinned bundle, and its Web Worker, same file); fetch
   * only to this origin; audio (the spoken questions) only from this origin.
   */
  public static final String CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
      + "style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
      + "base-uri 'none'";

  /** Name to value, in the order they are set. */
  public static final Map<String, String> ALL = orderedHeaders();

  private SecurityHeaders() {}

  private static Map<String, String> orderedHeaders() {
    var m = new java.util.LinkedHashMap<String, String>();
    m.put("Content-Security-Policy", CSP);
    // same-origin, not no-referrer: our own posts then carry our Origin, so a post whose Origin is
    // "null" (a redirect or a sandboxed frame on another site) can be refused (CrossSiteFilter)
    m.put("Referrer-Policy", "same-origin");
    m.put("Cache-Control", "no-store");
    m.put("X-Content-Type-Options", "nosniff");
    m.put("X-Frame-Options", "DENY");
    m.put("Cross-Origin-Opener-Policy", "same-origin");
    m.put("Cross-Origin-Resource-Policy", "same-origin");
    // The report page may record the source's voice (MediaRecorder), from this origin only.
    m.put("Permissions-Policy", "camera=(), microphone=(self), geolocation=()");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Sets (replacing) every security header on Jetty's response fields. */
  public static void setOn(HttpFields.Mutable fields) {
    ALL.forEach(fields::put);
  }

  /** Sets each security header that is missing (one the application refined stays as it is). */
  public static void setMissingOn(HttpFields.Mutable fields) {
    ALL.forEach((name, value) -> {
      if (!fields.contains(name)) {
        fields.put(name, value);
      }
    });
  }
}

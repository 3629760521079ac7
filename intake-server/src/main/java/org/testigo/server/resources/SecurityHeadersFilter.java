package org.testigo.server.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Sets the strict headers on every response before the application writes anything, and
 * drops any attempt to set a cookie. The source flow has no accounts and needs no cookie.
 */
public final class SecurityHeadersFilter implements Filter {
  /** Scripts only from this origin (the SRI-pinned bundle); fetch only to this origin. */
  public static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; "
      + "style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse http = (HttpServletResponse) response;
    http.setHeader("Content-Security-Policy", CSP);
    http.setHeader("Referrer-Policy", "no-referrer");
    http.setHeader("Cache-Control", "no-store");
    http.setHeader("X-Content-Type-Options", "nosniff");
    http.setHeader("X-Frame-Options", "DENY");
    http.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    http.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    http.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    chain.doFilter(request, new HttpServletResponseWrapper(http) {
      @Override
      public void addCookie(Cookie cookie) {
        // no cookies, ever
      }

      @Override
      public void setHeader(String name, String value) {
        if (!"Set-Cookie".equalsIgnoreCase(name) && !"Server".equalsIgnoreCase(name)) {
          super.setHeader(name, value);
        }
      }

      @Override
      public void addHeader(String name, String value) {
        if (!"Set-Cookie".equalsIgnoreCase(name) && !"Server".equalsIgnoreCase(name)) {
          super.addHeader(name, value);
        }
      }
    });
  }
}

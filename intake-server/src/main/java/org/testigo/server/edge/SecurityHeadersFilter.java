package org.testigo.server.edge;

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
 * Sets the {@link SecurityHeaders} on every response before the application writes anything, and
 * drops any attempt to set a cookie. The source flow has no accounts and needs no cookie.
 */
public final class SecurityHeadersFilter implements Filter {
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse http = (HttpServletResponse) response;
    SecurityHeaders.ALL.forEach(http::setHeader);
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

package org.testigo.server.resources.errors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.testigo.server.domain.Language;
import org.testigo.server.views.Messages;

/** Picks the page language of a request: {@code ?lang=}, then Accept-Language, then Spanish. */
public final class RequestLanguage {
  private RequestLanguage() {}

  public static Messages of(UriInfo uri, HttpHeaders headers) {
    String q = uri == null ? null : uri.getQueryParameters().getFirst("lang");
    String accept = headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
    return Messages.of(Language.choose(q, accept));
  }

  /** True for the JSON API ({@code /api/...}); false for the HTML pages. */
  public static boolean isApi(UriInfo uri) {
    return uri != null && uri.getPath().startsWith("api/") || uri != null && uri.getPath().startsWith("/api/");
  }
}

package org.testigo.server.resources.errors;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.testigo.server.resources.RequestLanguage;
import org.testigo.server.views.Messages;
import org.testigo.server.views.Pages;

/**
 * Builds error responses: Dropwizard's {@link ErrorMessage} JSON for the API, a localized
 * HTML page for the source pages. Neither ever contains request content.
 */
final class ErrorResponses {
  private ErrorResponses() {}

  static Response build(UriInfo uri, HttpHeaders headers, int status, List<String> keys,
      Integer retryAfter, String errorId) {
    Messages m = RequestLanguage.of(uri, headers);
    Response.ResponseBuilder b = Response.status(status);
    if (retryAfter != null) {
      b.header("Retry-After", retryAfter.toString());
    }
    if (RequestLanguage.isApi(uri)) {
      Messages en = Messages.of(org.testigo.server.views.Language.EN);
      String text = String.join(" ", keys.stream().map(en::error).toList());
      if (errorId != null) {
        text = text + " " + errorId;
      }
      return b.type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorMessage(status, text)).build();
    }
    return b.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(Pages.error(m, keys, errorId)).build();
  }
}

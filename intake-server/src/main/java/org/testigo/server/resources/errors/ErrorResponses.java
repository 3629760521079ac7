package org.testigo.server.resources.errors;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.testigo.server.views.Messages;
import org.testigo.server.views.Pages;

/**
 * Builds error responses: Dropwizard's {@link ErrorMessage} JSON for the API, a localized
 * HTML page for the source pages. Neither ever contains request content.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /**
   * What an error answers, whatever its form: the status, the message keys, the Retry-After
   * seconds (or null) and the error id of an unexpected error (or null), as the
   * {@link ErrorRegistry} decides it for Jersey's mappers and the API's servlets alike.
   */
  public record Error(int status, List<String> keys, Integer retryAfter, String errorId) {
    static Error of(int status, String key) {
      return new Error(status, List.of(key), null, null);
    }
  }

  static Response build(UriInfo uri, HttpHeaders headers, Error error) {
    Response.ResponseBuilder b = Response.status(error.status());
    if (error.retryAfter() != null) {
      b.header("Retry-After", error.retryAfter().toString());
    }
    if (RequestLanguage.isApi(uri)) {
      return b.type(MediaType.APPLICATION_JSON_TYPE).entity(apiMessage(error)).build();
    }
    Messages m = RequestLanguage.of(uri, headers);
    return b.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(Pages.error(m, error.keys(), error.errorId())).build();
  }

  /** The JSON body of an API error: Dropwizard's {@link ErrorMessage}, in English. */
  public static ErrorMessage apiMessage(Error error) {
    Messages en = Messages.of(org.testigo.server.domain.Language.EN);
    String text = String.join(" ", error.keys().stream().map(en::error).toList());
    if (error.errorId() != null) {
      text = text + " " + error.errorId();
    }
    return new ErrorMessage(error.status(), text);
  }
}

package org.testigo.server.edge;

/**
 * The generic texts of the errors the server produces outside the application (the edge, Jetty's
 * parser, servlet errors). They never repeat anything of the request.
 */
public final class GenericErrors {
  private GenericErrors() {}

  public static String message(int status) {
    return switch (status) {
      case 400 -> "The request is not valid.";
      case 401 -> "The request is not authorised.";
      case 403 -> "This is not allowed.";
      case 404 -> "Not found.";
      case 405 -> "This method is not allowed here.";
      case 408 -> "The request took too long.";
      case 411 -> "The request needs a length.";
      case 413 -> "The request is too large.";
      case 414 -> "The address is too long.";
      case 415 -> "This kind of content is not accepted here.";
      case 431 -> "The request headers are too large.";
      case 503 -> "The service is busy. Please try again in a moment.";
      default -> status >= 500 ? "The server could not answer this request." : "The request could not be served.";
    };
  }

  /** {@code {"code":N,"message":"..."}}, the shape of every error body of the API. */
  public static String json(int status) {
    return "{\"code\":" + status + ",\"message\":\"" + message(status) + "\"}";
  }
}

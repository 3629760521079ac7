package org.testigo.server.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler of the server, in front of every connector (source, reviewer, admin):
 * it sets the {@link SecurityHeaders} on every response before anything else can write one, and
 * refuses, before any filter, servlet or resource sees it:
 * <ul>
 *   <li>a path that is not in {@link CanonicalPath canonical form}, or an empty query (a bare
 *       {@code ?}, which a signature would read as no query) (400);</li>
 *   <li>a {@code Content-Length} that is not a plain decimal number (400) or that is 2^31 or
 *       more (413): Jersey reads the length as an {@code int} and answered such a request with a
 *       500 and a stack trace in the log.</li>
 * </ul>
 * Its answers are generic JSON, say nothing about the input, and close the connection when the
 * request has a body that will not be read.
 */
public final class EdgeHandler extends Handler.Wrapper {
  public EdgeHandler(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SecurityHeaders.setOn(response.getHeaders());
    String query = request.getHttpURI().getQuery();
    if (!CanonicalPath.isCanonical(request.getHttpURI().getPath()) || query != null && query.isEmpty()) {
      return refuse(request, response, callback, 400);
    }
    int lengthStatus = contentLengthStatus(request);
    if (lengthStatus != 0) {
      return refuse(request, response, callback, lengthStatus);
    }
    return super.handle(request, new HeadersKept(request, response), callback);
  }

  /**
   * Sets the security headers that are missing as the response commits: a servlet's
   * {@code sendError} (Dropwizard's task servlet answering 404 or 405, say) resets the headers
   * set above.
   */
  private static final class HeadersKept extends Response.Wrapper {
    HeadersKept(Request request, Response wrapped) {
      super(request, wrapped);
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!isCommitted()) {
        SecurityHeaders.setMissingOn(getHeaders());
      }
      super.write(last, content, callback);
    }
  }

  /** 0 if the Content-Length is absent or usable, else the status to refuse it with. */
  static int contentLengthStatus(Request request) {
    HttpField field = request.getHeaders().getField(HttpHeader.CONTENT_LENGTH);
    if (field == null) {
      return 0;
    }
    String v = field.getValue().strip();
    if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 400;
    }
    return Long.parseLong(v) > Integer.MAX_VALUE ? 413 : 0;
  }

  private static boolean refuse(Request request, Response response, Callback callback, int status) {
    response.setStatus(status);
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, "application/json");
    if (request.getHeaders().contains(HttpHeader.CONTENT_LENGTH)
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      headers.put(HttpHeader.CONNECTION, "close");
    }
    byte[] body = GenericErrors.json(status).getBytes(StandardCharsets.US_ASCII);
    headers.put(HttpHeader.CONTENT_LENGTH, String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}

package org.testigo.server.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server-level error handler: the answers Jetty writes itself (a request its parser refuses:
 * bad chunking, a NUL in a header, an ambiguous URI; or an error no handler answered) carry the
 * {@link SecurityHeaders} and a {@link GenericErrors generic} JSON body, never a stack trace, a
 * cause or the request's path.
 */
public final class EdgeErrorHandler extends ErrorHandler {
  public EdgeErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowMessageInTitle(false);
    setShowOrigin(false);
  }

  /** Every method gets the generic body (Jetty's own handler writes none for a PUT, say). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SecurityHeaders.setOn(response.getHeaders());
    return super.handle(request, response, callback);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    SecurityHeaders.setOn(response.getHeaders());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    byte[] body = GenericErrors.json(code).getBytes(StandardCharsets.US_ASCII);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeaders.setOn(fields);
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(GenericErrors.json(status).getBytes(StandardCharsets.US_ASCII));
  }
}

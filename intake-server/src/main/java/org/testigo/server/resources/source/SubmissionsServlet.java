package org.testigo.server.resources.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.testigo.api.ApiHeaders;
import org.testigo.api.ApiPaths;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.Accepted;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.intake.SubmissionService;
import org.testigo.server.resources.errors.ApiErrors;
import org.testigo.server.storage.EnvelopeStore;

/**
 * {@code POST /api/v1/submissions}: a v1 envelope sealed elsewhere, streamed as the body
 * ({@code application/octet-stream}; a body without a Content-Type is taken as one, RFC 9110
 * §8.3). Headers {@link ApiHeaders#MAILBOX} and {@link ApiHeaders#SUBMISSION_ID} are optional.
 * Answers 201 with {@code {"id", "receivedDay"}} once the envelope is committed, 200 for a
 * resend of a stored submission id.
 *
 * <p>A plain servlet, not a Jersey resource: this is the endpoint that takes the load, and
 * Jersey's own work per request (routing, injection, filters, response processing) cost as much
 * server CPU as storing the report (docs/decisions/0013-submissions-servlet.md). It sits behind the same servlet
 * filters as every page (security headers, reviewer-port separation, allowed methods), and its
 * errors are decided by the same mapper code as Jersey's ({@link ApiErrors}).
 */
public final class SubmissionsServlet extends HttpServlet {
  public static final String PATH = ApiPaths.SUBMISSIONS;
  private static final long serialVersionUID = 1L;
  private final transient SubmissionService submissions;
  private final transient ApiErrors errors;
  private final transient ObjectMapper json;

  public SubmissionsServlet(SubmissionService submissions, ApiErrors errors, ObjectMapper json) {
    this.submissions = submissions;
    this.errors = errors;
    this.json = json;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      if (!"POST".equals(request.getMethod())) {
        response.setHeader("Allow", "POST");
        errors.write(request, response, errors.clientError(405));
        return;
      }
      // The raw header: getContentType() parses its charset and throws on an unknown one.
      if (!isOctetStream(request.getHeader("Content-Type"))) {
        errors.write(request, response, errors.clientError(415));
        return;
      }
      Optional<byte[]> key = Optional.ofNullable(request.getHeader(ApiHeaders.MAILBOX)).map(HeaderValues::lookupKey);
      Optional<EnvelopeId> id = Optional.ofNullable(request.getHeader(ApiHeaders.SUBMISSION_ID))
          .map(HeaderValues::submissionId);
      long length = request.getContentLengthLong();
      EnvelopeStore.Stored result = submissions.submit(request.getInputStream(), length < 0 ? null : length, key, id);
      StoredEnvelope stored = result.envelope();
      byte[] body = json.writeValueAsBytes(new Accepted(stored.id().hex(), stored.receivedDay().toString()));
      response.setStatus(result.alreadyStored() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_CREATED);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (IOException | RuntimeException | Error e) {
      // Everything, as Jersey's mapper of Throwable did: an Error is a 500 with an error id too.
      errors.write(request, response, errors.of(e));
    }
  }

  static boolean isOctetStream(String contentType) {
    if (contentType == null) {
      return true;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.toLowerCase(Locale.ROOT).equals("application/octet-stream");
  }
}

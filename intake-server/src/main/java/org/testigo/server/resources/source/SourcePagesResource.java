package org.testigo.server.resources.source;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.testigo.api.ApiPaths;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.LimitedInputStream;
import org.testigo.server.domain.RetentionInForce;
import org.testigo.server.domain.report.FormInvalidException;
import org.testigo.server.intake.SourceService;
import org.testigo.server.log.FilingProofs;
import org.testigo.server.resources.errors.RequestLanguage;
import org.testigo.server.views.BrowserSealing;
import org.testigo.server.views.Messages;
import org.testigo.server.views.Pages;

/**
 * The source's pages: plain HTML forms, no JavaScript. Thin: chooses the language,
 * delegates to {@link SourceService}, renders the result.
 */
@Path(ApiPaths.HOME)
@Produces(MediaType.TEXT_HTML + "; charset=UTF-8")
public final class SourcePagesResource {
  private static final int MAX_STATUS_FORM = 4096;
  private final KeyState keys;
  private final SourceService source;
  private final BrowserSealing sealing;
  private final FilingProofs filings;
  private final RetentionInForce retention;

  public SourcePagesResource(KeyState keys, SourceService source, BrowserSealing sealing,
      FilingProofs filings, RetentionInForce retention) {
    this.keys = keys;
    this.source = source;
    this.sealing = sealing;
    this.filings = filings;
    this.retention = retention;
  }

  private static Messages messages(UriInfo uri, HttpHeaders headers) {
    return RequestLanguage.of(uri, headers);
  }

  @GET
  public String home(@Context UriInfo uri, @Context HttpHeaders headers) {
    return Pages.home(messages(uri, headers), keys.rootFingerprint().shortForm(), keys.rootFingerprint().hex());
  }

  @GET
  @Path(ApiPaths.REPORT)
  public String reportForm(@Context UriInfo uri, @Context HttpHeaders headers,
      @QueryParam("receipt") String receiptForm) {
    Messages m = messages(uri, headers);
    return Pages.reportForm(m, sealing, source.newFormReceipt(m.language(), "digits".equals(receiptForm)), null);
  }

  @POST
  @Path(ApiPaths.REPORT)
  @Consumes(MediaType.WILDCARD)
  public Response submitReport(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    SourceService.ReportReceipt r;
    try {
      r = source.submitReport(m.language(), contentType, contentLength, body);
    } catch (FormInvalidException e) {
      if (e.answers() == null || e.receipt() == null) {
        throw e;
      }
      // The form again, filled in (files excepted), each error next to its question; same receipt.
      return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
          .entity(Pages.reportForm(m, sealing, e.receipt(), e)).build();
    }
    return Response.ok(Pages.receipt(m, r.words(), r.metadataItemsRemoved(), r.visit())).build();
  }

  @GET
  @Path(ApiPaths.STATUS)
  public String statusForm(@Context UriInfo uri, @Context HttpHeaders headers) {
    return Pages.statusForm(messages(uri, headers));
  }

  @POST
  @Path(ApiPaths.STATUS)
  @Consumes(MediaType.WILDCARD)
  public Response status(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    String receipt = formField(contentType, body, "receipt", "error.receipt");
    SourceService.SourceStatus status;
    try {
      status = source.status(receipt);
    } catch (InvalidInputException e) {
      if (!e.messageKey().startsWith("error.receipt")) {
        throw e;
      }
      // the form again, the code's words in its box (Receipt.echo) and the message beside it (user
      // pass: an error page said "use Back", and Back brought an empty box: eight words to type again)
      return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
          .entity(Pages.statusForm(m, receipt, e.messageKey())).build();
    }
    return Response.ok(Pages.statusResult(m, status.visit(), status.progress(), status.replies(),
        filings.of(status.filed()), retention.now().orElse(null)), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
  }

  /** A follow-up with the receipt typed into the form (one derivation); pages now use the visit's. */
  @POST
  @Path(ApiPaths.STATUS_FOLLOW_UP)
  @Consumes(MediaType.WILDCARD)
  public String followUp(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    source.followUp(m.language(), contentType, contentLength, body);
    return Pages.followUpSent(m, null);
  }

  /** The status page of a visit (the capability in a hidden field): no derivation. */
  @POST
  @Path(ApiPaths.VISIT)
  @Consumes(MediaType.WILDCARD)
  public String visit(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    String visit = formField(contentType, body, "visit", "error.visit");
    SourceService.SourceStatus status = source.visitStatus(visit);
    return Pages.statusResult(m, visit, status.progress(), status.replies(), filings.of(status.filed()),
        retention.now().orElse(null));
  }

  /** A follow-up within a visit: no derivation. */
  @POST
  @Path(ApiPaths.VISIT_FOLLOW_UP)
  @Consumes(MediaType.WILDCARD)
  public String visitFollowUp(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    return Pages.followUpSent(m, source.followUpInVisit(m.language(), contentType, contentLength, body));
  }

  /**
   * The confirmation step of an early erasure request: says that the team decides and that it
   * is never automatic, and asks again. Stores nothing; the visit must be open.
   */
  @POST
  @Path(ApiPaths.VISIT_ERASURE)
  @Consumes(MediaType.WILDCARD)
  public String erasureConfirm(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    String visit = formField(contentType, body, "visit", "error.visit");
    source.checkVisit(visit); // an ended visit is refused here, not after the source confirmed
    if (retention.now().isEmpty()) {
      throw new InvalidInputException("error.erasure_unavailable");
    }
    return Pages.erasureConfirm(m, visit);
  }

  /** The confirmed early erasure request: sealed to the reviewers as a follow-up (spec §4.2). */
  @POST
  @Path(ApiPaths.VISIT_ERASURE_CONFIRM)
  @Consumes(MediaType.WILDCARD)
  public String erasureRequest(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    return Pages.erasureRequested(m, source.requestErasure(formField(contentType, body, "visit", "error.visit"),
        retention));
  }

  /** The "leave" button: ends the visit. */
  @POST
  @Path(ApiPaths.VISIT_LEAVE)
  @Consumes(MediaType.WILDCARD)
  public String leave(@Context UriInfo uri, @Context HttpHeaders headers,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
    Messages m = messages(uri, headers);
    source.leave(formField(contentType, body, "visit", "error.visit"));
    return Pages.left(m);
  }

  /** One field of a small url-encoded form; {@code errorKey} when it is missing or malformed. */
  private static String formField(String contentType, InputStream body, String name, String errorKey)
      throws IOException {
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT)
        .startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
      throw new InvalidInputException("error.content_type");
    }
    byte[] raw = new LimitedInputStream(body, MAX_STATUS_FORM).readAllBytes();
    String value = null;
    for (String pair : new String(raw, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(errorKey);
        }
      }
    }
    if (value == null) {
      throw new InvalidInputException(errorKey);
    }
    return value;
  }
}

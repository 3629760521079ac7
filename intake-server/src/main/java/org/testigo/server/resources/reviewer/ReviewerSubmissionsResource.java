package org.testigo.server.resources.reviewer;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.Base64;
import org.testigo.api.ApiHeaders;
import org.testigo.api.ApiPaths;
import org.testigo.api.EnvelopeId;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.ReplyKey;
import org.testigo.api.wire.Submission;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.resources.reviewer.auth.SignatureAuthFilter;
import org.testigo.server.review.ReviewerPrincipal;
import org.testigo.server.review.ReviewerService;
import org.testigo.server.review.UnauthorizedException;
import org.testigo.server.review.VerifiedBody;

/**
 * {@code /api/v1/reviewer/submissions}: the feed of submissions after a cursor, the same
 * page with its envelopes inline ({@code envelopes}), one envelope's ciphertext (streamed
 * from its chunks), the reply key of a report's mailbox, and
 * replies. Every request here has passed {@link SignatureAuthFilter}, and every method reads
 * its principal ({@link ReviewerPrincipal#require}).
 */
@Path(ApiPaths.REVIEWER_SUBMISSIONS)
@Produces(MediaType.APPLICATION_JSON)
public final class ReviewerSubmissionsResource {
  private final ReviewerService service;
  private final int maxPageSize;

  public ReviewerSubmissionsResource(ReviewerService service, int maxPageSize) {
    this.service = service;
    this.maxPageSize = maxPageSize;
  }

  @GET
  public Page<Submission> list(
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (after < 0 || limit < 1 || limit > maxPageSize) {
      throw new InvalidInputException("error.form");
    }
    return service.submissions(after, limit);
  }

  /** One page of the feed with the envelopes inline ({@code EnvelopeBatch} v1). */
  @GET
  @Path("envelopes")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response batch(@QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (after < 0 || limit < 1 || limit > maxPageSize) {
      throw new InvalidInputException("error.form");
    }
    StreamingOutput body = out -> service.batch(after, limit, out);
    return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
  }

  @GET
  @Path("{id}/envelope")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response envelope(@PathParam("id") String id, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    EnvelopeRecord record = service.envelope(parse(id)).orElseThrow(NotFoundException::new);
    StreamingOutput body = out -> service.copyTo(record, out);
    return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(ApiHeaders.ENVELOPE_SHA256, java.util.HexFormat.of().formatHex(service.currentSha256(record)))
        .build();
  }

  @GET
  @Path("{id}/reply-key")
  public ReplyKey replyKey(@PathParam("id") String id, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    RecipientPublicKey key = service.replyKey(parse(id)).orElseThrow(NotFoundException::new);
    return new ReplyKey(Base64.getUrlEncoder().withoutPadding().encodeToString(key.toBytes()),
        key.fingerprint().hex());
  }

  @POST
  @Path("{id}/replies")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response reply(@PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
      @Context ContainerRequestContext ctx) throws IOException {
    VerifiedBody body = Bodies.verified(ctx);
    EnvelopeId report = parse(id);
    StoredEnvelope stored = service.storeReply(report, body, length).orElseThrow(NotFoundException::new);
    return Response.status(201).entity(new Accepted(stored.id().hex(), stored.receivedDay().toString())).build();
  }

  static EnvelopeId parse(String id) {
    try {
      return EnvelopeId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException();
    }
  }

  /** The verified body and the writer check, shared by the resources that accept a body. */
  static final class Bodies {
    private Bodies() {}

    static VerifiedBody verified(ContainerRequestContext ctx) {
      ReviewerPrincipal p = ReviewerPrincipal.require(ctx);
      if (!(ctx.getProperty(SignatureAuthFilter.BODY) instanceof VerifiedBody body)) {
        throw new UnauthorizedException();
      }
      if (!p.mayWrite()) {
        throw new ForbiddenException();
      }
      return body;
    }
  }
}

package org.testigo.server.resources.reviewer;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.Page;
import org.testigo.api.wire.RewrapItem;
import org.testigo.api.wire.RewrapStored;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.resources.reviewer.auth.SignatureAuthFilter;
import org.testigo.server.review.ReviewerPrincipal;
import org.testigo.server.review.RewrapService;

/**
 * {@code /api/v1/reviewer/rewraps}: post a new header for a stored submission
 * ({@code POST /rewraps/{id}}, octet-stream, the header only), list rewraps after a cursor
 * ({@code GET /rewraps?after=C&limit=N}) and fetch one generation's header
 * ({@code GET /rewraps/{id}/{generation}}, 0 = the original). Every request here has passed
 * {@link SignatureAuthFilter}; posting needs role reviewer or admin and a key the envelope's
 * current header names (403 with the reason otherwise).
 */
@Path(ApiPaths.REVIEWER_REWRAPS)
@Produces(MediaType.APPLICATION_JSON)
public final class ReviewerRewrapsResource {
  private final RewrapService rewraps;
  private final int maxPageSize;

  public ReviewerRewrapsResource(RewrapService rewraps, int maxPageSize) {
    this.rewraps = rewraps;
    this.maxPageSize = maxPageSize;
  }

  @POST
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response post(@PathParam("id") String id, @Context ContainerRequestContext ctx) throws IOException {
    var body = ReviewerSubmissionsResource.Bodies.verified(ctx);
    ReviewerPrincipal principal = ReviewerPrincipal.require(ctx);
    RewrapStored stored;
    try {
      stored = rewraps.rewrap(ReviewerSubmissionsResource.parse(id), principal, body)
          .orElseThrow(NotFoundException::new);
    } catch (RewrapService.NotARecipientException e) {
      return Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(403, e.getMessage())).build(); // a fixed text, nothing of the request
    }
    return Response.status(stored.created() ? 201 : 200).entity(stored).build();
  }

  @GET
  public Page<RewrapItem> list(@QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (after < 0 || limit < 1 || limit > maxPageSize) {
      throw new InvalidInputException("error.form");
    }
    return rewraps.after(after, limit);
  }

  @GET
  @Path("{id}/{generation}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public byte[] header(@PathParam("id") String id, @PathParam("generation") String generation,
      @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (!generation.matches("[0-9]{1,9}")) {
      throw new NotFoundException();
    }
    return rewraps.header(ReviewerSubmissionsResource.parse(id), Integer.parseInt(generation))
        .orElseThrow(NotFoundException::new);
  }
}

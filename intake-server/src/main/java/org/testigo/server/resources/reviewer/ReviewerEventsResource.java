package org.testigo.server.resources.reviewer;

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
import org.testigo.api.wire.CaseEventItem;
import org.testigo.api.wire.EventPosted;
import org.testigo.api.wire.Page;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.review.CaseEventService;
import org.testigo.server.review.ReviewerPrincipal;

/**
 * {@code POST /api/v1/reviewer/cases/{id}/events} (append a signed case event with its sealed
 * content) and {@code GET /api/v1/reviewer/events?after=CURSOR&limit=N} (all events after a
 * cursor, as received).
 */
@Path(ApiPaths.REVIEWER)
@Produces(MediaType.APPLICATION_JSON)
public final class ReviewerEventsResource {
  private final CaseEventService events;
  private final int maxPageSize;

  public ReviewerEventsResource(CaseEventService events, int maxPageSize) {
    this.events = events;
    this.maxPageSize = maxPageSize;
  }

  @POST
  @Path("cases/{id}/events")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response post(@PathParam("id") String id, @Context ContainerRequestContext ctx) throws IOException {
    var body = ReviewerSubmissionsResource.Bodies.verified(ctx);
    ReviewerPrincipal principal = ReviewerPrincipal.require(ctx);
    CaseEventService.Stored stored = events.post(ReviewerSubmissionsResource.parse(id), principal, body)
        .orElseThrow(NotFoundException::new);
    return Response.status(stored.created() ? 201 : 200)
        .entity(new EventPosted(stored.seq(), stored.eventId())).build();
  }

  @GET
  @Path("events")
  public Page<CaseEventItem> list(@QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (after < 0 || limit < 1 || limit > maxPageSize) {
      throw new InvalidInputException("error.form");
    }
    return events.after(after, limit);
  }
}

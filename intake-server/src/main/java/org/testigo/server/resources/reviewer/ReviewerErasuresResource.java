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
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.CaseObjects;
import org.testigo.api.wire.ErasureItem;
import org.testigo.api.wire.ErasureMismatch;
import org.testigo.api.wire.Page;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.review.ErasureService;
import org.testigo.server.review.ReviewerPrincipal;

/**
 * Erasure through the reviewer API (docs/spec/retention-and-erasure.md §3.1):
 * {@code GET /api/v1/reviewer/cases/{id}/objects} (every stored envelope of a case; 404
 * unknown, 410 erased), {@code POST /api/v1/reviewer/erasures} (an erasure decision v1 as
 * octet-stream; 201 erased now, 200 applied before) and {@code GET
 * /api/v1/reviewer/erasures?after=C&limit=N} (the applied decisions). Posting needs role
 * reviewer or admin for the request; who may decide is the decision's own signatures.
 */
@Path(ApiPaths.REVIEWER)
@Produces(MediaType.APPLICATION_JSON)
public final class ReviewerErasuresResource {
  private final ErasureService erasures;
  private final int maxPageSize;

  public ReviewerErasuresResource(ErasureService erasures, int maxPageSize) {
    this.erasures = erasures;
    this.maxPageSize = maxPageSize;
  }

  @GET
  @Path("cases/{id}/objects")
  public CaseObjects objects(@PathParam("id") String id, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    return erasures.objects(ReviewerSubmissionsResource.parse(id)).orElseThrow(NotFoundException::new);
  }

  @POST
  @Path("erasures")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response erase(@Context ContainerRequestContext ctx) throws IOException {
    var body = ReviewerSubmissionsResource.Bodies.verified(ctx);
    ErasureService.Applied applied = erasures.apply(body).orElseThrow(NotFoundException::new);
    return Response.status(applied.created() ? 201 : 200).entity(applied.answer()).build();
  }

  @GET
  @Path("erasures")
  public Page<ErasureItem> list(@QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit, @Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    if (after < 0 || limit < 1 || limit > maxPageSize) {
      throw new InvalidInputException("error.form");
    }
    return erasures.after(after, limit);
  }

  /** 410: the case was erased (its objects, and events posted to it). */
  public static final class GoneMapper implements ExceptionMapper<ErasureService.GoneException> {
    @Override
    public Response toResponse(ErasureService.GoneException e) {
      return Response.status(410).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(410, e.getMessage())).build(); // a fixed text
    }
  }

  /** 403 or 409 naming the rule that refused the decision (fixed English texts, nothing of the request). */
  public static final class RefusedMapper implements ExceptionMapper<ErasureService.RefusedException> {
    @Override
    public Response toResponse(ErasureService.RefusedException e) {
      return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(e.status(), e.getMessage())).build();
    }
  }

  /** 409 with the hashes stored and not listed ({@code missing}) and listed and not stored ({@code unlisted}). */
  public static final class MismatchMapper implements ExceptionMapper<ErasureService.MismatchException> {
    @Override
    public Response toResponse(ErasureService.MismatchException e) {
      return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErasureMismatch(409, e.getMessage(), e.getMessage(), e.missing(), e.unlisted())).build();
    }
  }
}

package org.testigo.server.resources.reviewer;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import org.testigo.api.ApiPaths;
import org.testigo.server.review.ChallengeService;
import org.testigo.server.review.ReviewerPrincipal;

/**
 * {@code POST /api/v1/reviewer/challenges}: a reviewer's answer to a possession challenge,
 * with the challenge (body: {@code u16 n || challenge || answer}). 201 with the feed position
 * and challenge id; 400 if anything does not verify; 409 if the challenge was answered
 * before. Nothing is stored unless the answer verifies.
 */
@Path(ApiPaths.REVIEWER_CHALLENGES)
@Produces(MediaType.APPLICATION_JSON)
public final class ReviewerChallengesResource {
  private final ChallengeService challenges;

  public ReviewerChallengesResource(ChallengeService challenges) {
    this.challenges = challenges;
  }

  @POST
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response answer(@Context ContainerRequestContext ctx) throws IOException {
    var body = ReviewerSubmissionsResource.Bodies.verified(ctx);
    ReviewerPrincipal principal = ReviewerPrincipal.require(ctx);
    return Response.status(201).entity(challenges.answer(principal, body)).build();
  }

  /** 409 with a generic message: the challenge has an answer already. */
  public static final class AlreadyAnsweredMapper implements ExceptionMapper<ChallengeService.AlreadyAnsweredException> {
    @Override
    public Response toResponse(ChallengeService.AlreadyAnsweredException e) {
      return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ErrorMessage(409, "This challenge was answered before; ask the auditor for a new one."))
          .build();
    }
  }
}

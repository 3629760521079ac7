package org.testigo.server.resources.reviewer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import org.testigo.api.ApiPaths;
import org.testigo.server.domain.KeyState;
import org.testigo.server.review.ReviewerPrincipal;

/**
 * {@code GET /api/v1/reviewer/manifest}: the armored signed key manifest chain the server
 * runs with. Clients verify it from the root fingerprint they pinned; the server is not
 * trusted for it.
 */
@Path(ApiPaths.REVIEWER_MANIFEST)
public final class ReviewerManifestResource {
  private final KeyState keys;

  public ReviewerManifestResource(KeyState keys) {
    this.keys = keys;
  }

  @GET
  @Produces("text/plain; charset=US-ASCII")
  public String chain(@Context ContainerRequestContext ctx) {
    ReviewerPrincipal.require(ctx);
    return keys.armoredChain();
  }
}

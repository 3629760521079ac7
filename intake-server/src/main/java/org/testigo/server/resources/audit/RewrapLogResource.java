package org.testigo.server.resources.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.RewrapLeaf;
import org.testigo.server.log.EnvelopeHeaders;
import org.testigo.server.review.RewrapService;

/**
 * {@code GET /api/v1/log/leaves/{index}/rewrap} (source port, public, like the rest of the
 * log API): the object of a {@code rewrap} leaf, so that an auditor without any key can
 * recompute its object hash and check the new header's recipients. 404 for any other leaf.
 * The header carries no content (see {@link EnvelopeHeaders} for why headers are public).
 */
@Path(ApiPaths.LOG_LEAF_REWRAP)
@Produces(MediaType.APPLICATION_JSON)
public final class RewrapLogResource {
  private final RewrapService rewraps;

  public RewrapLogResource(RewrapService rewraps) {
    this.rewraps = rewraps;
  }

  @GET
  public RewrapLeaf rewrap(@PathParam("index") String index) {
    return rewraps.forLeaf(LogResource.number(index)).orElseThrow(NotFoundException::new);
  }
}

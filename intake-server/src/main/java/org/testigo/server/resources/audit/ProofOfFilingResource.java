package org.testigo.server.resources.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.testigo.api.ApiPaths;
import org.testigo.server.log.FilingProofs;
import org.testigo.server.log.QrSvg;

/**
 * Downloads for the source's status page: a proof of filing as a text file and as a QR code
 * (SVG), for leaf {@code index} against the tree head of {@code size} leaves. The same
 * (index, size) always gives the same bytes, so the text on the page, the file and the QR
 * code agree. Everything served here is derivable from the public log.
 */
@Path(ApiPaths.PROOF_OF_FILING)
public final class ProofOfFilingResource {
  private final FilingProofs proofs;

  public ProofOfFilingResource(FilingProofs proofs) {
    this.proofs = proofs;
  }

  @GET
  @Path("proof.txt")
  @Produces("text/plain; charset=UTF-8")
  public Response text(@PathParam("index") String index, @PathParam("size") String size) {
    long i = LogResource.number(index);
    String armored = proofs.armored(i, LogResource.number(size)).orElseThrow(NotFoundException::new);
    return Response.ok(armored)
        .header("Content-Disposition", "attachment; filename=\"testigo-proof-of-filing-" + i + ".txt\"")
        .build();
  }

  @GET
  @Path("qr.svg")
  @Produces("image/svg+xml")
  public String qr(@PathParam("index") String index, @PathParam("size") String size) {
    return QrSvg.of(proofs.armored(LogResource.number(index), LogResource.number(size))
        .orElseThrow(NotFoundException::new));
  }
}

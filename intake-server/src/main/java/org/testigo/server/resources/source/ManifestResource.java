package org.testigo.server.resources.source;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.testigo.api.ApiPaths;
import org.testigo.server.domain.KeyState;

/**
 * The signed key manifest chain (armored text), for clients that seal elsewhere: they verify
 * it from the root fingerprint they pinned and seal to its reviewers.
 */
@Path(ApiPaths.MANIFEST)
public final class ManifestResource {
  private final KeyState keys;

  public ManifestResource(KeyState keys) {
    this.keys = keys;
  }

  @GET
  @Produces("text/plain; charset=US-ASCII")
  public String chain() {
    return keys.armoredChain();
  }
}

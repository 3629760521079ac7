package org.testigo.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one same-origin stylesheet of the source pages. */
@Path("/assets")
public final class AssetsResource {
  private final byte[] css;

  public AssetsResource() {
    try (InputStream in = AssetsResource.class.getResourceAsStream("/assets/testigo.css")) {
      css = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Path("testigo.css")
  @Produces("text/css; charset=UTF-8")
  public byte[] css() {
    return css;
  }
}

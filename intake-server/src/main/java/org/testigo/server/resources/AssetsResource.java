package org.testigo.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.testigo.server.views.BrowserSealing;

/** The same-origin stylesheet and the one script (browser sealing) of the source pages. */
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
  @Path("testigo.js")
  @Produces("text/javascript; charset=UTF-8")
  public byte[] script() {
    return BrowserSealing.script();
  }

  @GET
  @Path("testigo.css")
  @Produces("text/css; charset=UTF-8")
  public byte[] css() {
    return css;
  }
}

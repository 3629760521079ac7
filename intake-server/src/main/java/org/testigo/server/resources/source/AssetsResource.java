package org.testigo.server.resources.source;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.testigo.api.ApiPaths;
import org.testigo.server.views.AudioCatalog;
import org.testigo.server.views.BrowserSealing;

/**
 * The static assets of the source pages: the stylesheet, the one script (browser sealing), the
 * spoken questions and the favicon. They carry no secret and reflect no input, so they are
 * served compressed when the client accepts gzip (BREACH needs both a secret and reflected input
 * in one compressed body) and cacheable for the browser session; the pages themselves stay
 * uncompressed and {@code no-store} (docs/decisions/0009-no-compressed-responses.md). The gzip bodies are made once, at start.
 */
@Path(ApiPaths.HOME)
public final class AssetsResource {
  /** Cacheable by this browser only, for a day; Tor Browser drops its cache when it closes. */
  public static final String CACHE = "private, max-age=86400";
  private final Asset css;
  private final Asset script;
  private final AudioCatalog audio;

  /** One asset's bytes, its gzip form when that is smaller, and its media type. */
  private record Asset(byte[] plain, byte[] gzip, String type) {
    static Asset of(byte[] plain, String type) {
      byte[] gz = AssetsResource.gzip(plain);
      return new Asset(plain, gz.length < plain.length ? gz : null, type);
    }
  }

  public AssetsResource() {
    this(AudioCatalog.fromClassPath());
  }

  public AssetsResource(AudioCatalog audio) {
    this.css = Asset.of(read(ApiPaths.ASSET_STYLE), "text/css; charset=UTF-8");
    this.script = Asset.of(BrowserSealing.script(), "text/javascript; charset=UTF-8");
    this.audio = audio;
  }

  private static byte[] read(String resource) {
    try (InputStream in = AssetsResource.class.getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deterministic gzip (no name, zero mtime, best compression). */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** True when an Accept-Encoding header accepts gzip (a token {@code gzip} not weighted q=0). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.length() > 1000) {
      return false;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      // -1: a part made only of ';' gives empty strings, never an empty array.
      String[] p = part.split(";", -1);
      if (!p[0].strip().equals("gzip")) {
        continue;
      }
      for (int i = 1; i < p.length; i++) {
        String param = p[i].strip().replace(" ", "");
        if (param.matches("q=0(\\.0{0,3})?")) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static Response serve(Asset a, String acceptEncoding) {
    boolean gz = a.gzip() != null && acceptsGzip(acceptEncoding);
    Response.ResponseBuilder r = Response.ok(gz ? a.gzip() : a.plain(), a.type())
        .header(HttpHeaders.CACHE_CONTROL, CACHE).header(HttpHeaders.VARY, "Accept-Encoding");
    if (gz) {
      r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
    }
    return r.build();
  }

  @GET
  @Path(ApiPaths.ASSET_SCRIPT)
  public Response script(@HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
    return serve(script, acceptEncoding);
  }

  @GET
  @Path(ApiPaths.ASSET_STYLE)
  public Response css(@HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
    return serve(css, acceptEncoding);
  }

  /** A spoken question ({@link AudioCatalog}); Opus is compressed already. */
  @GET
  @Path(ApiPaths.ASSET_AUDIO)
  public Response audio(@PathParam("lang") String lang, @PathParam("clip") String clip) {
    byte[] bytes = audio.clip(lang, clip).orElseThrow(NotFoundException::new);
    return Response.ok(bytes, "audio/ogg").header(HttpHeaders.CACHE_CONTROL, CACHE).build();
  }

  /** Browsers ask for it on every visit: an empty answer instead of an HTML 404 page. */
  @GET
  @Path(ApiPaths.FAVICON)
  public Response favicon() {
    return Response.noContent().header(HttpHeaders.CACHE_CONTROL, CACHE).build();
  }
}

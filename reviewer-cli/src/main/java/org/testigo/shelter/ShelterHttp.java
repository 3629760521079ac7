package org.testigo.shelter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.testigo.api.client.ClientException;
import org.testigo.api.client.HttpTransport;
import org.testigo.api.client.Socks5;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * The shelter tool's view of {@link HttpTransport} (the one client, direct or through SOCKS5):
 * small answers read whole, capped at 4 MiB. Any network failure becomes exit code
 * {@link ShelterExitCodes#UNREACHABLE}; an onion URL without a SOCKS proxy is refused (exit 2)
 * before any connection.
 */
final class ShelterHttp {
  static final int MAX_RESPONSE = 4 * 1024 * 1024;
  private final HttpTransport transport;

  /** Writes a request body of a length known in advance. */
  interface Body extends HttpTransport.Body {}

  /** A response: status code, headers (lower-case names), body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  ShelterHttp(Optional<Socks5.Address> socks, int timeoutMillis) {
    this(new HttpTransport(socks, timeoutMillis));
  }

  private ShelterHttp(HttpTransport transport) {
    this.transport = transport;
  }

  /**
   * The same client on a Tor circuit of its own: through a SOCKS proxy, every connection it
   * opens carries {@code token} as the SOCKS username (Tor's IsolateSOCKSAuth).
   */
  ShelterHttp isolated(String token) {
    return new ShelterHttp(transport.isolated(token));
  }

  Response get(URI uri) {
    return send("GET", uri, Map.of(), null);
  }

  static Body bytes(byte[] b) {
    HttpTransport.Body inner = HttpTransport.bytes(b);
    return new Body() {
      @Override
      public long length() {
        return inner.length();
      }

      @Override
      public void writeTo(java.io.OutputStream out) throws IOException {
        inner.writeTo(out);
      }
    };
  }

  Response send(String method, URI uri, Map<String, String> headers, Body body) {
    try (HttpTransport.Response r = transport.exchange(method, uri, headers, body)) {
      return new Response(r.status(), r.headers(), readCapped(r.body()));
    } catch (IOException e) {
      throw new CliException(ShelterExitCodes.UNREACHABLE, transport.describe(uri, e));
    } catch (ClientException e) {
      // the callers decide on the exit code (UNREACHABLE is retried later)
      throw new CliException(ExitCodes.of(e.kind()), e.getMessage());
    }
  }

  private static byte[] readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int r; (r = in.read(buf)) >= 0; ) {
      out.write(buf, 0, r);
      if (out.size() > MAX_RESPONSE) {
        throw new IOException("response too large");
      }
    }
    return out.toByteArray();
  }
}

package org.testigo.cli.shelter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.testigo.cli.CliException;

/**
 * A small HTTP/1.1 client (one request per connection, {@code Connection: close}) that can
 * go direct or through a SOCKS5 proxy ({@link Socks5}), plain http or https. Request bodies
 * are streamed with a known length; response bodies are capped at 4 MiB. Any network
 * failure becomes exit code {@link ShelterExitCodes#UNREACHABLE}. Sends no User-Agent.
 */
final class ShelterHttp {
  static final int MAX_RESPONSE = 4 * 1024 * 1024;
  private final Optional<Socks5.Address> socks;
  private final int timeoutMillis;
  private final String isolation;

  /** Writes a request body of a length known in advance. */
  interface Body {
    long length();

    void writeTo(OutputStream out) throws IOException;
  }

  /** A response: status code, headers (lower-case names), body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  ShelterHttp(Optional<Socks5.Address> socks, int timeoutMillis) {
    this(socks, timeoutMillis, null);
  }

  private ShelterHttp(Optional<Socks5.Address> socks, int timeoutMillis, String isolation) {
    this.socks = socks;
    this.timeoutMillis = timeoutMillis;
    this.isolation = isolation;
  }

  /**
   * The same client on a Tor circuit of its own: through a SOCKS proxy, every connection it
   * opens carries {@code token} as the SOCKS username (Tor's IsolateSOCKSAuth).
   */
  ShelterHttp isolated(String token) {
    return new ShelterHttp(socks, timeoutMillis, token);
  }

  Response get(URI uri) {
    return send("GET", uri, Map.of(), null);
  }

  static Body bytes(byte[] b) {
    return new Body() {
      @Override
      public long length() {
        return b.length;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(b);
      }
    };
  }

  Response send(String method, URI uri, Map<String, String> headers, Body body) {
    String host = uri.getHost();
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    try (Socket socket = open(host, port, tls)) {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      StringBuilder head = new StringBuilder();
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        path += "?" + uri.getRawQuery();
      }
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(host).append(uri.getPort() > 0 ? ":" + uri.getPort() : "")
          .append("\r\n");
      head.append("Connection: close\r\n");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      if (body != null) {
        head.append("Content-Length: ").append(body.length()).append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        body.writeTo(out);
      }
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new CliException(ShelterExitCodes.UNREACHABLE, "cannot reach the server "
          + uri.getHost() + (socks.isPresent() ? " through the SOCKS proxy " + socks.get() : "")
          + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private Socket open(String host, int port, boolean tls) throws IOException {
    Socket s;
    if (socks.isPresent()) {
      s = Socks5.connect(socks.get(), host, port, timeoutMillis, isolation);
    } else {
      s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
      } catch (IOException e) {
        s.close();
        throw e;
      }
    }
    s.setSoTimeout(timeoutMillis);
    if (!tls) {
      return s;
    }
    SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
        .createSocket(s, host, port, true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(params);
    ssl.startHandshake();
    return ssl;
  }

  private static Response read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response");
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            l.substring(colon + 1).strip());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      while (true) {
        String size = line(in);
        int semi = size.indexOf(';');
        long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        if (n == 0) {
          while (!line(in).isEmpty()) {
            // trailers
          }
          break;
        }
        copy(in, body, n);
        line(in);
      }
    } else if (headers.containsKey("content-length")) {
      copy(in, body, Long.parseLong(headers.get("content-length")));
    } else {
      copy(in, body, -1);
    }
    return new Response(code, headers, body.toByteArray());
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (n < 0 || left > 0) {
      int r = in.read(buf, 0, n < 0 ? buf.length : (int) Math.min(buf.length, left));
      if (r < 0) {
        if (n < 0) {
          return;
        }
        throw new IOException("response truncated");
      }
      out.write(buf, 0, r);
      left -= r;
      if (out.size() > MAX_RESPONSE) {
        throw new IOException("response too large");
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (b.size() > 16384) {
        throw new IOException("response header line too long");
      }
      b.write(c);
    }
    if (c < 0 && b.size() == 0) {
      throw new IOException("connection closed before a response");
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}

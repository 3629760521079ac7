package org.testigo.api.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
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

/**
 * The one HTTP/1.1 client of the Testigo tools ({@code testigo-reviewer}: the signed reviewer
 * API, the public transparency endpoints for {@code audit}; {@code testigo-shelter}): direct, or
 * through a SOCKS5 proxy ({@link Socks5}, remote name resolution), plain http or https. One
 * request per connection ({@code Connection: close}); request bodies are written with a known
 * length; response bodies are streamed (length-delimited, chunked, or to end of stream), so the
 * caller bounds what it reads. Sends no User-Agent. Redirects are not followed.
 *
 * <p>An {@code .onion} host without a SOCKS proxy is refused before any connection or name
 * look-up ({@link #checkRoute}): an onion name must never reach the system's DNS resolver.
 *
 * <p>Timeouts suit Tor: a few seconds to reach a direct server or the local proxy, up to
 * {@link #TOR_CONNECT_MILLIS} for the proxy to reach the target (an onion service's descriptor
 * and rendezvous), and a per-read idle timeout given by the caller.
 */
public final class HttpTransport {
  /** Time to open a TCP connection to a direct server or to the local SOCKS proxy. */
  public static final int CONNECT_MILLIS = 15_000;
  /** Time for the SOCKS proxy to connect to the target (tor's own SocksTimeout is 120 s). */
  public static final int TOR_CONNECT_MILLIS = 130_000;
  private final Optional<Socks5.Address> socks;
  private final int readMillis;
  private final String isolation;

  /** Writes a request body of a length known in advance. */
  public interface Body {
    long length();

    void writeTo(OutputStream out) throws IOException;
  }

  /** A request body from bytes in memory. */
  public static Body bytes(byte[] b) {
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

  /**
   * A response: status, headers (lower-case names), and the body as a stream; closing it (or
   * the response) closes the connection.
   */
  public record Response(int status, Map<String, String> headers, InputStream body)
      implements Closeable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A client direct or through {@code socks}, giving up after {@code readMillis} without a byte. */
  public HttpTransport(Optional<Socks5.Address> socks, int readMillis) {
    this(socks, readMillis, null);
  }

  private HttpTransport(Optional<Socks5.Address> socks, int readMillis, String isolation) {
    this.socks = socks;
    this.readMillis = readMillis;
    this.isolation = isolation;
  }

  /**
   * The same client on a Tor circuit of its own: through a SOCKS proxy, every connection it
   * opens carries {@code token} as the SOCKS username (Tor's IsolateSOCKSAuth).
   */
  public HttpTransport isolated(String token) {
    return new HttpTransport(socks, readMillis, token);
  }

  public Optional<Socks5.Address> socks() {
    return socks;
  }

  /** Whether {@code host} is an onion service name (reachable only through Tor). */
  public static boolean isOnion(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.endsWith(".onion") || h.equals("onion");
  }

  /**
   * Refuses an onion URL without a SOCKS proxy ({@link ClientException}, {@link ClientException.Kind#USAGE}), before any
   * connection or DNS look-up.
   */
  public static void checkRoute(URI uri, Optional<Socks5.Address> socks) {
    if (uri.getHost() != null && isOnion(uri.getHost()) && socks.isEmpty()) {
      throw new ClientException(ClientException.Kind.USAGE, uri.getHost() + " is an onion address, reachable"
          + " only through Tor: give your tor's SOCKS port with --socks HOST:PORT (e.g."
          + " --socks 127.0.0.1:9050). Testigo never resolves an onion name through the"
          + " system's DNS");
    }
  }

  /**
   * One line for a failure to talk to the server at {@code uri}: what failed and, for a
   * SOCKS failure, what to do.
   */
  public String describe(URI uri, IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof Socks5.SocksException) {
      why = e.getMessage();
    } else if (e instanceof java.net.ConnectException && socks.isEmpty()) {
      why = "connection refused or no route (is the server running, and the URL right?)";
    } else if (e instanceof SlowHeadException) {
      why = e.getMessage();
    } else if (e instanceof java.net.SocketTimeoutException) {
      why = "no answer within " + readMillis / 1000 + " s";
    } else if (e instanceof java.net.UnknownHostException) {
      why = "unknown host name";
    }
    // the port too: a mistyped port is the usual reason the address "is right" yet refuses
    return "cannot reach the server " + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (socks.isPresent() ? " through the SOCKS proxy " + socks.get() : "") + ": " + why;
  }

  /**
   * Sends one request and returns the response with its body still to read. Network failures
   * are {@link IOException}s ({@link Socks5.SocksException} for the proxy's); the caller turns
   * them into its own exit code, with {@link #describe} for the message.
   */
  public Response exchange(String method, URI uri, Map<String, String> headers, Body body)
      throws IOException {
    checkRoute(uri, socks);
    String host = uri.getHost();
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    Socket socket = open(host, port, tls);
    boolean ok = false;
    try {
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
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        head.append("Content-Length: 0\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        body.writeTo(out);
      }
      out.flush();
      HeadDeadline raw = new HeadDeadline(socket, readMillis);
      Response r = read(new BufferedInputStream(raw, 1 << 16), socket);
      raw.headDone();
      ok = true;
      return r;
    } finally {
      if (!ok) {
        socket.close();
      }
    }
  }

  private Socket open(String host, int port, boolean tls) throws IOException {
    Socket s;
    if (socks.isPresent()) {
      s = Socks5.connect(socks.get(), host, port, CONNECT_MILLIS, TOR_CONNECT_MILLIS, isolation);
    } else {
      s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
      } catch (IOException e) {
        s.close();
        throw e;
      }
    }
    s.setSoTimeout(readMillis);
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

  private static Response read(InputStream in, Socket socket) throws IOException {
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
    int count = 0;
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      if (++count > 200) {
        throw new IOException("too many response headers");
      }
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            l.substring(colon + 1).strip());
      }
    }
    InputStream body;
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = new Chunked(in);
    } else if (headers.containsKey("content-length")) {
      long n;
      try {
        n = Long.parseLong(headers.get("content-length"));
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length");
      }
      if (n < 0) {
        throw new IOException("bad Content-Length");
      }
      body = new Limited(in, n);
    } else {
      body = in;
    }
    return new Response(code, headers, new FilterInputStream(body) {
      @Override
      public void close() throws IOException {
        socket.close();
      }
    });
  }

  static String line(InputStream in) throws IOException {
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

  /** The status line and headers did not all arrive in time (a server trickling them). */
  static final class SlowHeadException extends java.net.SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    SlowHeadException(long millis) {
      super("the server did not send the head of its answer within " + millis / 1000 + " s");
    }
  }

  /**
   * The socket's input with one deadline for the whole response head: the first byte may take
   * up to {@code readMillis} (the server at work) and the rest of the head must follow within
   * the same again, so a server trickling its status line and headers byte by byte (each within
   * the per-read timeout) cannot hold the caller for ever. After {@link #headDone()} only the
   * per-read timeout applies (bodies are bounded by the caller: {@link Bounded},
   * {@link IdleTimeoutInputStream}).
   */
  private static final class HeadDeadline extends FilterInputStream {
    private final Socket socket;
    private final int readMillis;
    private final long deadline;
    private final long allowedMillis;
    private volatile boolean head = true;

    HeadDeadline(Socket socket, int readMillis) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.readMillis = readMillis;
      this.allowedMillis = 2L * readMillis;
      this.deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(allowedMillis);
    }

    void headDone() throws IOException {
      head = false;
      socket.setSoTimeout(readMillis);
    }

    /** Sets the socket timeout for the next read; true if the head's deadline (not the per-read timeout) bounds it. */
    private boolean arm() throws IOException {
      if (!head) {
        return false;
      }
      long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new SlowHeadException(allowedMillis);
      }
      socket.setSoTimeout((int) Math.min(readMillis, left));
      return left <= readMillis;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      boolean byDeadline = arm();
      try {
        return super.read(b, off, len);
      } catch (java.net.SocketTimeoutException e) {
        throw byDeadline ? new SlowHeadException(allowedMillis) : e;
      }
    }
  }

  /** A body of a known length; a connection that ends early is an error. */
  private static final class Limited extends InputStream {
    private final InputStream in;
    private long left;

    Limited(InputStream in, long n) {
      this.in = in;
      this.left = n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r < 0) {
        throw new IOException("response truncated");
      }
      left -= r;
      return r;
    }
  }

  /** A chunked body (RFC 9112 §7.1), decoded as it is read; trailers are discarded. */
  private static final class Chunked extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left == 0 && !done) {
        String size = line(in);
        int semi = size.indexOf(';');
        try {
          left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunked encoding");
        }
        if (left < 0) {
          throw new IOException("bad chunked encoding");
        }
        if (left == 0) {
          done = true;
          for (int i = 0; i < 100 && !line(in).isEmpty(); i++) {
            // trailers
          }
        }
      }
      if (done) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r < 0) {
        throw new IOException("response truncated");
      }
      left -= r;
      if (left == 0) {
        line(in);
      }
      return r;
    }
  }
}
